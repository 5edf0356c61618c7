// An edit inside one call re-parses only that call (core/incremental.ts): the analysis it gives, and the findings the
// checks make of it, must equal a full parse's, on every edit of the fuzz corpus. The edits are chained (each starts
// from the analysis the previous one gave), half of them land inside a call's parentheses, and the test counts how
// many took the short path, so it fails if the short path silently stops being taken as well as if it is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, parse } from '../support/core';
import { analyzeRoleFile, indexText, type RoleFileAnalysis } from '../../server/src/core/analysis';
import { commonEnds, editedPart, reanalyzeRoleFile } from '../../server/src/core/incremental';
import { runChecks } from '../../server/src/core/checks';
import { classifyFile, resolveLayout } from '../../server/src/core/layout/projectLayout';
import { knowledge } from './iam/iamData';
import type { IamKnowledge } from '../../server/src/core/iam/iamKnowledge';
import { loadCorpus, mulberry32, randomEdit, TOKENS, UNICODE } from '../fuzz/inputs';

let iam: IamKnowledge;
test.before(async () => {
  iam = await knowledge();
});
const PATH = '.ufo/resources/iam_roles/task_role.rb';
const fileRole = classifyFile(PATH, resolveLayout({ files: [PATH], version: 6 }));
const check = (analysis: RoleFileAnalysis, fresh = false) => runChecks({ analysis, fileRole, version: 6, iam, fresh });

/** What the rest of the server reads of an analysis. */
const observable = (a: RoleFileAnalysis) => ({ text: a.text, model: a.model, findings: a.findings });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An edit inside the parentheses of a random call: typing a letter, a token, Unicode, or deleting a few characters. */
function editInsideCall(a: RoleFileAnalysis, rand: () => number): string | undefined {
  const calls = a.model.calls.filter((c) => c.openParen !== undefined && c.closeParen !== undefined && c.closeParen > c.openParen);
  if (calls.length === 0) return undefined;
  const c = calls[Math.floor(rand() * calls.length)];
  // A UTF-16 offset inside the parentheses (bytes → text through the prefix's decoding).
  const lo = decoder.decode(a.bytes.subarray(0, c.openParen! + 1)).length;
  const hi = decoder.decode(a.bytes.subarray(0, c.closeParen!)).length;
  const start = lo + Math.floor(rand() * (hi - lo + 1));
  const op = Math.floor(rand() * 6);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  if (op === 0) return a.text.slice(0, start) + a.text.slice(Math.min(hi, start + 1 + Math.floor(rand() * 3)));
  const insert = op < 3 ? 'abcxyz:*"'.charAt(Math.floor(rand() * 9)) : op < 5 ? pick(TOKENS) : pick(UNICODE);
  return a.text.slice(0, start) + insert + a.text.slice(start);
}

/** An edit inside a random comment, after its `#`: typing a letter, a colon (a magic comment's shape) or Unicode, or deleting. */
function editInsideComment(a: RoleFileAnalysis, rand: () => number): string | undefined {
  const comments = a.model.comments.filter((c) => c.text.startsWith('#'));
  if (comments.length === 0) return undefined;
  const c = comments[Math.floor(rand() * comments.length)];
  const lo = decoder.decode(a.bytes.subarray(0, c.span.start + 1)).length;
  const hi = decoder.decode(a.bytes.subarray(0, c.span.end)).length;
  const start = lo + Math.floor(rand() * (hi - lo + 1));
  const op = Math.floor(rand() * 5);
  if (op === 0) return a.text.slice(0, start) + a.text.slice(Math.min(hi, start + 1 + Math.floor(rand() * 3)));
  const insert = op === 1 ? 'x' : op === 2 ? ': ' : op === 3 ? UNICODE[Math.floor(rand() * UNICODE.length)] : ' -*- ';
  return a.text.slice(0, start) + insert + a.text.slice(start);
}

/** Whole lines typed or pasted between statements, the ones the short path takes and the ones it must refuse. */
const LINES = [
  'x', 'iam_policy("N", Action: "s3:GetObject", Effect: "Allow", Resource: "*")', 'managed_iam_policy("AmazonS3ReadOnlyAccess")',
  '# a note', '', 'helper', 'iam_poliyc("N", {})', '.freeze', '  && x', '&.then', 'y = 1', 'def h; end', 'h', '__END__', 'x \\',
  'iam_policy("N", <<~J)\n[]\nJ', '=begin\nnote\n=end', '# frozen_string_literal: true', 'BEGIN { }', '[1].each { |i| iam_policy("E", {}) }',
  'if true', 'end', 'x; managed_iam_policy("A")', 'iam_policy("S", Sid: __LINE__, Action: "s3:*", Effect: "Allow", Resource: "*")', 'Foo', '.. 3',
];

