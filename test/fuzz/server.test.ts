// Fuzzing the real server: thousands of edit sequences derived from the fixtures (deleted and inserted
// characters and tokens, unbalanced brackets and quotes, random Unicode with surrogate pairs, very long
// lines, deep nesting, binary bytes, a 2 MB file), interleaved with requests at random positions and
// malformed params. Every request must be answered (result or LSP error) within 1 s, the server must
// not crash, and its log must hold no exception.
// Seed: UFO_IAM_FUZZ_SEED (printed); length: UFO_IAM_FUZZ_SECONDS (default 60) and UFO_IAM_FUZZ_EDITS.
// Inputs that once failed live in test/fixtures/fuzz/ and are replayed first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, fileUri, ROOT } from '../support/lspClient';
import { makeProject } from '../support/project';
// @ts-expect-error plain ESM helper shared with the benchmark
import { generateRoleFile } from '../../bench/generate.mjs';

const SEED = Number(process.env.UFO_IAM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SECONDS = Number(process.env.UFO_IAM_FUZZ_SECONDS ?? 60);
const MAX_EDITS = Number(process.env.UFO_IAM_FUZZ_EDITS ?? 1_000_000);
const REQUEST_TIMEOUT_MS = 1000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '"', "'", '[', ']', '{', '}', '(', ')', ',', ':', '=>', '#{', '}', '<<~EOS\n', '\nEOS\n', '<<-X\n', '%w[', '%i[', '%q(', '\\', '\\"',
  'iam_policy(', 'managed_iam_policy(', 'Action: ', 'NotAction: ', 'Resource: ', 'Condition: { ', 'StringEquals: {', '"aws:', '"s3:Get', '"s3:',
  '"*"', '*', '?', '"iam:PassRole"', 'Effect: "Allow"', 'Effect: :Allow', 'ENV["X"]', 'if true\n', 'end\n', 'do |x|\n', '\n', '\r\n', '\t', ' ',
  '# ufo-iam:disable-next-line INVALID_ACTION\n', '# ufo-iam:disable ', 'nil', '1.0', '-', 'service-role/', '"arn:aws:s3:::', '`ls`', '__END__\n',
];
const UNICODE = ['ü', 'ß', '日本', '😀', '👩‍👩‍👧', '\u{10ffff}', '\ud800', '\udc00', '\u0000', '\u0007', '\u200b', '\ufeff', 'ﬁ', 'İ', '\u2028'];

function loadSeeds(): string[] {
  const seeds: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.rb')) seeds.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(ROOT, 'test/fixtures'));
  walk(path.join(ROOT, 'examples'));
  seeds.push(generateRoleFile(100));
  return seeds.filter((s) => s.length < 200_000);
}

interface Pos {
  line: number;
  character: number;
}

function positionAt(text: string, offset: number): Pos {
  let line = 0;
  let last = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) {
    line++;
    last = i + 1;
  }
  return { line, character: offset - last };
}

