// The stack name as UFO derives it (v6 Ufo::Names#expansion, v5 adjust_stack_name), and the pre-created folder's place
// in the layout.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFile, expandV6Names, precreatedDirProblem, resolveLayout, resolveNameParts, resolveStackName } from '../../../server/src/core';

const parts = (env: Record<string, string>, version: 5 | 6 = 6) => resolveNameParts({ environment: env, configApp: 'demo', folderName: 'x', ufoVersion: version });

describe('v6 stack names', () => {
  test('the default pattern; an empty :EXTRA leaves no dash; extra appends', () => {
    assert.equal(expandV6Names(':APP-:ROLE-:ENV-:EXTRA', parts({})), 'demo-web-dev');
    assert.equal(expandV6Names(':APP-:ROLE-:ENV-:EXTRA', parts({ UFO_EXTRA: '2', UFO_ROLE: 'worker' })), 'demo-worker-dev-2');
  });
  test('dashes collapse and trim, underscores become dashes, a word is the longest run of word characters', () => {
    assert.equal(expandV6Names(':EXTRA--:APP-:ENV-', parts({ UFO_ENV: 'prod_eu' })), 'demo-prod-eu');
    // `:APP_` is one word and no method: it stays (then dasherize turns its underscore into a dash).
    assert.equal(expandV6Names(':APP_:ENV', parts({})), ':APP-dev');
    assert.equal(expandV6Names(':APP-:UNKNOWN', parts({})), 'demo-:UNKNOWN');
    assert.equal(expandV6Names(':app-:Ufo_Env', parts({})), 'demo-dev', 'the method name is the word downcased');
    // gsub! replaces every occurrence in turn: `:APP` also inside the later `:APPX`.
    assert.equal(expandV6Names(':APP-:APPX', parts({})), 'demo-demoX');
    assert.equal(expandV6Names(':APP-:REGION', parts({})), undefined, 'the region is known only to AWS');
  });
  test('resolveStackName: explicit wins, config pattern, computed pattern refused', () => {
    assert.deepEqual(resolveStackName({ version: 6, parts: parts({}), explicit: 'mine' }), { ok: true, name: 'mine', how: 'ufoIam.stack / --stack' });
    const fromConfig = resolveStackName({ version: 6, parts: parts({}), configPattern: { value: ':APP-:ENV', where: '.ufo/config.rb:4' } });
    assert.equal(fromConfig.ok && fromConfig.name, 'demo-dev');
    const computed = resolveStackName({ version: 6, parts: parts({}), configPattern: { note: 'config.names.stack is assigned a value that is not a string literal', where: '.ufo/config.rb:4' } });
    assert.equal(computed.ok, false);
    assert.match(!computed.ok ? computed.message : '', /not a string literal \(\.ufo\/config\.rb:4\), which ufo-iam cannot evaluate; set ufoIam\.stack/);
  });
});

describe('v5 stack names', () => {
  const v5 = (stackNaming: string | undefined, env: Record<string, string> = {}, cluster?: string) => {
    const r = resolveStackName({ version: 5, parts: parts(env, 5), service: 'demo-web', v5Settings: { ...(stackNaming ? { stackNaming } : {}), ...(cluster ? { cluster } : {}) } });
    return r.ok ? r.name : r.message;
  };
  test('each stack_naming, with UFO_ENV_EXTRA', () => {
    assert.equal(v5(undefined), 'demo-web-development');
    assert.equal(v5('append_ufo_env', { UFO_ENV: 'prod' }), 'demo-web-prod');
    assert.equal(v5('append_nothing'), 'demo-web');
    assert.equal(v5('prepend_nothing', { UFO_EXTRA: '2' }), 'demo-web-2');
    assert.equal(v5('prepend_cluster', {}, 'main'), 'main-demo-web');
    assert.equal(v5('append_cluster', { UFO_ENV: 'prod' }), 'demo-web-prod', 'the cluster defaults to UFO_ENV');
    assert.equal(v5('append_env', {}, 'c1'), 'demo-web-c1');
  });
  test('without the service name: a message, not a guess', () => {
    const r = resolveStackName({ version: 5, parts: parts({}, 5) });
    assert.equal(r.ok, false);
  });
});

describe('the pre-created folder', () => {
  const files = ['.ufo/config.rb', '.ufo/precreated_iam_roles/task_role.rb', '.ufo/precreated_iam_roles/demo/execution_role.rb', '.ufo/precreated_iam_roles/execution_role.rb', '.ufo/precreated_iam_roles/notes.rb'];
  const layout = resolveLayout({ files, app: 'demo', version: 6, precreatedDir: '.ufo/precreated_iam_roles' });
  test('the same lookup as UFO\'s folder (app-specific first), and none of UFO\'s own', () => {
    assert.deepEqual(layout.precreatedFiles, { task_role: '.ufo/precreated_iam_roles/task_role.rb', execution_role: '.ufo/precreated_iam_roles/demo/execution_role.rb' });
    assert.deepEqual(layout.roleFiles, {});
    assert.deepEqual(classifyFile('.ufo/precreated_iam_roles/task_role.rb', layout, 'demo'), { kind: 'role', roleType: 'task_role', version: 6, precreated: true });
    assert.equal(classifyFile('.ufo/precreated_iam_roles/execution_role.rb', layout, 'demo').kind, 'ignored');
    assert.match((classifyFile('.ufo/precreated_iam_roles/notes.rb', layout, 'demo') as { reason: string }).reason, /reads only task_role\.rb and execution_role\.rb/);
  });
  test('the folder must be inside .ufo/ and not one UFO reads', () => {
    assert.equal(precreatedDirProblem('.ufo/precreated_iam_roles'), undefined);
    assert.match(precreatedDirProblem('roles') ?? '', /inside \.ufo\//);
    assert.match(precreatedDirProblem('.ufo/../x') ?? '', /without "\.\."/);
    assert.match(precreatedDirProblem('.ufo/iam_roles/pre') ?? '', /overlaps \.ufo\/iam_roles\//);
    assert.match(precreatedDirProblem('.ufo/resources') ?? '', /overlaps/);
  });
});