/**
 * An edit among top-level statements: a line typed or pasted at a line start, a line deleted, or a letter typed or
 * removed at a line start, where statementsPart re-parses the statements around it alone.
 */
function editBetweenStatements(a: RoleFileAnalysis, rand: () => number): string {
  const lines = a.text.split('\n');
  const at = Math.floor(rand() * lines.length);
  const op = Math.floor(rand() * 4);
  if (op === 0) lines.splice(at, 0, LINES[Math.floor(rand() * LINES.length)]);
  else if (op === 1 && lines.length > 1) lines.splice(at, 1);
  else if (op === 2) lines[at] = 'x' + lines[at];
  else lines[at] = lines[at].slice(1);
  return lines.join('\n');
}

function runChain(seed: number, start: string, steps: number): { short: number; statements: number; total: number } {
  const rand = mulberry32(seed);
  let prev = analyze(start);
  let clean = prev;
  let short = 0;
  let statements = 0;
  for (let i = 0; i < steps; i++) {
    // Half-typed code falls back to full parses until it is fixed: go back to the last clean text now and then.
    if (prev.model.hasSyntaxErrors && rand() < 0.5) prev = clean;
    const r = rand();
    const next =
      (r < 0.4 ? editInsideCall(prev, rand) : r < 0.55 ? editInsideComment(prev, rand) : r < 0.8 ? editBetweenStatements(prev, rand) : undefined) ??
      randomEdit(prev.text, rand).text;
    const indexed = indexText(next);
    const incremental = reanalyzeRoleFile(parse(), prev, indexed);
    const full = analyzeRoleFile(parse(), next, indexed);
    if (incremental) {
      short++;
      if (editedPart(prev, indexed)?.kind === 'statements') statements++;
      // The findings every time, as the server publishes them; the whole model now and then, so that calls moved by
      // one edit are also moved again by the next before anything reads their values (they move them when read).
      assert.deepStrictEqual(check(incremental), check(full, true), `seed ${seed}, step ${i}: the findings differ from a full check's`);
      if (rand() < 0.3 || i === steps - 1) assert.deepStrictEqual(observable(incremental), observable(full), `seed ${seed}, step ${i}: the analysis differs from a full parse's\n${next}`);
      assert.deepStrictEqual(incremental.reuse, full.reuse, `seed ${seed}, step ${i}: what the next edit reuses differs`);
    }
    // Chain from the short path's result when it was taken: its mistakes would pile up.
    prev = incremental ?? full;
    if (!prev.model.hasSyntaxErrors) clean = prev;
  }
  return { short, statements, total: steps };
}

test('an edit inside one call gives the analysis and findings of a full parse, on every edit of the fuzz corpus', () => {
  const corpus = loadCorpus();
  let short = 0;
  let statements = 0;
  let total = 0;
  corpus.forEach((text, k) => {
    const r = runChain(1000 + k, text, 40);
    short += r.short;
    statements += r.statements;
    total += r.total;
  });
  // Most edits inside a call keep it a complete call (a letter inside a string): the short path must carry them (1,287
  // of 7,360 edits when this was written).
  assert.ok(short - statements > total * 0.15, `only ${short - statements} of ${total} edits re-parsed one call or comment alone`);
  // A line typed between statements is re-parsed with the statements around it (statementsPart): 329 of 7,360, the
  // others being lines it must refuse (LINES) or edits of texts with syntax errors.
  assert.ok(statements > total * 0.03, `only ${statements} of ${total} edits re-parsed the statements around them alone`);
});

