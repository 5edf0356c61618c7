// `npm run bench`: drives `node dist/server.js --stdio` over LSP on generated role files of 100,
// 1,000 and 5,000 lines and reports start-up, completion, hover and edit → diagnostics latencies,
// the server's peak RSS and the .vsix size. A benchmark, not a test: it asserts nothing.
// Usage: node bench/run.mjs [--json] [--no-package] [--requests N (default 500)] [--lines N (one file size only)] [--cli-only] [--starts-only]
// (--cli-only: only the whole-process CLI runs, the last section, for work on the CLI's start-up; --starts-only: only
// the server's start-up, over 11 starts, as JSON.)
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { tsImport } from 'tsx/esm/api';
import { benchPositions, generateRoleFile } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
// 500 requests per measure: a p99 is then the fifth slowest, not the second, and one hiccup of the machine does not
// make it.
const REQUESTS = Number(args[args.indexOf('--requests') + 1]) > 0 && args.includes('--requests') ? Number(args[args.indexOf('--requests') + 1]) : 500;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const stats = (xs) => ({ n: xs.length, p50: +pct(xs, 50).toFixed(2), p95: +pct(xs, 95).toFixed(2), p99: +pct(xs, 99).toFixed(2), max: +Math.max(...xs).toFixed(2) });

function peakRss(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

// The environment the extension starts the server with (client/src/serverOptions.ts), from the same function: where
// NODE_EXTRA_CA_CERTS is set, Node would otherwise load it at each start (server/src/project/extraCaCerts.ts).
const { serverProcessEnv } = await tsImport('../server/src/project/extraCaCerts.ts', import.meta.url);
const SERVER_ENV = serverProcessEnv(process.env);

async function startServer(server = process.env.UFO_IAM_BENCH_SERVER ?? path.join(root, 'dist/server.js')) {
  const t0 = now();
  const nodeArgs = (process.env.UFO_IAM_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: 'pipe', env: SERVER_ENV });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const diagWaiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (const w of diagWaiters.splice(0)) w(p);
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification(() => undefined);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    // The capabilities VS Code announces, so the server answers as it does in the editor.
    capabilities: {
      workspace: { configuration: true },
      textDocument: {
        completion: {
          completionItem: { snippetSupport: true, labelDetailsSupport: true, tagSupport: { valueSet: [1] }, insertReplaceSupport: true, documentationFormat: ['markdown', 'plaintext'], resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
          completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
        },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      },
    },
  });
  const tInit = now();
  await conn.sendNotification('initialized', {});
  const waitDiagnostics = (uri, version) =>
    new Promise((resolve) => {
      const check = (p) => {
        if (p.uri === uri && (version === undefined || p.version === version)) resolve(now());
        else diagWaiters.push(check);
      };
      diagWaiters.push(check);
    });
  return { child, conn, t0, initMs: tInit - t0, waitDiagnostics, stderr: () => stderr };
}

