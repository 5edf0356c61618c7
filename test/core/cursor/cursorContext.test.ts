// Where the cursor is, in IAM terms, on finished and half-typed code: the role, the typed prefix and the span a
// completion replaces. And agreement with Prism's model on finished code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locateCursor, statementInfo, enclosingCall, type CursorContext } from '../../../server/src/core/cursor/cursorContext';
import { analyze, ROOT } from '../../support/core';
import { walkValue } from '../../../server/src/core/model/values';
import { mark, slice } from './cursor';

function at(withCursor: string, mode: 'complete' | 'hover' = 'complete') {
  const m = mark(withCursor);
  const ctx = locateCursor(m.analysis, m.offset, mode);
  return { m, ctx };
}

/** A compact description of a context: role kind, the key for statement values, the cursor kind and the prefix. */
function brief(ctx: CursorContext): string {
  const r = ctx.role;
  const extra = r.kind === 'statementValue' ? `:${r.key}` : r.kind === 'conditionKey' ? `:${r.operator}` : r.kind === 'conditionValue' ? `:${r.operator}/${r.conditionKey}` : r.kind === 'dslMethod' ? `:${r.name}` : '';
  return `${r.kind}${extra} ${ctx.at} ${JSON.stringify(ctx.prefix)}`;
}

describe('roles on finished code', () => {
  const cases: [string, string][] = [
    ['managed_iam_policy("AmazonS3<|>ReadOnlyAccess")', 'managedPolicy string "AmazonS3"'],
    ['managed_iam_policy("A", "<|>")', 'managedPolicy string ""'],
    ['managed_iam_policy(["A", <|>])', 'managedPolicy gap ""'],
    ['managed_iam_policy [["A"], "B<|>"]', 'managedPolicy string "B"'],
    ["managed_iam_policy 'Amazon<|>'", 'managedPolicy string "Amazon"'],
    ['managed_iam_policy("A")<|>', 'none gap ""'],
    ['iam_policy("Po<|>licy", Action: "s3:GetObject")', 'policyName string "Po"'],
    ['iam_policy("P", Action: "s3:Get<|>Object", Effect: "Allow", Resource: "*")', 'statementValue:Action string "s3:Get"'],
    ['iam_policy("P", Action: ["s3:GetObject", "sqs:<|>"], Effect: "Allow")', 'statementValue:Action string "sqs:"'],
    ['iam_policy("P", NotAction: ["iam:<|>"])', 'statementValue:NotAction string "iam:"'],
    ['iam_policy("P", "Action" => ["s3:<|>"])', 'statementValue:Action string "s3:"'],
    ['iam_policy("P", :Action => "s3:<|>")', 'statementValue:Action string "s3:"'],
    ['iam_policy("P", "Action": "s3:<|>")', 'statementValue:Action string "s3:"'],
    ['iam_policy("P", { Action: "s3:<|>" })', 'statementValue:Action string "s3:"'],
    ['iam_policy("P", [{ Action: "s3:GetObject" }, { Action: ["sns:<|>"] }])', 'statementValue:Action string "sns:"'],
    ['iam_policy("P", [[{ Action: "ec2:<|>" }]])', 'statementValue:Action string "ec2:"'],
    ['iam_policy("P", Action: %w[s3:GetObject s3:Put<|>])', 'statementValue:Action string "s3:Put"'],
    ['iam_policy("P", Action: %w[s3:GetObject <|>])', 'statementValue:Action gap ""'],
    ['iam_policy("P", Action: "s3:GetObject", Resource: "arn:<|>")', 'statementValue:Resource string "arn:"'],
    ['iam_policy("P", Action: "s3:GetObject", Resource: [<|>])', 'statementValue:Resource gap ""'],
    ['iam_policy("P", Action: "s3:GetObject", Effect: "<|>")', 'statementValue:Effect string ""'],
    ['iam_policy("P", Action: "s3:GetObject", Effect: <|>)', 'statementValue:Effect gap ""'],
    ['iam_policy("P", Action: "s3:GetObject", Effect: Al<|>)', 'statementValue:Effect ident "Al"'],
    ['iam_policy("P", Action: "s3:GetObject", Effect:<|>)', 'statementValue:Effect afterLabel ""'],
    ['iam_policy("P", Action: "s3:GetObject", <|>)', 'statementKey gap ""'],
    ['iam_policy("P", <|>)', 'statementKey gap ""'],
    ['iam_policy("P", Eff<|>)', 'statementKey ident "Eff"'],
    ['iam_policy("P", [{ Action: "s3:GetObject", "Eff<|>" }])', 'statementKey string "Eff"'],
    ['iam_policy("P", [{ :Action => "s3:GetObject", :Eff<|> }])', 'statementKey ident ":Eff"'],
    ['iam_policy("P", [<|>])', 'statement gap ""'],
    ['iam_policy(<|>)', 'policyName gap ""'],
    ['iam_policy("P", Action: "s3:GetObject", Condition: { <|> })', 'conditionOperator gap ""'],
    ['iam_policy("P", Action: "s3:GetObject", Condition: { "ForAnyValue:<|>" })', 'conditionOperator string "ForAnyValue:"'],
    ['iam_policy("P", Condition: { StringEquals: { <|> } })', 'conditionKey:StringEquals gap ""'],
    ['iam_policy("P", Condition: { "StringLike" => { "aws:<|>" => "x" } })', 'conditionKey:StringLike string "aws:"'],
    ['iam_policy("P", Condition: { Bool: { "aws:SecureTransport" => "<|>" } })', 'conditionValue:Bool/aws:SecureTransport string ""'],
    ['iam_policy("P", Condition: { Bool: { "aws:SecureTransport": [<|>] } })', 'conditionValue:Bool/aws:SecureTransport gap ""'],
    ['iam_policy("P", Sid: "<|>")', 'statementValue:Sid string ""'],
    ['<|>', 'topLevel gap ""'],
    ['iam_policy("P", Action: "s3:GetObject")\n  man<|>', 'topLevel ident "man"'],
    ['x = 1\n<|>', 'topLevel gap ""'],
    ['x = <|>', 'none gap ""'],
    ['puts("<|>")', 'none string ""'],
    ['# managed_iam_policy("<|>")', 'none gap ""'],
    ['iam_policy("P", Action: "s3:GetObject") # Action: "s3:<|>"', 'none gap ""'],
    ['STATEMENT = { Effect: "Allow", Action: ["s3:<|>"] }', 'statementValue:Action string "s3:"'],
    ['STATEMENT = { Effect: "Allow", <|> }', 'statementKey gap ""'],
    ['STATEMENT = { <|> Effect: "Allow" }', 'statementKey gap ""'],
    ['OTHER = { name: "<|>" }', 'none string ""'],
    ['[1].each do |i|\n  iam_policy("P#{i}", Action: "s3:<|>")\nend', 'statementValue:Action string "s3:"'],
    ['if ENV["X"]\n  managed_iam_policy("Amazon<|>")\nend', 'managedPolicy string "Amazon"'],
    ['iam_policy("P", Action: "s3:GetObject", Resource: 3<|>)', 'none other ""'],
  ];
  for (const [input, expected] of cases) {
    test(input.replace(/\n/g, '⏎'), () => {
      const { ctx } = at(input);
      assert.equal(brief(ctx), expected);
    });
  }
});

