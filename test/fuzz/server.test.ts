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
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';
import { loadSeeds, mulberry32, randomEdit, regressionInputs, specialInputs } from './inputs';

const SEED = Number(process.env.UFO_IAM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SECONDS = Number(process.env.UFO_IAM_FUZZ_SECONDS ?? 60);
const MAX_EDITS = Number(process.env.UFO_IAM_FUZZ_EDITS ?? 1_000_000);
const REQUEST_TIMEOUT_MS = 1000;

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
    const regressions = regressionInputs();
    const special = specialInputs();
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
        const edit = randomEdit(text, rand);
        const range = { start: positionAt(text, edit.start), end: positionAt(text, edit.end) };
        text = edit.text;
        client.edit(uri, range, edit.insert);
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
