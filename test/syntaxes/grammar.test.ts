// Tokenizes Ruby with the ufo-iam injection grammar (syntaxes/ufo-iam.injection.tmLanguage.json) over a
// test-only Ruby base grammar (test/fixtures/syntaxes/ruby.tmLanguage.json), with the same TextMate
// engine VS Code uses, and checks the scopes the injection adds and the places it must leave alone.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const root = path.join(__dirname, '../..');
const INJECTION = path.join(root, 'syntaxes/ufo-iam.injection.tmLanguage.json');
const RUBY = path.join(root, 'test/fixtures/syntaxes/ruby.tmLanguage.json');
const INJECTION_SCOPE = 'ufo-iam.injection';

interface Token {
  line: number;
  start: number;
  text: string;
  scopes: string[];
}

let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files: Record<string, string> = { 'source.ruby': RUBY, [INJECTION_SCOPE]: INJECTION };
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];
      return file ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    // What VS Code does for a `contributes.grammars` entry with `injectTo: ["source.ruby"]`.
    getInjections: (scopeName) => (scopeName === 'source.ruby' ? [INJECTION_SCOPE] : undefined),
  });
  const loaded = await registry.loadGrammar('source.ruby');
  assert.ok(loaded);
  grammar = loaded;
});

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  source.split('\n').forEach((text, line) => {
    const result = grammar.tokenizeLine(text, state);
    state = result.ruleStack;
    for (const t of result.tokens) {
      tokens.push({ line, start: t.startIndex, text: text.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) });
    }
  });
  return tokens;
}

/** The scopes of the token at the `nth` occurrence of `needle` on `line` (0-based); the needle must fit in one token. */
function scopesAt(tokens: Token[], line: number, needle: string, nth = 0): string[] {
  const lineTokens = tokens.filter((t) => t.line === line);
  const text = lineTokens.map((t) => t.text).join('');
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at !== -1, `"${needle}" not on line ${line}: ${text}`);
  const token = lineTokens.find((t) => t.start <= at && at < t.start + t.text.length)!;
  assert.ok(token.start + token.text.length >= at + needle.length, `"${needle}" spans tokens on line ${line}: ${JSON.stringify(lineTokens.map((t) => t.text))}`);
  return token.scopes;
}

function hasScope(scopes: string[], scope: string): boolean {
  return scopes.some((s) => s.split(' ').includes(scope));
}

function assertScope(tokens: Token[], line: number, needle: string, scope: string, nth = 0): void {
  const scopes = scopesAt(tokens, line, needle, nth);
  assert.ok(hasScope(scopes, scope), `"${needle}" on line ${line} lacks ${scope}: ${scopes.join(' | ')}`);
}

function assertNoScope(tokens: Token[], line: number, needle: string, scope: string): void {
  const scopes = scopesAt(tokens, line, needle);
  assert.ok(!scopes.some((s) => s.includes(scope)), `"${needle}" on line ${line} has ${scope}: ${scopes.join(' | ')}`);
}

const DSL = 'support.function.dsl.ufo-iam';
const CALL = 'meta.function-call.dsl.ufo-iam';
const ACTION = 'constant.other.iam-action.ufo-iam';
const SERVICE = 'entity.name.namespace.iam-service.ufo-iam';
const ACTION_NAME = 'entity.name.function.iam-action-name.ufo-iam';
const WILDCARD = 'keyword.operator.wildcard.ufo-iam';
const ARN = 'constant.other.arn.ufo-iam';
const KEY = 'support.type.property-name.iam-statement.ufo-iam';
const COMMENT = 'comment.line.number-sign.ruby';