describe('roles on half-typed code', () => {
  const cases: [string, string][] = [
    // Unclosed string, at the end of the file and before more lines.
    ['managed_iam_policy("AmazonECSTaskEx<|>', 'managedPolicy string "AmazonECSTaskEx"'],
    ['managed_iam_policy("AmazonECSTaskEx<|>\niam_policy("x", Action: "s3:Get", Effect: "Allow")\n', 'managedPolicy string "AmazonECSTaskEx"'],
    // The line above swallowed this one in Prism's tree; the lexer keeps strings on their line.
    ['managed_iam_policy("AmazonECSTaskEx\niam_policy("x", Action: "s3:Get<|>", Effect: "Allow")\n', 'statementValue:Action string "s3:Get"'],
    ['iam_policy("x", Action: ["s3:GetObject\n  Resource: "<|>"\n', 'statementValue:Resource string ""'],
    ['iam_policy("n", Action: ["s3:Get<|>', 'statementValue:Action string "s3:Get"'],
    // A quote typed before existing text: the string "closes" at the next quote, the prefix stops at the cursor.
    ['iam_policy("n", Action: ["s3:Get<|>, "s3:Put"])', 'statementValue:Action string "s3:Get"'],
    // Unclosed array, hash and parenthesis.
    ['iam_policy("n", Action: ["s3:GetObject", <|>', 'statementValue:Action gap ""'],
    ['iam_policy("n", Action: [<|>', 'statementValue:Action gap ""'],
    ['iam_policy("n", Action: <|>', 'statementValue:Action gap ""'],
    ['iam_policy("n", [{ Action: "s3:<|>', 'statementValue:Action string "s3:"'],
    ['iam_policy("n", [{ Action: "s3:GetObject", <|>', 'statementKey gap ""'],
    ['iam_policy("n", [{ "Action" => "s3:GetObject", E<|>', 'statementKey ident "E"'],
    ['iam_policy("n", Effect: "Allow", Condition: { StringEquals: { "aws:<|>', 'conditionKey:StringEquals string "aws:"'],
    ['iam_policy("n", Condition: {<|>', 'conditionOperator gap ""'],
    ['managed_iam_policy(<|>', 'managedPolicy gap ""'],
    ['managed_iam_policy("A", <|>', 'managedPolicy gap ""'],
    ['managed_iam_policy "A",\n  "B<|>', 'managedPolicy string "B"'],
    ['iam_policy(<|>', 'policyName gap ""'],
    ['iam_policy("n", Action: :<|>', 'statementValue:Action ident ":"'],
    // A call left open above does not capture a new line that starts a new call.
    ['iam_policy("n", Action: ["s3:GetObject"]\nmanaged_iam_policy("Amazon<|>', 'managedPolicy string "Amazon"'],
    ['iam_policy("n", Action: ["s3:GetObject"]\nman<|>', 'topLevel ident "man"'],
    // Multi-line statements.
    ['iam_policy("n",\n  Action: [\n    "s3:GetObject",\n    "s3:Put<|>\n  ],\n)', 'statementValue:Action string "s3:Put"'],
    ['iam_policy("n", [\n  {\n    Effect: "Allow",\n    <|>\n  },\n])', 'statementKey gap ""'],
    ['iam_policy "n",\n  Action: "s3:<|>"', 'statementValue:Action string "s3:"'],
    // Stray closers and junk.
    ['iam_policy("n", Action: ["s3:GetObject"]]}, Resource: "<|>")', 'statementValue:Resource string ""'],
    // A closing parenthesis ends the call, as in Ruby.
    ['iam_policy("n", Action: ["s3:GetObject"])), Resource: "<|>")', 'none string ""'],
    ['}}}])) managed_iam_policy("Amazon<|>")', 'managedPolicy string "Amazon"'],
  ];
  for (const [input, expected] of cases) {
    test(input.replace(/\n/g, '⏎'), () => {
      const { ctx } = at(input);
      assert.equal(brief(ctx), expected);
    });
  }
});

