// Fuzzing the real server: edit sequences derived from the corpus (deleted and inserted characters and tokens,
// unbalanced brackets and quotes, random Unicode with surrogate pairs, very long lines, deep nesting, binary bytes, a
// 2 MB file), interleaved with requests at random positions and malformed params. Every request must be answered
// (result or LSP error) within 1 s, the server must not crash, and its log must hold no exception. Every eighth edit,
// the diagnostics the server publishes for the new version (after edits inside one call, from core/incremental.ts
// and the checks' per-call cache) must equal those of a full parse and an uncached check of the same text.
// `npm test` runs every seed of seeds.ts with a fixed number of documents; `UFO_IAM_FUZZ_SEED` replays one seed, and
// `UFO_IAM_FUZZ_SECONDS` (as `npm run fuzz` sets it) runs that seed, or a random one, for that long instead.
// Inputs that once failed live in test/fixtures/fuzz/ and are replayed first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';
import { loadCorpus, mulberry32, randomRequests, regressionInputs, serverSteps, specialInputs, type FuzzRequest } from './inputs';
import { SERVER_DOCUMENTS_PER_SEED, fuzzPlan } from './seeds';
import { analyzeRoleFile } from '../../server/src/core/analysis';
import { runChecks } from '../../server/src/core/checks';
import { Workspace } from '../../server/src/workspace';
import { getPrism } from '../../server/src/project/prismInstance';
import { getIam } from '../../server/src/project/iamInstance';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The diagnostics of a full parse and an uncached check of `text` in the file's project, as the server converts them. */
function fullCheckDiagnostics(workspace: Workspace, uri: string, text: string) {
  const ctx = workspace.contextOf(uri, DEFAULT_SETTINGS);
  const analysis = analyzeRoleFile(getPrism(), text);
  const findings = runChecks({ analysis, fileRole: ctx.fileRole, version: ctx.layout?.version ?? 6, iam: getIam(), fresh: true });
  return findings.map((f) => toDiagnostic(analysis.lineIndex, f, f.severity ?? 'error'));
}

const PLAN = fuzzPlan(process.env, 'UFO_IAM_FUZZ_SECONDS');
/**
 * Every request is answered within 1 s, plus 2.5 ms per KB of the document: the first request on a document near the
 * parse limit (the 400 KB pathological input) parses and analyses it cold, about 0.5 s on an idle 2-core machine and
 * up to 1.4 s while other suites load it (seeds 2043147075 and 1453977871). A request with no answer after five
 * times its budget is a hang.
 */
const REQUEST_TIMEOUT_MS = 1000;
const budgetMs = (text: string): number => REQUEST_TIMEOUT_MS + Math.round((Buffer.byteLength(text) / 1024) * 2.5);