test(`the server survives fuzzed edits and requests (seed ${SEED})`, { timeout: (SECONDS + 90) * 1000 }, async (t) => {
  console.log(`fuzz seed ${SEED} (rerun with UFO_IAM_FUZZ_SEED=${SEED}), ${SECONDS}s budget`);
  const rand = mulberry32(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const int = (n: number) => Math.floor(rand() * n);
  const seeds = loadSeeds();
  const root = makeProject({ '.ufo/settings.yml': 'default: {}\n', '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("AmazonSSMReadOnlyAccess")\n' });
  const client = await LspClient.start();
  // If the test times out, the server must not keep the runner alive.
  t.signal.addEventListener('abort', () => client.child.kill('SIGKILL'));
  const errorsLogged: string[] = [];
  client.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
    if (p.type === 1) errorsLogged.push(p.message);
  });
  const deadline = Date.now() + SECONDS * 1000;
  let requests = 0;
  let edits = 0;
  let lspErrors = 0;
  const slow: string[] = [];

  let currentText = '';
  async function ask(method: string, params: unknown): Promise<void> {
    requests++;
    const t = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), REQUEST_TIMEOUT_MS * 5)));
    const answer = client.request(method, params).then(
      () => 'ok' as const,
      (e: { code?: number }) => {
        if (typeof e?.code !== 'number') throw e;
        lspErrors++;
        return 'lsp-error' as const;
      },
    );
    const r = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    const ms = Date.now() - t;
    if (r === 'timeout' || ms > REQUEST_TIMEOUT_MS) {
      slow.push(`${method} took ${ms} ms${r === 'timeout' ? ' (no answer)' : ''}`);
      // Keep the input for a regression fixture.
      if (process.env.UFO_IAM_FUZZ_DUMP) fs.writeFileSync(`${process.env.UFO_IAM_FUZZ_DUMP}.${slow.length}.rb`, currentText);
    }
  }

  async function randomRequests(uri: string, text: string): Promise<void> {
    currentText = text;
    const n = 1 + int(3);
    for (let i = 0; i < n; i++) {
      const off = int(text.length + 1);
      const pos = rand() < 0.05 ? { line: int(5000), character: int(500) } : positionAt(text, off);
      const doc = { uri };
      const kind = int(8);
      if (kind === 0) await ask('textDocument/hover', { textDocument: doc, position: pos });
      else if (kind === 1) await ask('textDocument/documentSymbol', { textDocument: doc });
      else if (kind === 2) await ask('textDocument/codeAction', { textDocument: doc, range: { start: pos, end: pos }, context: { diagnostics: [] } });
      else if (kind === 3) await ask('textDocument/codeLens', { textDocument: doc });
      else if (kind === 4) await ask('ufoIam/preview', { uri });
      else await ask('textDocument/completion', { textDocument: doc, position: pos });
    }
  }

  const malformed: Array<[string, unknown]> = [
    ['textDocument/completion', null],
    ['textDocument/completion', {}],
    ['textDocument/completion', { textDocument: { uri: 'file:///nope.rb' }, position: { line: 0, character: 0 } }],
    ['textDocument/completion', { textDocument: { uri: 42 }, position: 'x' }],
    ['textDocument/hover', { textDocument: {}, position: { line: -1, character: -5 } }],
    ['textDocument/hover', { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 1e9, character: 1e9 } }],
    ['textDocument/codeAction', { textDocument: { uri: 'file:///x.rb' } }],
    ['textDocument/codeAction', { textDocument: { uri: 'file:///x.rb' }, range: null, context: null }],
    ['textDocument/documentSymbol', { textDocument: null }],
    ['textDocument/codeLens', []],
    ['ufoIam/preview', { uri: 'not a uri' }],
    ['ufoIam/preview', null],
    ['completionItem/resolve', { label: 'x', data: { bogus: true } }],
    ['completionItem/resolve', null],
  ];

  try {
    // Replay stored regressions and the pathological shapes first.
    const regressions = fs.existsSync(path.join(ROOT, 'test/fixtures/fuzz'))
      ? fs.readdirSync(path.join(ROOT, 'test/fixtures/fuzz')).map((f) => fs.readFileSync(path.join(ROOT, 'test/fixtures/fuzz', f), 'utf8'))
      : [];
    const special = [
      '[' .repeat(3000) + ']'.repeat(10),
      `iam_policy("P", Action: "${'x'.repeat(200_000)}")`,
      'iam_policy(' + '{a: '.repeat(500) + '1' + '}'.repeat(500) + ')',
      Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join(''),
      'managed_iam_policy("' + '😀'.repeat(20_000),
      generateRoleFile(70_000), // about 2 MB
      generateRoleFile(14_000), // just under the analysis limit
    ];
    let docNo = 0;
    for (const text of [...regressions, ...special]) {
      const uri = fileUri(path.join(root, `.ufo/iam_roles/task_role.rb`));
      docNo++;
      client.open(uri, text);
      await randomRequests(uri, text);
      client.close(uri);
    }
    for (const [m, p] of malformed) await ask(m, p);

    while (Date.now() < deadline && edits < MAX_EDITS && slow.length < 10) {
      const uri = fileUri(path.join(root, rand() < 0.8 ? '.ufo/iam_roles/task_role.rb' : '.ufo/iam_roles/execution_role.rb'));
      let text = pick(seeds);
      client.open(uri, text);
      const steps = 5 + int(40);
      for (let s = 0; s < steps && Date.now() < deadline; s++) {
        const a = int(text.length + 1);
        const op = int(10);
        let insert = '';
        let end = a;
        if (op < 3) end = Math.min(text.length, a + 1 + int(op === 0 ? 1 : 20)); // delete
        else if (op < 7) insert = pick(TOKENS);
        else if (op < 9) insert = Array.from({ length: 1 + int(4) }, () => pick(UNICODE)).join('');
        else insert = pick(TOKENS) + 'a'.repeat(int(5000));
        const range = { start: positionAt(text, a), end: positionAt(text, end) };
        text = text.slice(0, a) + insert + text.slice(end);
        client.edit(uri, range, insert);
        edits++;
        if (rand() < 0.5) await randomRequests(uri, text);
      }
      client.close(uri);
    }
    // The server still answers, with a sane result, after all of it.
    const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
    client.open(uri, 'iam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n');
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    console.log(`fuzz: ${edits} edits, ${requests} requests (${lspErrors} answered with an LSP error) in ${docNo} special documents and ${seeds.length} seeds`);
    assert.equal(client.child.exitCode, null, 'the server is alive');
    assert.equal(symbols.length, 1, `outline after fuzzing: ${JSON.stringify(symbols)}; log: ${errorsLogged.join('\n')}`);
    assert.deepEqual(slow, [], `requests over ${REQUEST_TIMEOUT_MS} ms`);
    assert.deepEqual(errorsLogged, [], 'exceptions in the server log');
    assert.doesNotMatch(client.stderr.join(''), /uncaught exception|unhandled rejection/i);
  } finally {
    await client.stop();
  }
});