describe('replace spans', () => {
  test('inside a closed string: from the content start to the end of the word, not the closing quote', () => {
    const { m, ctx } = at('managed_iam_policy("Amazon<|>S3ReadOnlyAccess")');
    assert.equal(slice(m, { start: ctx.prefixStart, end: ctx.replaceEnd }), 'AmazonS3ReadOnlyAccess');
  });

  test('an unclosed string that Prism runs into the next line is cut at the cursor line', () => {
    const { m, ctx } = at('managed_iam_policy("Amazon<|>\niam_policy("x", Action: "s3:GetObject")\n');
    assert.equal(slice(m, { start: ctx.prefixStart, end: ctx.replaceEnd }), 'Amazon');
    // Prism, by contrast, ends that string at the next quote, on the next line.
    const model = m.analysis.model.calls[0];
    assert.equal(model.method, 'managed_iam_policy');
    if (model.method === 'managed_iam_policy') assert.match(String((model.names[0] as { value: string }).value), /\n/);
  });

  test('a string "closed" by a later quote on the line: only the word at the cursor is replaced', () => {
    const { m, ctx } = at('iam_policy("n", Action: ["s3:Get<|>, "s3:Put"])');
    assert.equal(slice(m, { start: ctx.prefixStart, end: ctx.replaceEnd }), 's3:Get');
  });

  test('a bare word is replaced whole', () => {
    const { m, ctx } = at('iam_policy("n", Action: "s3:GetObject", Eff<|>ect)');
    assert.equal(slice(m, { start: ctx.prefixStart, end: ctx.replaceEnd }), 'Effect');
    assert.equal(ctx.prefix, 'Eff');
  });

  test('a gap replaces nothing', () => {
    const { ctx, m } = at('iam_policy("n", Action: [<|>])');
    assert.equal(ctx.prefixStart, m.offset);
    assert.equal(ctx.replaceEnd, m.offset);
  });

  test('byte offsets stay exact after umlauts and emoji on the line', () => {
    const { m, ctx } = at('iam_policy("Zugriff für 😀 Gäste", Action: ["s3:Gët<|>Object"])');
    assert.equal(ctx.prefix, 's3:Gët');
    assert.equal(slice(m, { start: ctx.prefixStart, end: ctx.replaceEnd }), 's3:GëtObject');
    assert.equal(ctx.prefixStart, Buffer.byteLength('iam_policy("Zugriff für 😀 Gäste", Action: ["'));
  });

  test('CRLF line ends do not count as text', () => {
    const { m, ctx } = at('managed_iam_policy("Amazon<|>\r\nx = 1\r\n');
    assert.equal(slice(m, { start: ctx.prefixStart, end: ctx.replaceEnd }), 'Amazon');
  });
});