test('the short path is taken for typing in an action string, and not where it cannot be exact', () => {
  const text = 'bucket = "b"\nmanaged_iam_policy("AmazonS3ReadOnlyAccess")\niam_policy("P", Action: ["s3:GetObject"], Effect: "Allow", Resource: bucket)\n# after\niam_policy("Q", Action: "sqs:SendMessage", Effect: "Allow", Resource: "*")\n';
  const prev = analyze(text);
  const at = text.indexOf('GetObject') + 3;
  const typed = text.slice(0, at) + 'x' + text.slice(at);
  const next = reanalyzeRoleFile(parse(), prev, indexText(typed));
  assert.ok(next, 'typing a letter in an action string re-parses that call alone');
  assert.deepStrictEqual(observable(next), observable(analyze(typed)));
  // The local variable stays a local variable in the call parsed alone.
  const resource = next.model.calls[1].method === 'iam_policy' ? next.model.calls[1].statements[0] : undefined;
  assert.ok(resource?.kind === 'hash' && resource.entries.some((e) => e.value.kind === 'dynamic' && e.value.reason === 'a local variable'));
  const cases: [string, string][] = [
    ['an edit between two calls', text.replace('\n# after', '\nx = 1 # after')],
    ['a syntax error inside the call', text.replace('["s3:GetObject"]', '["s3:GetObject"')],
    ['a heredoc inside the call', text.replace('Resource: "*"', 'Resource: <<~R\n*\nR\n')],
    ['an assignment inside the call', text.replace('Resource: "*"', 'Resource: (r = "*")')],
    ['an edit that closes the call early', text.replace('"sqs:SendMessage", ', '"sqs:SendMessage"), (')],
  ];
  for (const [what, changed] of cases) assert.equal(reanalyzeRoleFile(parse(), prev, indexText(changed)), undefined, what);
});

test('an edit inside a comment between statements keeps the rest of the model, and not where the comment could matter', () => {
  const text = '# first line\nlocal = 1 # second line\nbucket = "b" # the bucket\n# Read access für 日本\niam_policy("P", Action: ["s3:GetObject"], Effect: "Allow", Resource: bucket) # trailing\r\n# ufo-iam:disable POLICY_SIZE\n=begin\ndoc\n=end\nif true\n  # inside\n  managed_iam_policy("AmazonS3ReadOnlyAccess")\nend\n';
  const prev = analyze(text);
  for (const [from, to] of [
    ['# Read access', '# Reading access'],
    ['für 日本', 'für 日本😀'],
    ['# trailing', '# trailin'],
    ['# trailing', '# trailing more'],
    ['# the bucket', '# the'],
    ['# inside', '# inside x'],
    ['# ufo-iam:disable POLICY_SIZE', '# ufo-iam:disable POLICY_SIZ'],
  ]) {
    const typed = text.replace(from, to);
    const next = reanalyzeRoleFile(parse(), prev, indexText(typed));
    assert.ok(next, `${from} → ${to}`);
    assert.deepStrictEqual(observable(next), observable(analyze(typed)), `${from} → ${to}`);
  }
  const cases: [string, string][] = [
    ['a line break typed in a comment', text.replace('# Read access', '# Read\nx = 1 # access')],
    ['a comment that becomes a magic comment', text.replace('# Read access für 日本', '# frozen_string_literal: true')],
    ['an emacs-style magic comment', text.replace('# Read access', '# -*- warn-indent: true -*- Read access')],
    ['inside =begin … =end', text.replace('doc', 'docs')],
    // Where Ruby reads the file's encoding (seed 171772760: a NUL in a first-line comment is an invalid encoding to Prism).
    ['a comment on the first line', text.replace('# first line', '# first\0line')],
    ['a comment on the second line', text.replace('# second line', '# second')],
  ];
  for (const [what, changed] of cases) assert.equal(reanalyzeRoleFile(parse(), prev, indexText(changed)), undefined, what);
  // A comment inside a call that may not be parsed alone (its line holds a heredoc) is part of that call's text.
  const inCall = 'iam_policy("P", <<~J) # note\n[{"Action": "s3:GetObject", "Effect": "Allow", "Resource": "*"}]\nJ\n';
  assert.equal(reanalyzeRoleFile(parse(), analyze(inCall), indexText(inCall.replace('# note', '# notes'))), undefined);
});