async function stop(s) {
  try {
    await Promise.race([s.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    await s.conn.sendNotification('exit');
  } catch {}
  s.conn.dispose();
  setTimeout(() => s.child.kill('SIGKILL'), 1000).unref();
}

async function timeRequests(conn, method, paramsList) {
  const times = [];
  let empty = 0;
  let last;
  for (const params of paramsList) {
    const t = now();
    const r = await conn.sendRequest(method, params);
    times.push(now() - t);
    const items = r && (Array.isArray(r) ? r : r.items ?? (r.contents ? [r] : []));
    if (!items || items.length === 0) empty++;
    last = r;
  }
  const out = { ...stats(times), empty };
  // What a completion response carried: its items, its size in JSON, and whether the client must ask again.
  if (last && Array.isArray(last.items)) Object.assign(out, { items: last.items.length, kb: +(JSON.stringify(last).length / 1024).toFixed(1), incomplete: !!last.isIncomplete });
  return out;
}

/**
 * The Explorer's permissions tree (`ufoIam/permissions`) of a role with LARGE_MANAGED above the 100-line file: how long
 * a refresh takes (first, then after an edit that changes the compiled role), and completions sent while a refresh
 * runs, which must not wait for it.
 */
async function benchPermissionsTree(project) {
  const text = `managed_iam_policy(${LARGE_MANAGED.map((n) => JSON.stringify(n)).join(', ')})\n${generateRoleFile(100)}`;
  const file = path.join(project, '.ufo/iam_roles/task_role.rb');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const s = await startServer();
  try {
    const diag = s.waitDiagnostics(uri, 1);
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'ruby', version: 1, text } });
    await diag;
    const { actionPos } = benchPositions(text);
    let t = now();
    // As the view asks: the overview, then a service's actions when it is expanded.
    const first = await s.conn.sendRequest('ufoIam/permissions', { uri, overview: true });
    const firstMs = now() - t;
    if (first.kind !== 'permissions') throw new Error(`ufoIam/permissions: ${JSON.stringify(first).slice(0, 200)}`);
    const during = [];
    const refresh = [];
    for (let round = 0; round < 5; round++) {
      // An edit that changes the role (a new action), so the refresh computes again instead of using its cache.
      const version = round + 2;
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: `iam_policy("Bench${round}", Action: ["sqs:SendMessage"], Effect: "Allow", Resource: "arn:aws:sqs:*:*:q${round}")\n` }] });
      await new Promise((r) => setTimeout(r, 150));
      t = now();
      const pending = s.conn.sendRequest('ufoIam/permissions', { uri, overview: true }).then((r) => {
        refresh.push(now() - t);
        return r;
      });
      const pos = { line: actionPos.line + round + 1, character: actionPos.character };
      for (let i = 0; i < 10; i++) {
        const c = now();
        await s.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos });
        during.push(now() - c);
      }
      await pending;
    }
    t = now();
    const ec2 = await s.conn.sendRequest('ufoIam/permissions', { uri, service: { role: 'TaskRole', denied: false, service: 'ec2' } });
    const expandMs = now() - t;
    return { firstMs: +firstMs.toFixed(1), overviewKb: +(JSON.stringify(first).length / 1024).toFixed(0), refresh: stats(refresh), completionDuring: stats(during), expandEc2: { ms: +expandMs.toFixed(1), kb: +(JSON.stringify(ec2).length / 1024).toFixed(0) } };
  } finally {
    await stop(s);
  }
}

/**
 * Start-up on the 100-line file, over several starts (one start says little on a shared machine): spawn → the
 * `initialize` answer and spawn → the first diagnostics, beside `node -e 0` in the same environment, the floor of
 * any process.
 */
async function benchStarts(project, runs = 7) {
  const text = generateRoleFile(100);
  const file = path.join(project, '.ufo/iam_roles/task_role.rb');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const init = [];
  const firstDiagnostics = [];
  for (let i = 0; i < runs; i++) {
    const s = await startServer();
    const diag = s.waitDiagnostics(uri, 1);
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'ruby', version: 1, text } });
    firstDiagnostics.push((await diag) - s.t0);
    init.push(s.initMs);
    // The next start only once this server has exited: two starts at once on two cores measure each other.
    const exited = new Promise((r) => (s.child.exitCode !== null ? r() : s.child.once('exit', r)));
    await stop(s);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  }
  const node = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    spawnSync(process.execPath, ['-e', '0'], { env: SERVER_ENV });
    node.push(now() - t);
  }
  return { runs, node: stats(node), init: stats(init), firstDiagnostics: stats(firstDiagnostics) };
}

/**
 * The same no-work requests against a bare vscode-languageserver server (bench/minimalServer.mjs) with the same file
 * open: the floor that no server built on that library goes under on this machine.
 */