describe('statement facts', () => {
  test('keys and actions written after the cursor count', () => {
    const { m, ctx } = at('iam_policy("n", Resource: "<|>", Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow")');
    assert.equal(ctx.role.kind, 'statementValue');
    if (ctx.role.kind !== 'statementValue') return;
    const info = statementInfo(m.analysis, ctx.role.statement);
    assert.deepEqual(info.keys.map((k) => k.name), ['Resource', 'Action', 'Effect']);
    assert.deepEqual(info.actions, ['s3:GetObject', 's3:PutObject']);
  });

  test('keyword arguments that start after the cursor are found through the call', () => {
    const { m, ctx } = at('iam_policy("n", <|> Action: "s3:GetObject", Effect: "Allow")');
    assert.equal(ctx.role.kind, 'statementKey');
    const info = statementInfo(m.analysis, undefined, enclosingCall(ctx));
    assert.deepEqual(info.keys.map((k) => k.name), ['Action', 'Effect']);
  });

  test('the scan after the cursor stops at the end of the call', () => {
    const { m, ctx } = at('iam_policy("a", Action: "s3:GetObject", <|>)\niam_policy("b", Effect: "Allow", Resource: "*")\n');
    if (ctx.role.kind !== 'statementKey') return assert.fail(ctx.role.kind);
    assert.deepEqual(statementInfo(m.analysis, ctx.role.statement).keys.map((k) => k.name), ['Action']);
  });

  test('the scan after the cursor stops at the next DSL call when the call is left open', () => {
    const { m, ctx } = at('iam_policy("a", Action: "s3:GetObject", <|>\niam_policy("b", Effect: "Allow", Resource: "*")\n');
    if (ctx.role.kind !== 'statementKey') return assert.fail(ctx.role.kind);
    assert.deepEqual(statementInfo(m.analysis, ctx.role.statement).keys.map((k) => k.name), ['Action']);
  });

  test('key style: the statement\'s own, else the file\'s, else labels', () => {
    const rocket = at('iam_policy("a", "Effect" => "Allow", <|>)');
    if (rocket.ctx.role.kind !== 'statementKey') return assert.fail();
    assert.equal(statementInfo(rocket.m.analysis, rocket.ctx.role.statement).style, 'rocket');
    const symbols = at('iam_policy("a", :Effect => "Allow", <|>)');
    if (symbols.ctx.role.kind !== 'statementKey') return assert.fail();
    assert.equal(statementInfo(symbols.m.analysis, symbols.ctx.role.statement).symbolKeys, true);
    const fromFile = at('iam_policy("a", "Effect" => "Allow")\niam_policy("b", [{ <|> }])');
    if (fromFile.ctx.role.kind !== 'statementKey') return assert.fail();
    assert.equal(statementInfo(fromFile.m.analysis, fromFile.ctx.role.statement).style, 'rocket');
    const none = at('iam_policy("b", [{ <|> }])');
    if (none.ctx.role.kind !== 'statementKey') return assert.fail();
    assert.equal(statementInfo(none.m.analysis, none.ctx.role.statement).style, 'label');
  });

  test('the quote style follows the file', () => {
    assert.equal(at("iam_policy('a', Action: 'x', Resource: <|>)").ctx.quote, "'");
    assert.equal(at('iam_policy("a", Action: "x", Resource: <|>)').ctx.quote, '"');
    assert.equal(at("managed_iam_policy('A')\nmanaged_iam_policy(<|>)").ctx.quote, "'");
  });
});

