import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { pickTaskDefinitionFiles } from '../../../server/src/core/taskdef/pickTaskDefinitionFiles';

const V6 = '.ufo/resources/task_definitions/';

describe('pickTaskDefinitionFiles', () => {
  test('v6: role, then web, then default; .json before .yml; first match used (docs/ufo-semantics.md §12)', () => {
    const paths = [`${V6}default.yml`, `${V6}web.yml`, `${V6}worker.yml`, `${V6}web.json`, `${V6}default.json`, '.ufo/config.rb'];
    assert.deepEqual(pickTaskDefinitionFiles(6, paths), [
      { path: `${V6}web.json`, format: 'json', status: 'used' },
      { path: `${V6}web.yml`, format: 'yaml', status: 'shadowed' },
      { path: `${V6}default.json`, format: 'json', status: 'shadowed' },
      { path: `${V6}default.yml`, format: 'yaml', status: 'shadowed' },
    ]);
    assert.deepEqual(
      pickTaskDefinitionFiles(6, paths, 'worker').map((f) => [f.path, f.status]),
      [
        [`${V6}worker.yml`, 'used'],
        [`${V6}web.json`, 'shadowed'],
        [`${V6}web.yml`, 'shadowed'],
        [`${V6}default.json`, 'shadowed'],
        [`${V6}default.yml`, 'shadowed'],
      ],
    );
  });

  test('v6: only the default web.yml', () => {
    assert.deepEqual(pickTaskDefinitionFiles(6, [`${V6}web.yml`], 'web'), [{ path: `${V6}web.yml`, format: 'yaml', status: 'used' }]);
  });

  test('v6: .yaml, other names and other folders are never read', () => {
    assert.deepEqual(pickTaskDefinitionFiles(6, [`${V6}web.yaml`, `${V6}clock.yml`, '.ufo/templates/main.json.erb', `x/${V6}web.yml`]), []);
  });

  test('v6: paths may use backslashes or ./, and are returned as given', () => {
    const p = '.\\.ufo\\resources\\task_definitions\\default.yml';
    assert.deepEqual(pickTaskDefinitionFiles(6, [p]), [{ path: p, format: 'yaml', status: 'used' }]);
    assert.deepEqual(pickTaskDefinitionFiles(6, [`./${V6}web.yml`]).map((f) => f.path), [`./${V6}web.yml`]);
  });

  test('v5: every .ufo/templates/*.json.erb, main first, then by name', () => {
    const paths = ['.ufo/templates/worker.json.erb', '.ufo/templates/fargate.json.erb', '.ufo/templates/main.json.erb', '.ufo/templates/.hidden.json.erb', '.ufo/templates/notes.md', '.ufo/templates/sub/x.json.erb', '.ufo/iam_roles/task_role.rb'];
    assert.deepEqual(pickTaskDefinitionFiles(5, paths), [
      { path: '.ufo/templates/main.json.erb', format: 'json', status: 'candidate' },
      { path: '.ufo/templates/fargate.json.erb', format: 'json', status: 'candidate' },
      { path: '.ufo/templates/worker.json.erb', format: 'json', status: 'candidate' },
    ]);
    assert.deepEqual(pickTaskDefinitionFiles(5, [`${V6}web.yml`]), []);
  });

  test('duplicates in the input appear once', () => {
    assert.equal(pickTaskDefinitionFiles(6, [`${V6}web.yml`, `./${V6}web.yml`]).length, 1);
  });
});