test('an edit among top-level statements re-parses them and the lines around them alone, and not where the rest could change', () => {
  const text = [
    '# one', '# two', 'bucket = "b"', 'def helper = "arn:aws:s3:::b"', 'managed_iam_policy("AmazonS3ReadOnlyAccess")',
    '# Policy 0: access für 日本', 'iam_policy("P", Action: ["s3:GetObject"], Effect: "Allow", Resource: bucket)', '',
    'iam_policy("Q", Action: "sqs:SendMessage", Effect: "Allow", Resource: "*")', '# end', '',
  ].join('\n');
  const prev = analyze(text);
  const taken: [string, string][] = [
    ['a letter typed at a line start (a method call)', text.replace('# Policy 0', 'x# Policy 0')],
    ['a call typed between two calls', text.replace('\n\niam_policy("Q"', '\nmanaged_iam_policy("X")\niam_policy("Q"')],
    ['a call pasted with a line break', text.replace('# end', 'iam_policy("N", Action: "s3:*", Effect: "Allow", Resource: helper)\n# end')],
    ['a call deleted', text.replace('managed_iam_policy("AmazonS3ReadOnlyAccess")\n', '')],
    ['a call and the lines around it replaced', text.replace('# Policy 0: access für 日本\niam_policy("P"', '\n\niam_policy("R"')],
    ['code typed before a comment (a method the file defines)', text.replace('# end', 'helper # end')],
    ['a misspelt method typed', text.replace('# end', 'iam_polcy("N", {})')],
    ['a use of a local variable', text.replace('# end', 'managed_iam_policy(bucket)')],
    ['=begin … =end typed at the end of the file', text.replace('# end', '=begin\nnote\n=end')],
    ['a conditional call', text.replace('# end', 'if true\n  iam_policy("C", Action: "s3:*", Effect: "Allow", Resource: "*")\nend')],
  ];
  for (const [what, changed] of taken) {
    const indexed = indexText(changed);
    assert.equal(editedPart(prev, indexed)?.kind, 'statements', what);
    const next = reanalyzeRoleFile(parse(), prev, indexed);
    assert.ok(next, what);
    const full = analyzeRoleFile(parse(), changed, indexed);
    assert.deepStrictEqual(observable(next), observable(full), what);
    assert.deepStrictEqual(next.reuse, full.reuse, what);
    assert.deepStrictEqual(check(next), check(full, true), what);
  }
  const refused: [string, string][] = [
    ['a method called on the call before (a line starting with a dot)', text.replace('\n# Policy 0', '\n  .freeze\n# Policy 0')],
    ['a line joined to the next statement with a backslash', text.replace('# Policy 0: access für 日本', 'x \\')],
    ['a letter typed against the next statement', text.replace('\niam_policy("P"', '\nxiam_policy("P"')],
    ['a local variable assigned', text.replace('# end', 'y = 1')],
    ['the first assignment of a local variable removed', text.replace('bucket = "b"', 'bucket2')],
    ['a method defined', text.replace('# end', 'def other = 1')],
    ['a method definition removed', text.replace('def helper = "arn:aws:s3:::b"', 'helper2')],
    ['__END__ typed', text.replace('# end', '__END__')],
    ['a heredoc typed', text.replace('# end', 'iam_policy("H", <<~J)\n[]\nJ')],
    ['a magic comment typed', text.replace('# end', '# shareable_constant_value: literal')],
    ['=begin … =end typed before a statement', text.replace('\n\niam_policy("Q"', '\n=begin\nnote\n=end\niam_policy("Q"')],
    ['an edit on the second line', text.replace('# two', 'x')],
    ['a syntax error', text.replace('# end', 'iam_policy("N", {')],
    ['a line break removed between a comment and a call (the call becomes part of the comment)', text.replace('access für 日本\n', 'access für 日本 ')],
  ];
  for (const [what, changed] of refused) assert.equal(reanalyzeRoleFile(parse(), prev, indexText(changed)), undefined, what);
});

test('an edit that adds or removes a line in a file that uses __LINE__ is parsed with the whole file: the lines after it move', () => {
  const text = '# roles\n\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n# note\niam_policy("Q", Action: "s3:GetObject", Effect: "Allow", Resource: "*", Sid: "L#{__LINE__}")\n';
  const prev = analyze(text);
  for (const [what, changed] of [
    ['a line break typed in a call before it', text.replace('"Allow", Resource: "*")\n#', '"Allow",\n  Resource: "*")\n#')],
    ['a line typed between the calls', text.replace('# note', '# note\nx')],
    ['a line removed between the calls', text.replace('# note\n', '')],
  ]) {
    assert.equal(reanalyzeRoleFile(parse(), prev, indexText(changed)), undefined, what);
    const sid = (a: RoleFileAnalysis) => JSON.stringify(a.model.calls[1]).match(/"L(\d+)"/)?.[1];
    assert.equal(sid(analyze(changed)), String(changed.split('\n').findIndex((l) => l.includes('__LINE__')) + 1), what);
  }
  // On the same lines, the short path is taken.
  for (const changed of [text.replace('GetObject"', 'GetObjectX"'), text.replace('# note', 'x # note')]) {
    const next = reanalyzeRoleFile(parse(), prev, indexText(changed));
    assert.ok(next, changed);
    assert.deepStrictEqual(observable(next), observable(analyze(changed)));
  }
});