describe('hover mode takes the whole token under the cursor', () => {
  test('a string, from its opening quote to its closing quote', () => {
    const text = 'iam_policy("n", Action: ["s3:GetObject"])';
    const m = mark(text.replace('s3:Get', 's3:<|>Get'));
    for (const offset of [text.indexOf('"s3'), text.indexOf('Object'), text.indexOf('"]')]) {
      const ctx = locateCursor(m.analysis, offset, 'hover');
      assert.equal(ctx.token && slice(m, ctx.token), '"s3:GetObject"');
      assert.equal(brief(ctx).split(' ')[0], 'statementValue:Action');
    }
  });

  test('labels, rocket keys, operators and condition keys', () => {
    const text = 'iam_policy("n", "Action" => "s3:GetObject", Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } })';
    const m = mark(text + '<|>');
    const role = (needle: string) => brief(locateCursor(m.analysis, text.indexOf(needle) + 1, 'hover')).split(' ')[0];
    assert.equal(role('"Action"'), 'statementKey');
    assert.equal(role('Condition:'), 'statementKey');
    assert.equal(role('StringEquals'), 'conditionOperator');
    assert.equal(role('"aws:SourceVpc"'), 'conditionKey:StringEquals');
    assert.equal(role('iam_policy'), 'dslMethod:iam_policy');
  });
});

describe('agreement with the model on finished code', () => {
  const files = [
    'examples/demo/.ufo/iam_roles/execution_role.rb',
    'examples/demo/.ufo/iam_roles/task_role.rb',
    'examples/demo-v6/.ufo/resources/iam_roles/execution_role.rb',
    'examples/demo-v6/.ufo/resources/iam_roles/task_role.rb',
    'test/fixtures/projects/builder_spec/.ufo/iam_roles/task_role.rb',
  ].filter((f) => fs.existsSync(path.join(ROOT, f)));
  const inline = [
    'iam_policy("S3", Action: ["s3:GetObject", "s3:ListBucket"], Effect: "Allow", Resource: "*")\n',
    'iam_policy("Multi", [\n  { Sid: "A", Action: "sqs:SendMessage", Effect: "Allow", Resource: "*" },\n  { "Action" => ["sns:Publish"], "Effect" => "Deny", "Resource" => "*", "Condition" => { "Bool" => { "aws:SecureTransport" => "false" } } },\n])\n',
    "managed_iam_policy('AmazonSSMReadOnlyAccess', \"service-role/AmazonECSTaskExecutionRolePolicy\")\n",
    '# Zugriff für 😀\niam_policy("Grüße-😀", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::bücket/*")\n',
  ];
  const texts = [...files.map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')), ...inline];

  test('every string literal of the DSL calls: same span, and the cursor inside it is in it', () => {
    let checked = 0;
    for (const text of texts) {
      const a = analyze(text);
      for (const call of a.model.calls) {
        for (const arg of call.args) {
          walkValue(arg, (v) => {
            if (v.kind !== 'string' || !v.contentSpan) return;
            for (let offset = v.contentSpan.start; offset <= v.contentSpan.end; offset++) {
              const ctx = locateCursor(a, offset, 'complete');
              assert.equal(ctx.at, 'string', `${JSON.stringify(v.value)} at ${offset}`);
              assert.equal(ctx.prefixStart, v.contentSpan.start);
              checked++;
            }
            const h = locateCursor(a, v.span.start, 'hover');
            assert.deepEqual(h.token && { start: h.token.start, end: h.token.end }, v.span);
          });
        }
      }
    }
    assert.ok(checked > 200, `only ${checked} positions checked`);
  });

  test('every statement value of the model has the role its key says', () => {
    for (const text of texts) {
      const a = analyze(text);
      for (const call of a.model.calls) {
        if (call.method !== 'iam_policy') continue;
        for (const s of call.statements) {
          if (s.kind !== 'hash') continue;
          for (const e of s.entries) {
            const key = (e.key as { value?: string }).value;
            const values = e.value.kind === 'array' ? e.value.elements : [e.value];
            for (const v of values) {
              if (v.kind !== 'string') continue;
              const ctx = locateCursor(a, v.span.start + 1, 'complete');
              assert.equal(ctx.role.kind, 'statementValue', `${key} ${v.value}`);
              if (ctx.role.kind === 'statementValue') assert.equal(ctx.role.key, key);
            }
          }
        }
      }
    }
  });

  test('never throws, at every offset of every file and of every prefix of a file (as typed)', () => {
    for (const text of texts) {
      const a = analyze(text);
      for (let offset = 0; offset <= a.bytes.length; offset++) {
        locateCursor(a, offset, 'complete');
        locateCursor(a, offset, 'hover');
      }
    }
    const typed = inline[1];
    for (let n = 0; n <= typed.length; n += 3) {
      const a = analyze(typed.slice(0, n));
      locateCursor(a, a.bytes.length, 'complete');
    }
  });
});
