// What the server does between its start and its first diagnostics, over stdio as an editor starts it: Prism and the
// IAM index are prepared while the client handles the `initialize` answer, before any document opens; node:crypto and
// node:child_process (bundled to load on first use, scripts/build.mjs) are not loaded until a request needs one; the
// configuration registration is sent without one; every module of Node that the server loads up to its first
// diagnostics and the warm-up is loaded before the launcher sets V8's flags. A preload script records what the server process reads
// and requires. Needs `npm run build`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspClient } from './support/lspClient';
import { makeProject } from './support/project';
import type { ExplainDeniedRequest } from '../server/src/lsp/protocol';

const FILE = '.ufo/resources/iam_roles/task_role.rb';
const ROLE = 'iam_policy("Logs", Action: ["logs:CreateLogStream"], Effect: "Allow", Resource: "*")\n';
const MESSAGE = 'An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/demo-web-dev-TaskRole-AbC123XyZ/i-0abc is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::uploads/a.txt because no identity-based policy allows the s3:PutObject action';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-start-'));
const record = path.join(scratch, 'events.txt');
const probe = path.join(scratch, 'probe.js');
fs.writeFileSync(
  probe,
  `const Module = require('node:module'); const fs = require('node:fs');
const write = (what) => fs.appendFileSync(${JSON.stringify(record)}, what + '\\n');
const load = Module._load;
Module._load = function (request) { if (/^(node:)?(crypto|child_process)$/.test(request)) write('require ' + request.replace(/^node:/, '')); return load.apply(this, arguments); };
const read = fs.readFileSync;
fs.readFileSync = function (file) { const name = String(file); if (/prism\\.wasm$|iam-index\\.json$/.test(name)) write('read ' + name.split(/[\\\\/]/).pop()); return read.apply(this, arguments); };
const v8 = require('node:v8'); const setFlags = v8.setFlagsFromString; let beforeFlags;
v8.setFlagsFromString = function () { if (!beforeFlags) { beforeFlags = new Set(process.moduleLoadList); write('flags set'); } return setFlags.apply(this, arguments); };
// Polled, not hooked: a module of Node that Node loads itself (process.stdin's socket) passes no hook of ours.
const seen = new Set();
setInterval(() => { if (beforeFlags) for (const m of process.moduleLoadList) if (!beforeFlags.has(m) && !seen.has(m) && m.startsWith('NativeModule ')) { seen.add(m); write('after flags ' + m.slice(13)); } }, 5).unref();
`,
);
const events = (): string[] => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n').filter(Boolean) : []);

let client: LspClient;
let root: string;
before(async () => {
  root = makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n', [FILE]: ROLE });
  client = await LspClient.start({ nodeArgs: ['--require', probe] });
});
after(async () => {
  await client.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

test('Prism and the IAM index are ready after initialize, before any document opens', async () => {
  const deadline = Date.now() + 5000;
  while (!(events().includes('read prism.wasm') && events().includes('read iam-index.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(events().filter((e) => e.startsWith('read ')).sort(), ['read iam-index.json', 'read prism.wasm']);
});

test('the configuration registration is the one request the server makes of the client at start', async () => {
  const deadline = Date.now() + 5000;
  while (client.registrations.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(client.registrations, [{ id: 'ufo-iam.didChangeConfiguration', method: 'workspace/didChangeConfiguration' }]);
});

test('no node:crypto or node:child_process up to the first diagnostics and the warm-up; a request that hashes loads crypto', async () => {
  const uri = fileUri(path.join(root, FILE));
  client.open(uri, ROLE);
  await client.waitForDiagnostics(uri);
  // After the warm-up (it follows the first diagnostics) and the code cache's writing.
  await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 30 } });
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(events().filter((e) => e.startsWith('require ')), []);
  const r = await client.request<ExplainDeniedRequest.Result>('ufoIam/explainDenied', { uri: fileUri(root), message: MESSAGE });
  assert.equal(r.kind, 'explained', JSON.stringify(r));
  assert.deepEqual(events().filter((e) => e.startsWith('require ')), ['require crypto'], 'the role file edit carries the SHA-256 of the text it was computed on');
});

test("Node's modules that the server needs up to its first diagnostics and the warm-up are loaded before V8's flags are set", () => {
  // A module of Node compiled after any V8 flag is set misses Node's own compiled code for it (V8's flags are in the
  // hash it is checked against): the launcher loads them first (LaunchOptions.builtins in cli/codeCache.ts). What a
  // request loads on first use (node:crypto, by the test before) comes later.
  const all = events();
  assert.ok(all.includes('flags set') && all.includes('require crypto'), all.join('\n'));
  assert.deepEqual(all.slice(0, all.indexOf('require crypto')).filter((e) => e.startsWith('after flags ')), []);
  assert.ok(all.includes('after flags crypto'), 'the probe sees what is loaded after the flags');
});