for (const seed of PLAN.seeds) {
  const budget = PLAN.seconds !== undefined ? `${PLAN.seconds}s` : `${SERVER_DOCUMENTS_PER_SEED} documents`;
  test(`the server survives fuzzed edits and requests (seed ${seed}, ${budget})`, { timeout: ((PLAN.seconds ?? 120) + 90) * 1000 }, async (t) => {
    console.log(`fuzz seed ${seed} (rerun with UFO_IAM_FUZZ_SEED=${seed}), ${budget}`);
    const corpus = loadCorpus();
    const root = makeProject({ '.ufo/settings.yml': 'default: {}\n', '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("AmazonSSMReadOnlyAccess")\n' });
    const client = await LspClient.start();
    // If the test times out, the server must not keep the runner alive.
    t.signal.addEventListener('abort', () => client.child.kill('SIGKILL'));
    const errorsLogged: string[] = [];
    client.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) errorsLogged.push(p.message);
    });
    const deadline = PLAN.seconds !== undefined ? Date.now() + PLAN.seconds * 1000 : Infinity;
    let requests = 0;
    let edits = 0;
    let documents = 0;
    let lspErrors = 0;
    const slow: string[] = [];
    let currentText = '';
    let compared = 0;
    let mirror: TextDocument | undefined;
    const workspace = new Workspace(getPrism());

    async function ask(method: string, params: unknown): Promise<void> {
      requests++;
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const limit = budgetMs(currentText);
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit * 5)));
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
      const ms = Date.now() - started;
      if (r === 'timeout' || ms > limit) {
        slow.push(`${method} took ${ms} ms${r === 'timeout' ? ' (no answer)' : ''} (document ${documents} of seed ${seed})`);
        // Keep the input for a regression fixture.
        if (process.env.UFO_IAM_FUZZ_DUMP) fs.writeFileSync(`${process.env.UFO_IAM_FUZZ_DUMP}.${slow.length}.rb`, currentText);
      }
    }
    const send = (uri: string, r: FuzzRequest) => {
      const textDocument = { uri };
      switch (r.method) {
        case 'ufoIam/preview':
        case 'ufoIam/permissions':
          return ask(r.method, { uri });
        case 'textDocument/documentSymbol':
        case 'textDocument/codeLens':
          return ask(r.method, { textDocument });
        case 'textDocument/codeAction':
          return ask(r.method, { textDocument, range: { start: r.position, end: r.position }, context: { diagnostics: [] } });
        default:
          return ask(r.method, { textDocument, position: r.position });
      }
    };

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
      ['ufoIam/permissions', { uri: 'not a uri' }],
      ['ufoIam/permissions', { uri: 42 }],
      ['ufoIam/permissions', null],
      ['completionItem/resolve', { label: 'x', data: { bogus: true } }],
      ['completionItem/resolve', null],
    ];

    try {
      // Replay stored regressions and the pathological shapes first (requests from a PRNG of the same seed).
      const fixedRand = mulberry32(seed ^ 0x5eed);
      const taskUri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
      for (const text of [...regressionInputs(), ...specialInputs()]) {
        client.open(taskUri, text);
        currentText = text;
        for (const r of randomRequests(text, fixedRand)) await send(taskUri, r);
        client.close(taskUri);
      }
      for (const [m, p] of malformed) await ask(m, p);

      let uri = taskUri;
      for (const step of serverSteps(seed, corpus)) {
        if (slow.length >= 10) break;
        if (step.kind === 'open') {
          if (documents >= (PLAN.seconds !== undefined ? Infinity : SERVER_DOCUMENTS_PER_SEED) || Date.now() >= deadline) break;
          documents++;
          uri = fileUri(path.join(root, `.ufo/iam_roles/${step.file}.rb`));
          currentText = step.text;
          client.open(uri, step.text);
          mirror = TextDocument.create(uri, 'ruby', 1, step.text);
        } else if (step.kind === 'edit') {
          currentText = step.text;
          const version = client.edit(uri, step.range, step.insert);
          // The text as the server has it: the edit applied to its document (a range through a lone surrogate or
          // a CR LF lands where LSP puts it, which the generator's own text may not follow).
          mirror = mirror && TextDocument.update(mirror, [{ range: step.range, text: step.insert }], mirror.version + 1);
          if (++edits % 8 === 0 && mirror && Buffer.byteLength(mirror.getText()) <= 512 * 1024) {
            const text = mirror.getText();
            const published = await client.waitForVersion(uri, version, budgetMs(text) * 5);
            assert.deepStrictEqual(published, fullCheckDiagnostics(workspace, uri, text), `diagnostics after edit ${edits} of seed ${seed} differ from a full check's:\n${text}`);
            compared++;
          }
        } else if (step.kind === 'request') await send(uri, step.request);
        else client.close(uri);
      }
      // The server still answers, with a sane result, after all of it.
      client.open(taskUri, 'iam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n');
      const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: taskUri } });
      console.log(`fuzz: seed ${seed}: ${documents} documents, ${edits} edits (${compared} compared with a full check), ${requests} requests (${lspErrors} answered with an LSP error), corpus of ${corpus.length}`);
      assert.ok(compared > 0, 'some edits were compared with a full check');
      assert.equal(client.child.exitCode, null, 'the server is alive');
      assert.equal(symbols.length, 1, `outline after fuzzing: ${JSON.stringify(symbols)}; log: ${errorsLogged.join('\n')}`);
      assert.deepEqual(slow, [], `requests over ${REQUEST_TIMEOUT_MS} ms`);
      assert.deepEqual(errorsLogged, [], 'exceptions in the server log');
      assert.doesNotMatch(client.stderr.join(''), /uncaught exception|unhandled rejection/i);
    } finally {
      await client.stop();
    }
  });
}