async function benchBareFloor(project) {
  const text = generateRoleFile(100);
  const file = path.join(project, '.ufo/iam_roles/task_role.rb');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const s = await startServer(path.join(root, 'bench/minimalServer.mjs'));
  try {
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'ruby', version: 1, text } });
    const reps = (pos) => Array.from({ length: REQUESTS }, () => ({ textDocument: { uri }, position: pos }));
    const again = reps(benchPositions(text).actionPos).map((p) => ({ ...p, context: { triggerKind: 3 } }));
    // The first list after open, in the sequence that benchFile's first completion follows (a pause, three requests,
    // a pause): what a first answer of a list's size costs on this machine when the server has nothing to build.
    await new Promise((r) => setTimeout(r, 100));
    await timeRequests(s.conn, 'textDocument/hover', reps({ line: 0, character: 0 }).slice(0, 3));
    await new Promise((r) => setTimeout(r, 100));
    const t = now();
    await s.conn.sendRequest('textDocument/completion', again[0]);
    const firstListMs = +(now() - t).toFixed(2);
    await timeRequests(s.conn, 'textDocument/hover', reps({ line: 0, character: 0 }).slice(0, 20));
    return {
      spawnToInitializeMs: +s.initMs.toFixed(1),
      firstListMs,
      hover: await timeRequests(s.conn, 'textDocument/hover', reps(benchPositions(text).blankPos)),
      completion: await timeRequests(s.conn, 'textDocument/completion', reps(benchPositions(text).actionPos)),
      completionList: await timeRequests(s.conn, 'textDocument/completion', again),
    };
  } finally {
    await stop(s);
  }
}