test('__LINE__ in a call parsed alone counts the lines of the file before it', () => {
  const text = '# one\n# two\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*", Sid: __LINE__)\n';
  const typed = text.replace('GetObject', 'GetObjectX');
  const next = reanalyzeRoleFile(parse(), analyze(text), indexText(typed));
  assert.ok(next);
  assert.deepStrictEqual(observable(next), observable(analyze(typed)));
  assert.ok(JSON.stringify(next.model.calls[0], (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)).includes('"3n"'));
});

test('non-ASCII text before and inside the call keeps exact byte spans', () => {
  const text = '# Zugriff für 日本 😀\niam_policy("Pü", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::bücket/*")\niam_policy("Q", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n';
  for (const [from, to] of [
    ['bücket', 'bück😀et'],
    ['"Pü"', '"Pö"'],
    ['GetObject"]', 'GetObjectü"]'],
  ]) {
    const typed = text.replace(from, to);
    const next = reanalyzeRoleFile(parse(), analyze(text), indexText(typed));
    assert.ok(next, from);
    assert.deepStrictEqual(observable(next), observable(analyze(typed)), from);
    assert.equal(encoder.encode(typed).length, next.bytes.length);
  }
});

test('commonEnds finds the common prefix and suffix byte by byte, whatever the alignment', () => {
  const rand = mulberry32(7);
  for (let k = 0; k < 2000; k++) {
    const base = Array.from({ length: Math.floor(rand() * 40) }, () => 'ab'.charAt(Math.floor(rand() * 2))).join('');
    const at = Math.floor(rand() * (base.length + 1));
    const cut = Math.min(base.length, at + Math.floor(rand() * 4));
    const other = base.slice(0, at) + 'ab'.slice(0, Math.floor(rand() * 3)) + base.slice(cut);
    const a = encoder.encode(base);
    const b = encoder.encode(other);
    let p = 0;
    while (p < Math.min(a.length, b.length) && a[p] === b[p]) p++;
    let s = 0;
    while (s < Math.min(a.length, b.length) - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
    assert.deepEqual(commonEnds(a, b), { p, s }, `${base} → ${other}`);
  }
});

test("a call's findings are kept per role type: the same text checked for the other role gives that role's findings", () => {
  const text = 'iam_policy("P", Action: ["ecr:GetAuthorizationToken"], Effect: "Allow", Resource: "*")\n';
  const a = analyze(text);
  for (const role of ['task_role', 'execution_role', 'task_role']) {
    const p = `.ufo/resources/iam_roles/${role}.rb`;
    const input = { analysis: a, fileRole: classifyFile(p, resolveLayout({ files: [p], version: 6 })), version: 6 as const, iam };
    assert.deepStrictEqual(runChecks(input), runChecks({ ...input, fresh: true }), role);
  }
  const task = `.ufo/resources/iam_roles/task_role.rb`;
  const codes = runChecks({ analysis: a, fileRole: classifyFile(task, resolveLayout({ files: [task], version: 6 })), version: 6, iam }).map((f) => f.code);
  assert.ok(codes.includes('ROLE_TYPE_HINT'), codes.join(','));
});

test('local variables: assigned before the call they are variables in it, assigned after or elsewhere they are not', () => {
  const cases = [
    'x = "a"\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x)\n',
    'iam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x)\nx = "a"\n',
    'if false\n  x = "a"\nend\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x)\n',
    '[1].each { |i| x = i }\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x)\n',
    'END { x = 1 }\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x)\n',
    'a, x = 1, 2\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x -1)\n',
    'def f(x = 1) = x\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x)\n',
    'iam_policy("Q", Action: "s3:GetObject", Effect: "Allow", Resource: (x = "*"))\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: x)\n',
  ];
  for (const text of cases) {
    const typed = text.replace('Action: "s3:GetObject", Effect: "Allow", Resource: x', 'Action: "s3:GetObjectX", Effect: "Allow", Resource: x');
    const next = reanalyzeRoleFile(parse(), analyze(text), indexText(typed));
    assert.ok(next, `the short path is taken: ${text}`);
    assert.deepStrictEqual(observable(next), observable(analyze(typed)), text);
  }
});
