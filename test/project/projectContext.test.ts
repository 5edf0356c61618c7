// The project context (server/src/project/projectContext.ts) of fixture projects: role names, with `.ufo/config.rb` read
// statically by Prism, and the settings that decide them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openProject } from '../../server/src/project/projectContext';
import { normalizeSettings } from '../../server/src/settings';
import { readConfigApp } from '../../server/src/project/ufoConfig';

const projects = path.resolve(__dirname, '../fixtures/aws/projects');
const project = (name: string): string => path.join(projects, name);

/** The project's role names (and the rest of its context) with these settings and environment. */
function resolveProjectRoleNames(root: string, version: 5 | 6, options: { processEnv: NodeJS.ProcessEnv; app?: string; env?: string; template?: string }) {
  const settings = normalizeSettings({ ufoVersion: String(version), app: options.app ?? '', env: options.env ?? '', roleNameTemplate: options.template ?? '' });
  const ctx = openProject(root, { settings, env: options.processEnv });
  return { ...ctx.names, configApp: ctx.config, notes: ctx.notes };
}

describe('config.rb', () => {
  test('reads the literal config.app inside Ufo.configure', () => {
    assert.deepEqual(readConfigApp(project('demo-v6')), { file: path.join('.ufo', 'config.rb'), line: 3, app: 'demo', namesStack: { line: 8, value: ':APP-:ROLE-:ENV-:EXTRA' } });
  });

  test('an explicit prism.wasm path (node_modules in tests, beside the bundle at run time) works too', () => {
    const wasm = path.resolve(__dirname, '../../node_modules/@ruby/prism/src/prism.wasm');
    assert.equal(readConfigApp(project('demo-v6'), { prismWasmPath: wasm })!.app, 'demo');
  });

  test('any block parameter name works, and the last assignment wins', () => {
    assert.deepEqual(readConfigApp(project('block-param')), { file: path.join('.ufo', 'config.rb'), line: 5, app: 'séance', namesStack: { line: 4, value: ':APP-:ENV' } });
  });

  test('dynamic, interpolated and conditional values are not guessed', () => {
    assert.deepEqual(readConfigApp(project('dynamic-app')), { file: path.join('.ufo', 'config.rb'), line: 2, note: 'config.app is assigned a dynamic value' });
    assert.equal(readConfigApp(project('interpolated-app'))!.app, undefined);
    assert.deepEqual(readConfigApp(project('conditional-app')), { file: path.join('.ufo', 'config.rb'), line: 5, note: 'config.app is assigned inside a condition' });
  });

  test('no config.rb, or no assignment in it', () => {
    assert.equal(readConfigApp(project('v5-project')), undefined);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-config-'));
    try {
      fs.mkdirSync(path.join(dir, '.ufo'));
      fs.writeFileSync(path.join(dir, '.ufo', 'config.rb'), 'Ufo.configure do |config|\n  config.app = \n');
      assert.equal(readConfigApp(dir)!.app, undefined);
      fs.writeFileSync(path.join(dir, '.ufo', 'config.rb'), '# nothing here\n');
      assert.deepEqual(readConfigApp(dir), { file: path.join('.ufo', 'config.rb'), note: 'no config.app assignment' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('project role names', () => {
  test('v6 project with config.app: demo-web-dev-TaskRole', () => {
    const r = resolveProjectRoleNames(project('demo-v6'), 6, { processEnv: {} });
    assert.deepEqual(r.names.TaskRole, { ok: true, name: 'demo-web-dev-TaskRole' });
    assert.deepEqual(r.names.ExecutionRole, { ok: true, name: 'demo-web-dev-ExecutionRole' });
    assert.equal(r.parts.sources.app, 'config.rb');
    assert.deepEqual(r.notes, []);
  });

  test('v5 project without config.rb: the folder name and env development', () => {
    const r = resolveProjectRoleNames(project('v5-project'), 5, { processEnv: {} });
    assert.deepEqual(r.names.ExecutionRole, { ok: true, name: 'v5-project-web-development-ExecutionRole' });
  });

  test('options beat UFO_* variables, which beat config.rb', () => {
    const fromEnv = resolveProjectRoleNames(project('demo-v6'), 6, { processEnv: { UFO_APP: 'api', UFO_ENV: 'prod', UFO_ROLE: 'worker' } });
    assert.deepEqual(fromEnv.names.TaskRole, { ok: true, name: 'api-worker-prod-TaskRole' });
    // UFO_APP decides the app; v6 still reads config.rb for the stack's name pattern, and its config.app is not used.
    assert.equal(fromEnv.configApp?.app, 'demo');
    assert.deepEqual(fromEnv.parts.sources.app, 'environment');
    const v5 = resolveProjectRoleNames(project('v5-project'), 5, { processEnv: { UFO_APP: 'api' } });
    assert.equal(v5.configApp, undefined, 'v5 reads no config.rb when UFO_APP decides');
    const fromOptions = resolveProjectRoleNames(project('demo-v6'), 6, { app: 'billing', env: 'stage', processEnv: { UFO_APP: 'api', UFO_ENV: 'prod' } });
    assert.deepEqual(fromOptions.names.TaskRole, { ok: true, name: 'billing-web-stage-TaskRole' });
    const templated = resolveProjectRoleNames(project('demo-v6'), 6, { template: 'ecs-{app}-{env}-{logicalId}', processEnv: {} });
    assert.deepEqual(templated.names.TaskRole, { ok: true, name: 'ecs-demo-dev-TaskRole' });
  });

  test('a dynamic config.app falls back to the folder name and says so', () => {
    const r = resolveProjectRoleNames(project('dynamic-app'), 6, { processEnv: {} });
    assert.deepEqual(r.names.TaskRole, { ok: true, name: 'dynamic-app-web-dev-TaskRole' });
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0], /config\.app is assigned a dynamic value \(\.ufo\/config\.rb:2\).*folder name "dynamic-app".*ufoIam\.app or UFO_APP/);
  });

  test('a name IAM cannot take is a clear error naming where each part came from', () => {
    const r = resolveProjectRoleNames(project('block-param'), 6, { processEnv: {} });
    assert.equal(r.names.TaskRole.ok, false);
    assert.match((r.names.TaskRole as { message: string }).message, /"séance-web-dev-TaskRole" contains "é".*app "séance" \(config\.rb\)/);
  });
});
