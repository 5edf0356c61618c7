import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ROLE_NAME_TEMPLATE,
  checkRoleName,
  defaultUfoEnv,
  renderRoleName,
  resolveNameParts,
  type RoleNameParts,
} from '../../../server/src/core/layout/roleName';

const parts = (over: Partial<RoleNameParts> = {}): RoleNameParts => ({
  app: 'demo',
  role: 'web',
  env: 'dev',
  extra: '',
  sources: { app: 'option', role: 'default', env: 'default' },
  ...over,
});

describe('role names', () => {
  test('the default template gives demo-web-dev-TaskRole', () => {
    assert.equal(DEFAULT_ROLE_NAME_TEMPLATE, '{app}-{role}-{env}-{logicalId}');
    assert.deepEqual(renderRoleName(DEFAULT_ROLE_NAME_TEMPLATE, parts(), 'TaskRole'), { ok: true, name: 'demo-web-dev-TaskRole' });
    assert.deepEqual(renderRoleName(DEFAULT_ROLE_NAME_TEMPLATE, parts(), 'ExecutionRole'), { ok: true, name: 'demo-web-dev-ExecutionRole' });
  });

  test('an empty part takes one hyphen with it, wherever it is', () => {
    const t = '{app}-{env}-{extra}-{logicalId}';
    assert.deepEqual(renderRoleName(t, parts(), 'TaskRole'), { ok: true, name: 'demo-dev-TaskRole' });
    assert.deepEqual(renderRoleName(t, parts({ extra: 'blue' }), 'TaskRole'), { ok: true, name: 'demo-dev-blue-TaskRole' });
    assert.deepEqual(renderRoleName('{app}-{env}-{extra}', parts(), 'TaskRole'), { ok: true, name: 'demo-dev' });
    assert.deepEqual(renderRoleName('{extra}-{app}', parts(), 'TaskRole'), { ok: true, name: 'demo' });
    assert.deepEqual(renderRoleName('ecs.{app}@{env}+{logicalId}', parts(), 'TaskRole'), { ok: true, name: 'ecs.demo@dev+TaskRole' });
  });

  test('unknown placeholders are rejected with the list of known ones', () => {
    const r = renderRoleName('{app}-{stage}-{logicalId}', parts(), 'TaskRole');
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /unknown placeholder \{stage\}; the known ones are \{app\}, \{role\}, \{env\}, \{extra\}, \{logicalId\}/);
  });

  test('IAM rules: at most 64 characters of [\\w+=,.@-]', () => {
    assert.equal(checkRoleName('a'.repeat(64)), undefined);
    assert.match(checkRoleName('a'.repeat(65))!, /65 characters long; IAM allows at most 64/);
    assert.match(checkRoleName('my app-TaskRole')!, /contains " " \(space\), which IAM does not allow/);
    assert.match(checkRoleName('séance/x')!, /contains "é", "\/"/);
    assert.match(checkRoleName('')!, /empty/);
    const long = renderRoleName(DEFAULT_ROLE_NAME_TEMPLATE, parts({ app: 'a-very-long-application-name-for-testing-xyz' }), 'ExecutionRole');
    assert.equal(long.ok, false);
    assert.match((long as { message: string }).message, /is 66 characters long.*template "\{app\}-\{role\}-\{env\}-\{logicalId\}" with app "a-very-long-application-name-for-testing-xyz" \(option\)/);
  });

  test('parts: option, then environment, then config.rb or folder; env defaults by UFO version', () => {
    const base = { environment: {}, folderName: 'folder', ufoVersion: 6 as const };
    assert.deepEqual(resolveNameParts(base), {
      app: 'folder',
      role: 'web',
      env: 'dev',
      extra: '',
      sources: { app: 'folder', role: 'default', env: 'default' },
    });
    assert.equal(resolveNameParts({ ...base, configApp: 'cfg' }).app, 'cfg');
    assert.equal(resolveNameParts({ ...base, configApp: 'cfg', environment: { UFO_APP: 'envapp' } }).app, 'envapp');
    assert.equal(resolveNameParts({ ...base, configApp: 'cfg', environment: { UFO_APP: 'envapp' }, explicitApp: 'opt' }).app, 'opt');
    assert.equal(resolveNameParts({ ...base, explicitApp: '', environment: { UFO_APP: 'envapp' } }).app, 'envapp');
    assert.equal(resolveNameParts({ ...base, ufoVersion: 5 }).env, 'development');
    assert.equal(resolveNameParts({ ...base, environment: { UFO_ENV: 'prod' } }).env, 'prod');
    assert.equal(resolveNameParts({ ...base, environment: { UFO_ENV: 'prod' }, explicitEnv: 'stage' }).env, 'stage');
    assert.deepEqual(resolveNameParts({ ...base, environment: { UFO_ROLE: 'worker', UFO_EXTRA: '2' } }).role, 'worker');
    assert.equal(resolveNameParts({ ...base, environment: { UFO_ROLE: 'worker', UFO_EXTRA: '2' } }).extra, '2');
    assert.deepEqual([defaultUfoEnv(5), defaultUfoEnv(6)], ['development', 'dev']);
  });
});
