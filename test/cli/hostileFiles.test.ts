// The bundled CLI on a hostile or broken repository: a FIFO, a link to /dev/zero, a link that leaves the project, a
// link loop or a 64 MiB file in each place it reads (role files, .ufo/config.rb, .vscode/settings.json, the task
// definition template, .ufo/settings.yml). Every command ends within seconds with its documented exit code and a message
// that names the file; before, `check` and `compile` never returned on a FIFO or a link to /dev/zero.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../support/core';
import { HOSTILE_KINDS, REASON_OF, plantHostile } from '../support/hostile';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');
const TIMEOUT_MS = 10_000;

/** A v6 project; `rolesDir` holds its role files (UFO's own folder, or the pre-created one whose ARNs go into the template). */
function v6Project(rolesDir = '.ufo/resources/iam_roles'): string {
  return makeProject({
    '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n',
    [`${rolesDir}/task_role.rb`]: 'iam_policy("S3Read", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n',
    [`${rolesDir}/execution_role.rb`]: 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n',
    '.ufo/resources/task_definitions/web.json': '{\n  "family": "demo-web-dev",\n  "containerDefinitions": []\n}\n',
    '.vscode/settings.json': '{ "ufoIam.app": "demo" }\n',
  });
}

function cli(root: string, ...args: string[]) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', timeout: TIMEOUT_MS, env: { ...process.env, UFO_APP: '' } });
  const ms = Date.now() - started;
  assert.notEqual(r.signal, 'SIGTERM', `ufo-iam ${args.join(' ')} did not end within ${TIMEOUT_MS} ms`);
  return { code: r.status, out: r.stdout, err: r.stderr, ms };
}

const STACK = /^\s+at .+:\d+:\d+\)?$/m;

for (const kind of HOSTILE_KINDS) {
  describe(`a ${kind} in each place the CLI reads`, () => {
    test('role file: check and compile exit 1 with UNREADABLE_FILE at the file', () => {
      const root = v6Project();
      plantHostile(root, '.ufo/resources/iam_roles/task_role.rb', kind, 'iam_policy("Outside", Action: "s3:*", Effect: "Allow", Resource: "*")\n');
      const check = cli(root, 'check', '.');
      assert.equal(check.code, 1, check.out + check.err);
      assert.match(check.out, /^\.ufo\/resources\/iam_roles\/task_role\.rb:1:1: error UNREADABLE_FILE /m);
      assert.match(check.out, REASON_OF[kind]);
      const json = cli(root, 'check', '.', '--format', 'json');
      assert.equal(json.code, 1);
      assert.ok(JSON.parse(json.out).some((p: { code: string }) => p.code === 'UNREADABLE_FILE'));
      const compile = cli(root, 'compile', '.');
      assert.equal(compile.code, 1, compile.out + compile.err);
      assert.equal(compile.out, '');
      assert.match(compile.err, /task_role\.rb:1:1: .*is not read/);
      const named = cli(root, 'check', '.ufo/resources/iam_roles/task_role.rb');
      assert.equal(named.code, 1);
      assert.match(named.out, /UNREADABLE_FILE/);
      for (const r of [check, json, compile, named]) assert.doesNotMatch(r.out + r.err, STACK);
    });

    test('.ufo/config.rb: check and compile exit 1 and name it', () => {
      const root = v6Project();
      plantHostile(root, '.ufo/config.rb', kind);
      plantHostile(root, '.vscode/settings.json', 'fifo'); // and no app from the settings either
      const check = cli(root, 'check', '.');
      assert.equal(check.code, 1, check.out + check.err);
      assert.match(check.out, /^\.ufo\/config\.rb:1:1: error UNREADABLE_FILE /m);
      const compile = cli(root, 'compile', '.');
      assert.equal(compile.code, 1);
      assert.match(compile.err, /\.ufo\/config\.rb:1:1: .*is not read/);
    });

    test('.vscode/settings.json: check warns and goes on with the defaults', () => {
      const root = v6Project();
      plantHostile(root, '.vscode/settings.json', kind);
      const check = cli(root, 'check', '.');
      assert.equal(check.code, 0, check.out + check.err);
      assert.match(check.err, /warning: .*\.vscode\/settings\.json is not read: .*; using the default settings/);
      assert.match(check.err, REASON_OF[kind]);
    });

    test('the task-definition template: arns exits 1 and names it; check reports it unread (it checks templates too); compile is unaffected', () => {
      const root = v6Project('.ufo/precreated_iam_roles');
      plantHostile(root, '.ufo/resources/task_definitions/web.json', kind);
      const arns = cli(root, 'arns', '.', '--task-role-arn', 'arn:aws:iam::123456789012:role/demo-task');
      assert.equal(arns.code, 1, arns.out + arns.err);
      assert.match(arns.err, /web\.json is not read: /);
      const check = cli(root, 'check', '.');
      assert.equal(check.code, 1, check.out + check.err);
      assert.match(check.out, /^\.ufo\/resources\/task_definitions\/web\.json:1:1: error UNREADABLE_FILE \.ufo\/resources\/task_definitions\/web\.json is not read: /m);
      assert.match(check.out, REASON_OF[kind]);
      assert.equal(cli(root, 'compile', '.').code, 0);
    });

    test('.ufo/settings.yml (v5): check and compile are unaffected', () => {
      const root = makeProject({ '.ufo/iam_roles/task_role.rb': 'managed_iam_policy("AmazonSSMReadOnlyAccess")\n' });
      plantHostile(root, '.ufo/settings.yml', kind);
      assert.equal(cli(root, 'check', '.').code, 0);
      assert.equal(cli(root, 'compile', '.').code, 0);
    });
  });
}