describe('ufo-iam injection grammar', () => {
  test('the grammar file is an injection into source.ruby and every #include resolves', () => {
    const raw = JSON.parse(fs.readFileSync(INJECTION, 'utf8'));
    assert.equal(raw.scopeName, INJECTION_SCOPE);
    assert.match(raw.injectionSelector, /^L:source\.ruby\b.*-comment/);
    const includes: string[] = [];
    (function walk(v: unknown): void {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'include' && typeof x === 'string' && x.startsWith('#')) includes.push(x.slice(1));
          else walk(x);
        }
      }
    })(raw);
    assert.ok(includes.length > 10);
    for (const name of includes) assert.ok(name in raw.repository, `#${name} is not in the repository`);
  });

  test('keyword form: method, statement keys, actions with the service apart, wildcards, ARN parts', () => {
    const t = tokenize('iam_policy("AmazonS3ReadOnlyAccess", Action: ["s3:Get*", "s3:List?ucket"], Effect: "Allow", Resource: "arn:aws:s3:::my-bucket/*")');
    assertScope(t, 0, 'iam_policy', DSL);
    assertScope(t, 0, 'AmazonS3ReadOnlyAccess', CALL);
    assertNoScope(t, 0, 'AmazonS3ReadOnlyAccess', ACTION);
    for (const key of ['Action', 'Effect', 'Resource']) assertScope(t, 0, key, KEY);
    assertScope(t, 0, 's3', SERVICE);
    assertScope(t, 0, 's3', ACTION);
    assertScope(t, 0, 'Get', ACTION_NAME);
    assertScope(t, 0, '*', WILDCARD);
    assertScope(t, 0, '?', WILDCARD);
    assertScope(t, 0, 'ucket', ACTION_NAME);
    assertNoScope(t, 0, 'Allow', ACTION);
    assertScope(t, 0, 'arn', 'storage.type.arn.ufo-iam');
    assertScope(t, 0, 'aws', 'support.constant.arn-partition.ufo-iam');
    assertScope(t, 0, 's3', SERVICE, 2);
    assertScope(t, 0, 's3', ARN, 2);
    assertScope(t, 0, 'my-bucket/', 'string.other.arn-resource.ufo-iam');
    assertScope(t, 0, '*', WILDCARD, 1);
  });

  test('bare form over several lines, with %w words and a comment after a comma', () => {
    const t = tokenize(
      [
        'iam_policy "EcsExecuteCommand",',
        '  Action: %w[ssmmessages:CreateControlChannel ssmmessages:OpenDataChannel],',
        '  Effect: "Allow", # for ufo exec: ssmmessages:OpenDataChannel',
        '  Resource: "*"',
        'x = { Action: "s3:GetObject" }',
      ].join('\n'),
    );
    assertScope(t, 0, 'iam_policy', DSL);
    assertScope(t, 1, 'Action', KEY);
    assertScope(t, 1, 'ssmmessages', SERVICE);
    assertScope(t, 1, 'CreateControlChannel', ACTION_NAME);
    assertScope(t, 1, 'OpenDataChannel', ACTION_NAME);
    assertScope(t, 2, 'Effect', KEY);
    assertScope(t, 2, ' for ufo exec: ssmmessages:OpenDataChannel', COMMENT);
    assertNoScope(t, 2, ' for ufo exec: ssmmessages:OpenDataChannel', ACTION);
    assertScope(t, 3, 'Resource', KEY);
    // The call ends with the line that does not continue; the next line is plain Ruby.
    assertNoScope(t, 4, 'Action', CALL);
    assertScope(t, 4, 'Action', 'constant.other.symbol.hashkey.ruby');
    assertNoScope(t, 4, 's3:GetObject', ACTION);
  });

  test('array of statements: hash-rocket and JSON-style keys, condition keys, interpolation, policy variables', () => {
    const t = tokenize(
      [
        'iam_policy("custom-policy", [',
        '  {',
        '    "Action" => ["iam:PassRole"],',
        "    :Effect => 'Allow',",
        '    "Resource": "arn:aws:iam::#{account}:role/app-*",',
        '    Condition: { "StringEquals" => { "iam:PassedToService" => "ecs-tasks.amazonaws.com" } },',
        '  },',
        '  {',
        '    Sid: "Logs", NotAction: "logs:Delete*", NotResource: "arn:aws:logs:*:112233445566:log-group:/ecs/${aws:username}:*", Principal: "*"',
        '  }',
        '])',
        'y = "iam:PassRole"',
      ].join('\n'),
    );
    assertScope(t, 0, 'iam_policy', DSL);
    assertScope(t, 2, 'Action', KEY);
    assertScope(t, 2, 'PassRole', ACTION_NAME);
    assertScope(t, 3, 'Effect', KEY);
    assertScope(t, 4, 'Resource', KEY);
    assertScope(t, 4, 'iam', SERVICE);
    assertScope(t, 4, 'account', 'meta.embedded.line.ruby');
    assertScope(t, 4, 'role/app-', 'string.other.arn-resource.ufo-iam');
    assertScope(t, 5, 'Condition', KEY);
    assertScope(t, 5, 'PassedToService', 'support.type.property-name.iam-condition-key.ufo-iam');
    assertNoScope(t, 5, 'StringEquals', KEY);
    assertNoScope(t, 5, 'ecs-tasks.amazonaws.com', ACTION);
    for (const key of ['Sid', 'NotAction', 'NotResource', 'Principal']) assertScope(t, 8, key, KEY);
    assertScope(t, 8, 'Delete', ACTION_NAME);
    assertScope(t, 8, '112233445566', 'constant.numeric.arn-account.ufo-iam');
    assertScope(t, 8, '*', 'constant.other.arn-region.ufo-iam', 1);
    assertScope(t, 8, '${aws:username}', 'variable.other.policy-variable.ufo-iam');
    assertScope(t, 10, ')', CALL);
    assertNoScope(t, 11, 'iam:PassRole', CALL);
    assertNoScope(t, 11, 'iam:PassRole', ACTION);
  });

  test('managed_iam_policy names and managed policy ARNs', () => {
    const t = tokenize('managed_iam_policy("AmazonSSMReadOnlyAccess", "service-role/AmazonECSTaskExecutionRolePolicy", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")');
    assertScope(t, 0, 'managed_iam_policy', DSL);
    assertScope(t, 0, 'service-role/AmazonECSTaskExecutionRolePolicy', CALL);
    assertNoScope(t, 0, 'service-role/AmazonECSTaskExecutionRolePolicy', ACTION);
    assertScope(t, 0, 'aws', 'constant.numeric.arn-account.ufo-iam', 1);
    assertScope(t, 0, 'policy/AmazonS3ReadOnlyAccess', 'string.other.arn-resource.ufo-iam');
  });

  test('comments are not marked', () => {
    const t = tokenize(
      [
        '# iam_policy("S3", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b")',
        '  # managed_iam_policy("AmazonSSMReadOnlyAccess")',
        'iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*") # Action: s3:PutObject',
      ].join('\n'),
    );
    for (const line of [0, 1]) {
      for (const token of t.filter((x) => x.line === line && x.text.trim() !== '')) {
        assert.ok(hasScope(token.scopes, COMMENT), `line ${line} "${token.text}": ${token.scopes.join(' | ')}`);
        assert.ok(!token.scopes.some((s) => s.includes('ufo-iam')), `line ${line} "${token.text}": ${token.scopes.join(' | ')}`);
      }
    }
    assertScope(t, 2, 'iam_policy', DSL);
    assertScope(t, 2, ' Action: s3:PutObject', COMMENT);
    assertNoScope(t, 2, ' Action: s3:PutObject', ACTION);
    assertNoScope(t, 2, ' Action: s3:PutObject', KEY);
  });

  test('other Ruby is left alone: receivers, definitions, strings, look-alike strings', () => {
    const t = tokenize(
      [
        'obj.iam_policy("s3:GetObject")',
        'def iam_policy(name, statements); end',
        's = "iam_policy(x, Action: [\'s3:GetObject\'])"',
        'task "db:migrate"',
        'iam_policy_name = "x"',
      ].join('\n'),
    );
    assertNoScope(t, 0, 'iam_policy', DSL);
    assertNoScope(t, 0, 's3:GetObject', ACTION);
    assertNoScope(t, 1, 'iam_policy', DSL);
    assertNoScope(t, 2, 'iam_policy(x', DSL);
    assertNoScope(t, 3, 'db:migrate', ACTION);
    assertNoScope(t, 4, 'iam_policy_name', DSL);
  });

  test('action look-alikes inside a call: hosts, URLs and ports are not actions', () => {
    const t = tokenize('iam_policy("x", Resource: ["http://example.com:8080/a", "s3:GetObject:extra", "ecs-tasks.amazonaws.com"])');
    assertNoScope(t, 0, 'http://example.com:8080/a', ACTION);
    assertNoScope(t, 0, 's3:GetObject:extra', ACTION);
    assertNoScope(t, 0, 'ecs-tasks.amazonaws.com', ACTION);
  });

  test('every action string in the example role files is tokenized as an action', () => {
    const files = [
      'examples/demo/.ufo/iam_roles/task_role.rb',
      'examples/demo/.ufo/iam_roles/execution_role.rb',
      'examples/demo-v6/.ufo/resources/iam_roles/task_role.rb',
      'examples/demo-v6/.ufo/resources/iam_roles/execution_role.rb',
    ];
    let actions = 0;
    for (const file of files) {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      const t = tokenize(source);
      source.split('\n').forEach((line, n) => {
        if (/^\s*#/.test(line)) return;
        for (const m of line.matchAll(/["' ]([a-z0-9-]+):([A-Za-z0-9*?]+)(?=["' \]])/g)) {
          assertScope(t, n, m[2], ACTION_NAME);
          actions++;
        }
        if (/^\s*(?:managed_)?iam_policy\b/.test(line)) assertScope(t, n, line.trim().split(/[ (]/)[0], DSL);
      });
    }
    assert.ok(actions >= 8, `only ${actions} actions in the examples`);
  });
});
