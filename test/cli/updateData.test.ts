// `ufo-iam update-data` as a user runs it, against the local service reference of test/support/serviceReferenceServer.ts:
// the new data is stored where `UFO_IAM_DATA_DIR` says, `--version` and `check` use it at once, and a truncated file,
// an HTTP 500 or a malformed entry leave the data in use as it was, saying why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';
import { IamKnowledge } from '../../server/src/core/iam/iamKnowledge';
import { fileLoader } from '../core/iam/iamData';
import { startServiceReference, type ServiceReferenceServer } from '../support/serviceReferenceServer';

const CLI = path.join(ROOT, 'dist/cli.js');

// Asynchronous: the local server answers in this process while the CLI runs.
function run(args: string[], dataDir: string, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, UFO_APP: '', UFO_IAM_DATA_DIR: dataDir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ROLE = 'iam_policy("Rockets", Action: ["ufotest:LaunchRocket", "s3:DeleteBucket"], Effect: "Allow", Resource: "*")\n';

function project(): string {
  return makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\nend\n', '.ufo/resources/iam_roles/task_role.rb': ROLE });
}

const tmpStore = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-store-'));

describe('ufo-iam update-data', () => {
  let server: ServiceReferenceServer;
  before(async () => {
    server = await startServiceReference();
  });
  after(() => server.close());

  test('stores the service reference; --version and check use it at once', async () => {
    const store = tmpStore();
    const root = project();
    const v0 = await run(['--version'], store);
    assert.match(v0.stdout, /IAM data of 2026-09-26 \(bundled, \d+ days? old\)/);
    const before = await run(['check', '--format', 'json', '.'], store, root);
    const codesBefore = JSON.parse(before.stdout).map((p: { code: string; message: string }) => `${p.code} ${p.message}`).join('\n');
    assert.match(codesBefore, /ufotest/, 'the bundled data does not know ufotest');
    assert.doesNotMatch(codesBefore, /DeleteBucket/);

    const r = await run(['update-data', '--from', server.url('ok')], store);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Stored IAM data of \d{4}-\d{2}-\d{2} from http:\/\/127\.0\.0\.1:\d+\/ok\/: 3 services, 10 actions\./m);
    assert.match(r.stdout, /^services added \(1\): ufotest$/m);
    assert.match(r.stdout, /^actions added \(2\): ufotest:LaunchRocket, ufotest:ListRockets$/m);
    const bundled = new IamKnowledge(fileLoader(path.join(ROOT, 'dist/data')));
    const remaining = bundled.listActions('s3').length + bundled.listActions('ecs').length - 8;
    assert.match(r.stdout, new RegExp(`^actions removed from remaining services \\(${remaining}\\): ecs:`, 'm'));
    assert.match(r.stdout, new RegExp(`^services removed \\(${bundled.listServices().length - 2}\\): a2c, `, 'm'));
    const stored = /^Stored in (.+)\.$/m.exec(r.stdout)?.[1];
    assert.ok(stored && stored.startsWith(store) && fs.existsSync(path.join(stored, 'iam-index.json')), r.stdout);

    const v1 = await run(['--version'], store);
    assert.match(v1.stdout, /IAM data of \d{4}-\d{2}-\d{2} \(downloaded from http:\/\/127\.0\.0\.1:\d+\/ok\/, (from today|\d+ days? old)\)/);
    assert.ok(v1.stdout.includes(`data folder: ${stored}`));

    const afterCheck = await run(['check', '--format', 'json', '.'], store, root);
    const problems = JSON.parse(afterCheck.stdout) as { code: string; message: string }[];
    assert.ok(!problems.some((p) => p.message.includes('ufotest')), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.code === 'INVALID_ACTION' && p.message.includes('s3:DeleteBucket')), JSON.stringify(problems));
  });

  for (const [mode, reason] of [
    ['truncated', /s3: http:\/\/127\.0\.0\.1:\d+\/truncated\/v1\/s3\/s3\.json is not valid JSON \(truncated or malformed/],
    ['error500', /s3: HTTP 500 Internal Server Error from http:\/\/127\.0\.0\.1:\d+\/error500\/v1\/s3\/s3\.json/],
    ['malformed', /broken: no Actions array/],
  ] as const) {
    test(`${mode}: exit 1, the reason, and the data in use stays`, async () => {
      const store = tmpStore();
      assert.equal((await run(['update-data', '--from', server.url('ok')], store)).code, 0);
      const pointer = fs.readFileSync(path.join(store, 'current.json'), 'utf8');
      const folders = fs.readdirSync(store).sort();
      const r = await run(['update-data', '--from', server.url(mode)], store);
      assert.equal(r.code, 1);
      assert.match(r.stderr, reason);
      assert.match(r.stderr, /The data in use is unchanged\./);
      assert.equal(r.stdout, '');
      assert.equal(fs.readFileSync(path.join(store, 'current.json'), 'utf8'), pointer);
      assert.deepEqual(fs.readdirSync(store).sort(), folders, 'nothing half-written is left');
      assert.match((await run(['--version'], store)).stdout, /downloaded from http:\/\/127\.0\.0\.1:\d+\/ok\//);
    });
  }

  test('a failed first update leaves the bundled data in use', async () => {
    const store = tmpStore();
    const r = await run(['update-data', '--from', server.url('error500')], store);
    assert.equal(r.code, 1);
    assert.equal(fs.existsSync(path.join(store, 'current.json')), false);
    assert.match((await run(['--version'], store)).stdout, /\(bundled, /);
  });

  test('--dry-run reports the changes and stores nothing', async () => {
    const store = tmpStore();
    const r = await run(['update-data', '--dry-run', '--from', server.url('ok')], store);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Would store IAM data/m);
    assert.match(r.stdout, /^services added \(1\): ufotest$/m);
    assert.ok(r.stdout.includes(`Nothing stored (dry run); the data would go to ${store}.`));
    assert.deepEqual(fs.readdirSync(store), []);
  });

  test('the stored data reads a managed policy document by its byte range, as the bundled data does', async () => {
    const store = tmpStore();
    assert.equal((await run(['update-data', '--from', server.url('ok')], store)).code, 0);
    const root = makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\nend\n', '.ufo/resources/iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n' });
    const r = await run(['permissions', '--format', 'json', '.'], store, root);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.dataDate, new Date().toISOString().slice(0, 10), 'the downloaded data answered');
    assert.deepEqual(out.TaskRole.unknownDocuments, []);
    const actions = out.TaskRole.allowed.map((a: { action: string }) => a.action);
    assert.ok(actions.includes('s3:GetObject') && actions.every((a: string) => a.startsWith('s3:')), actions.join(', '));
  });

  test('stored data of an older data format is passed over for the bundled data, with a note', async () => {
    const store = tmpStore();
    assert.equal((await run(['update-data', '--from', server.url('ok')], store)).code, 0);
    const folder = path.join(store, JSON.parse(fs.readFileSync(path.join(store, 'current.json'), 'utf8')).folder);
    const index = JSON.parse(fs.readFileSync(path.join(folder, 'iam-index.json'), 'utf8'));
    fs.writeFileSync(path.join(folder, 'iam-index.json'), JSON.stringify({ ...index, format: index.format - 1 }));
    const v = await run(['--version'], store);
    assert.match(v.stdout, /\(bundled, /);
    assert.match(v.stdout, new RegExp(`note: the stored IAM data in .* is not usable \\(iam-index\\.json: expected data format ${index.format}, got ${index.format - 1}\\)`));
  });

  test('stored data that is not valid is passed over for the bundled data, with a note', async () => {
    const store = tmpStore();
    fs.writeFileSync(path.join(store, 'current.json'), JSON.stringify({ folder: 'data-missing' }));
    const v = await run(['--version'], store);
    assert.match(v.stdout, /\(bundled, /);
    assert.match(v.stdout, /note: the stored IAM data in .* is not usable/);
  });

  test('usage errors exit 2', async () => {
    const store = tmpStore();
    assert.equal((await run(['update-data', 'extra'], store)).code, 2);
    const r = await run(['update-data', '--from', 'ftp://example.com/'], store);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not an http\(s\) URL/);
  });
});