async function benchFile(lines, project) {
  const text = generateRoleFile(lines);
  const file = path.join(project, '.ufo/iam_roles/task_role.rb');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const s = await startServer();
  const firstDiag = s.waitDiagnostics(uri, 1);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'ruby', version: 1, text } });
  const tDiag = await firstDiag;
  const result = { lines, bytes: Buffer.byteLength(text), spawnToInitializeMs: +s.initMs.toFixed(1), spawnToFirstDiagnosticsMs: +(tDiag - s.t0).toFixed(1) };
  // The server's peak RSS so far after each phase: which one sets the peak.
  const rssAfter = {};
  rssAfter['first diagnostics'] = peakRss(s.child.pid);

  const doc = { uri };
  const { actionPos, managedPos, condPos, hoverPos } = benchPositions(text);
  const reps = (pos) => Array.from({ length: REQUESTS }, () => ({ textDocument: doc, position: pos }));
  // The first completion of each kind after open, as a user asks it (a moment after the file shows its diagnostics):
  // whatever is built lazily is paid here, so it is reported on its own line and not counted below. Before it, what
  // VS Code asks of a file it opens (its outline, its code lenses, the code actions at the cursor): VS Code's own end
  // of the connection has answered many requests by then, and this client's should not be colder than VS Code's.
  await new Promise((r) => setTimeout(r, 100));
  await s.conn.sendRequest('textDocument/documentSymbol', { textDocument: doc });
  await s.conn.sendRequest('textDocument/codeLens', { textDocument: doc });
  await s.conn.sendRequest('textDocument/codeAction', { textDocument: doc, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
  await new Promise((r) => setTimeout(r, 100));
  result.firstCompletion = {};
  for (const [k, p] of Object.entries({ actionValues: actionPos, managedPolicyNames: managedPos, conditionKeys: condPos })) {
    const t = now();
    await s.conn.sendRequest('textDocument/completion', { textDocument: doc, position: p });
    result.firstCompletion[k] = +(now() - t).toFixed(2);
  }
  await s.conn.sendRequest('textDocument/hover', { textDocument: doc, position: hoverPos });
  result.completion = {
    actionValues: await timeRequests(s.conn, 'textDocument/completion', reps(actionPos)),
    managedPolicyNames: await timeRequests(s.conn, 'textDocument/completion', reps(managedPos)),
    conditionKeys: await timeRequests(s.conn, 'textDocument/completion', reps(condPos)),
  };
  result.hover = await timeRequests(s.conn, 'textDocument/hover', reps(hoverPos));
  rssAfter.completions = peakRss(s.child.pid);
  // The floor under every latency above: a request the server answers at once (a document it does not have), so
  // JSON-RPC over the pipes and the scheduling of two processes on this machine, and nothing of ufo-iam's work.
  result.roundTripFloor = await timeRequests(s.conn, 'textDocument/hover', Array.from({ length: REQUESTS }, () => ({ textDocument: { uri: 'file:///not-open.rb' }, position: { line: 0, character: 0 } })));
  // A request on the open file that finds nothing to do (hover over indentation inside a policy): the floor plus
  // what every request costs before it knows there is nothing to say.
  result.hoverNoWork = await timeRequests(s.conn, 'textDocument/hover', reps(benchPositions(text).blankPos));

  // Edit → diagnostics: type one character into an action string and back, each a new version. The action string is in
  // the file's first iam_policy call, so every call after it moves: the worst place for an edit inside one call.
  let version = 1;
  const typeAt = async (pos, edits) => {
    const times = [];
    const afterEditCompletion = [];
    for (let i = 0; i < edits; i++) {
      version++;
      const insert = i % 2 === 0;
      const range = insert ? { start: pos, end: pos } : { start: pos, end: { line: pos.line, character: pos.character + 1 } };
      const waiter = s.waitDiagnostics(uri, version);
      const t = now();
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
      // A completion right after the edit must not wait for the edit's checks.
      const tc = now();
      await s.conn.sendRequest('textDocument/completion', { textDocument: doc, position: managedPos });
      afterEditCompletion.push(now() - tc);
      times.push((await waiter) - t);
    }
    return { times: stats(times), afterEditCompletion: stats(afterEditCompletion) };
  };
  const inCall = await typeAt(actionPos, 60);
  result.editToDiagnostics = inCall.times;
  result.completionRightAfterEdit = inCall.afterEditCompletion;
  rssAfter['edits in a call'] = peakRss(s.child.pid);
  // In a comment between two calls: nothing but the comment is parsed again (core/incremental.ts).
  result.editInCommentToDiagnostics = (await typeAt(benchPositions(text).commentPos, 20)).times;
  // Before that comment's `#`, between two calls: a method call typed and removed, the statements around it parsed again.
  result.editOutsideCallsToDiagnostics = (await typeAt(benchPositions(text).betweenPos, 20)).times;
  rssAfter['edits between calls'] = peakRss(s.child.pid);
  result.template = await benchTemplate(s, project);
  rssAfter.template = peakRss(s.child.pid);
  result.convertPolicy = await timeRequests(s.conn, 'ufoIam/convertPolicy', Array.from({ length: REQUESTS }, () => ({ uri, json: CONVERT_JSON })));
  result.peakRssMb = peakRss(s.child.pid);
  result.peakRssAfterMb = rssAfter;
  await stop(s);
  result.inServer = inServer(lines);
  return result;
}

/** A task-definition template with a literal execution role ARN (the role file builds no execution role) and Fargate secrets. */
const TEMPLATE = `{
  "family": "<%= @family %>",
  "requiresCompatibilities": ["FARGATE"],
  "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  "containerDefinitions": [
    {
      "name": "<%= @name %>",
      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:<%= @tag %>",
      "secrets": [{ "name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db" }],
      "logConfiguration": { "logDriver": "awslogs", "options": { "awslogs-group": "ecs/demo" } },
      "essential": true
    }
  ]
}
`;

/** A pasted policy of 20 statements, as "Paste as iam_policy" converts it. */
const CONVERT_JSON = JSON.stringify({
  Version: '2012-10-17',
  Statement: Array.from({ length: 20 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::bucket-${i}/*`, Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } } })),
});

/**
 * The template checks (new in the editor's hot path): open → first diagnostics, edit → diagnostics of the template
 * (each check compiles the role files UFO reads, the open one from its editor text).
 */
async function benchTemplate(s, project) {
  const file = path.join(project, '.ufo/templates/main.json.erb');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, TEMPLATE);
  const uri = pathToFileURL(file).href;
  const first = s.waitDiagnostics(uri, 1);
  const t0 = now();
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text: TEMPLATE } });
  const openMs = (await first) - t0;
  const line = TEMPLATE.split('\n').findIndex((l) => l.includes('"family"'));
  const times = [];
  for (let i = 0, version = 1; i < 30; i++) {
    version++;
    const insert = i % 2 === 0;
    const at = { line, character: 3 };
    const range = insert ? { start: at, end: at } : { start: at, end: { line, character: 4 } };
    const waiter = s.waitDiagnostics(uri, version);
    const t = now();
    await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
    times.push((await waiter) - t);
  }
  await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  fs.rmSync(file);
  return { openToDiagnosticsMs: +openMs.toFixed(1), editToDiagnostics: stats(times) };
}

/** Ten large AWS managed policies, ReadOnlyAccess among them, and one inline policy: the effective-permissions target. */
export const LARGE_MANAGED = ['ReadOnlyAccess', 'AmazonEC2FullAccess', 'AmazonS3FullAccess', 'AmazonDynamoDBFullAccess', 'CloudWatchFullAccess', 'AmazonSSMFullAccess', 'AWSLambda_FullAccess', 'AmazonRDSFullAccess', 'AmazonECS_FullAccess', 'AmazonSQSFullAccess'];

/**
 * Whole-process CLI runs (spawn to exit, as a CI step or a terminal sees them), the median and the slowest of `runs`:
 * `ufo-iam permissions` of a role with LARGE_MANAGED, `ufo-iam diff --base HEAD` (the plan's access diff, offline), and
 * `ufo-iam --version` as the floor of starting the CLI.
 */
function benchCli(runs = 9) {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-bench-cli-'));
  fs.mkdirSync(path.join(project, '.ufo/iam_roles'), { recursive: true });
  fs.writeFileSync(
    path.join(project, '.ufo/iam_roles/task_role.rb'),
    `managed_iam_policy(${LARGE_MANAGED.map((n) => JSON.stringify(n)).join(', ')})\niam_policy("Uploads", Action: ["s3:PutObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/*")\n`,
  );
  const cli = path.join(root, 'dist/cli.js');
  const time = (argv) => {
    const xs = [];
    for (let i = 0; i < runs; i++) {
      const t = now();
      const r = spawnSync(process.execPath, [cli, ...argv], { cwd: project, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      xs.push(now() - t);
      if (r.status !== 0) throw new Error(`ufo-iam ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    return { n: xs.length, p50: +pct(xs, 50).toFixed(0), max: +Math.max(...xs).toFixed(0) };
  };
  // The access diff (what `ufo-iam plan` and the Apply modal compute per role): the role files at HEAD against the
  // working tree, ten large managed policies on both sides, one policy added and one managed policy detached.
  const git = (...a) => {
    const r = spawnSync('git', ['-C', project, ...a], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' } });
    if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  fs.writeFileSync(
    path.join(project, '.ufo/iam_roles/task_role.rb'),
    `managed_iam_policy(${LARGE_MANAGED.slice(0, -1).map((n) => JSON.stringify(n)).join(', ')})\niam_policy("Uploads", Action: ["s3:PutObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/*")\niam_policy("Pass", Action: ["iam:PassRole"], Effect: "Allow", Resource: "*")\n`,
  );
  try {
    return {
      version: time(['--version']),
      permissions: time(['permissions', '--format', 'json']),
      permissionsText: time(['permissions']),
      diff: time(['diff', '--base', 'HEAD', '--format', 'json']),
    };
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

/** The server's own share: the same requests computed in-process (bench/inServer.ts), without the transport. */
function inServer(lines) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/inServer.ts'), String(lines), String(REQUESTS)], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function printCli(cli) {
  console.log(`\nCLI, whole process (spawn → exit, median and slowest of ${cli.version.n} runs)`);
  console.log(`  ufo-iam --version (start-up floor)                      p50 ${cli.version.p50} ms  max ${cli.version.max} ms`);
  console.log(`  ufo-iam permissions, 10 large managed policies (json)   p50 ${cli.permissions.p50} ms  max ${cli.permissions.max} ms  (target ≤ 300 ms)`);
  console.log(`  ufo-iam permissions, 10 large managed policies (text)   p50 ${cli.permissionsText.p50} ms  max ${cli.permissionsText.max} ms`);
  console.log(`  ufo-iam diff --base HEAD (access diff, both sides)      p50 ${cli.diff.p50} ms  max ${cli.diff.max} ms`);
}

async function main() {
  if (args.includes('--starts-only')) {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-bench-'));
    fs.mkdirSync(path.join(project, '.ufo/iam_roles'), { recursive: true });
    const starts = await benchStarts(project, 11);
    fs.rmSync(project, { recursive: true, force: true });
    console.log(JSON.stringify(starts));
    return;
  }
  if (args.includes('--cli-only')) {
    if (!fs.existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js missing: run npm run build');
    const cli = benchCli();
    if (asJson) console.log(JSON.stringify({ cli }, null, 2));
    else printCli(cli);
    return;
  }
  if (!fs.existsSync((process.env.UFO_IAM_BENCH_SERVER ?? path.join(root, 'dist/server.js')))) throw new Error('dist/server.js missing: run npm run build');
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-bench-'));
  fs.mkdirSync(path.join(project, '.ufo/iam_roles'), { recursive: true });
  fs.writeFileSync(path.join(project, '.ufo/settings.yml'), 'default: {}\n');
  const results = [];
  const bare = await benchBareFloor(project);
  const starts = await benchStarts(project);
  const only = args.includes('--lines') ? Number(args[args.indexOf('--lines') + 1]) : undefined;
  for (const lines of only ? [only] : [100, 1000, 5000]) results.push(await benchFile(lines, project));
  const tree = await benchPermissionsTree(project);
  const cli = benchCli();
  let vsixBytes;
  if (!args.includes('--no-package')) {
    const r = spawnSync('npx', ['--no-install', 'vsce', 'package', '--out', path.join(project, 'bench.vsix')], { cwd: root, encoding: 'utf8' });
    if (r.status === 0) vsixBytes = fs.statSync(path.join(project, 'bench.vsix')).size;
  }
  fs.rmSync(project, { recursive: true, force: true });
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const report = { machine, requestsPerMeasure: REQUESTS, bare, starts, files: results, tree, cli, vsixBytes };
  if (asJson) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`ufo-iam bench — ${machine}`);
  console.log(`\nfloor: a bare vscode-languageserver server (bench/minimalServer.mjs), 100-line file open, requests that do no work`);
  console.log(`  spawn → initialize result     ${bare.spawnToInitializeMs} ms`);
  console.log(`  hover (nothing to say)        p50 ${bare.hover.p50} ms  p99 ${bare.hover.p99} ms`);
  console.log(`  completion (null)             p50 ${bare.completion.p50} ms  p99 ${bare.completion.p99} ms`);
  console.log(`  completion (a list built once) p50 ${bare.completionList.p50} ms  p99 ${bare.completionList.p99} ms  (${bare.completionList.items} items, ${bare.completionList.kb} KB: what carrying a list costs)`);
  console.log(`  first list after open         ${bare.firstListMs} ms  (as the first completion below is asked: the floor of a first answer)`);
  console.log(`\nstart-up, 100-line file (median and slowest of ${starts.runs} starts, in the environment the extension gives the server)`);
  console.log(`  node -e 0 (the process floor)  p50 ${starts.node.p50} ms  max ${starts.node.max} ms`);
  console.log(`  spawn → initialize result     p50 ${starts.init.p50} ms  max ${starts.init.max} ms`);
  console.log(`  spawn → first diagnostics     p50 ${starts.firstDiagnostics.p50} ms  max ${starts.firstDiagnostics.max} ms  (target ≤ 100 ms)`);
  for (const r of results) {
    console.log(`\n${r.lines} lines (${(r.bytes / 1024).toFixed(0)} KB)`);
    console.log(`  spawn → initialize result     ${r.spawnToInitializeMs} ms`);
    console.log(`  spawn → first diagnostics     ${r.spawnToFirstDiagnosticsMs} ms`);
    for (const [k, v] of Object.entries(r.completion))
      console.log(`  completion ${k.padEnd(19)} p50 ${v.p50} ms  p99 ${v.p99} ms  (n=${v.n}${v.empty ? `, ${v.empty} empty` : ''}; ${v.items} items, ${v.kb} KB${v.incomplete ? ', incomplete' : ''})`);
    console.log(`  first completion after open   ${Object.entries(r.firstCompletion).map(([k, v]) => `${k} ${v} ms`).join(', ')}  (the bare server's first list: ${bare.firstListMs} ms)`);
    console.log(`  hover                         p50 ${r.hover.p50} ms  p99 ${r.hover.p99} ms  (n=${r.hover.n}${r.hover.empty ? `, ${r.hover.empty} empty` : ''})`);
    console.log(`  round-trip floor (no work)    p50 ${r.roundTripFloor.p50} ms  p99 ${r.roundTripFloor.p99} ms`);
    console.log(`  hover with nothing to say     p50 ${r.hoverNoWork.p50} ms  p99 ${r.hoverNoWork.p99} ms  (${(r.hoverNoWork.p50 / bare.hover.p50).toFixed(2)}× the bare server's; completion p50 ${(r.completion.actionValues.p50 / bare.hover.p50).toFixed(2)}× it)`);
    console.log(`  edit → diagnostics            p50 ${r.editToDiagnostics.p50} ms  p95 ${r.editToDiagnostics.p95} ms  p99 ${r.editToDiagnostics.p99} ms  (n=${r.editToDiagnostics.n})`);
    console.log(`  edit in a comment → diag.     p50 ${r.editInCommentToDiagnostics.p50} ms  p95 ${r.editInCommentToDiagnostics.p95} ms  (n=${r.editInCommentToDiagnostics.n}; only the comment is read again)`);
    console.log(`  edit between calls → diag.    p50 ${r.editOutsideCallsToDiagnostics.p50} ms  p95 ${r.editOutsideCallsToDiagnostics.p95} ms  (n=${r.editOutsideCallsToDiagnostics.n}; a line between two calls: the statements around it are parsed again)`);
    console.log(`  completion right after edit   p50 ${r.completionRightAfterEdit.p50} ms  p99 ${r.completionRightAfterEdit.p99} ms`);
    console.log(`  template open → diagnostics   ${r.template.openToDiagnosticsMs} ms`);
    console.log(`  template edit → diagnostics   p50 ${r.template.editToDiagnostics.p50} ms  p99 ${r.template.editToDiagnostics.p99} ms  (n=${r.template.editToDiagnostics.n})`);
    console.log(`  convertPolicy (20 statements) p50 ${r.convertPolicy.p50} ms  p99 ${r.convertPolicy.p99} ms`);
    console.log(`  server peak RSS               ${r.peakRssMb} MB  (so far, after ${Object.entries(r.peakRssAfterMb).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    if (r.inServer.error) console.log(`  in the server: not measured (${r.inServer.error})`);
    else {
      const c = r.inServer.completion;
      const f = (v) => `${v.p50}/${v.p99}`;
      console.log(`  in the server (p50/p99 ms, computed and serialised in-process, no transport):`);
      console.log(`    completion actions ${f(c.actionValues)}, managed policies ${f(c.managedPolicyNames)}, condition keys ${f(c.conditionKeys)}; hover ${f(r.inServer.hover)}`);
    }
  }
  console.log(`\nthe Explorer's permissions tree (ufoIam/permissions), ten large managed policies above the 100-line file`);
  console.log(`  first refresh (overview)      ${tree.firstMs} ms  (${tree.overviewKb} KB)`);
  console.log(`  refresh after an edit         p50 ${tree.refresh.p50} ms  max ${tree.refresh.max} ms  (n=${tree.refresh.n})`);
  console.log(`  expanding ec2 (its actions)   ${tree.expandEc2.ms} ms  (${tree.expandEc2.kb} KB)`);
  console.log(`  completion during a refresh   p50 ${tree.completionDuring.p50} ms  p99 ${tree.completionDuring.p99} ms  (n=${tree.completionDuring.n}; compare completion actionValues above)`);
  printCli(cli);
  console.log(`\n.vsix size: ${vsixBytes ? (vsixBytes / 2 ** 20).toFixed(2) + ' MB' : 'not packaged'}`);
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : e}`);
  process.exit(1);
});
