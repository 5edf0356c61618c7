import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRoleArns, type RoleArnReading, type RoleArnRef } from '../../../server/src/core/taskdef/readRoleArns';
import { LineIndex } from '../../../server/src/core/text/lineIndex';

const dir = path.join(__dirname, '../../fixtures/taskdef');
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

function ok(reading: RoleArnReading): Extract<RoleArnReading, { ok: true }> {
  assert.ok(reading.ok, reading.ok ? '' : reading.reason);
  return reading as Extract<RoleArnReading, { ok: true }>;
}

/** A compact view of a reference: its kind plus the value or source, and the text of its range. */
function view(text: string, ref: RoleArnRef): unknown {
  switch (ref.kind) {
    case 'absent':
      return 'absent';
    case 'literal':
      assert.match(text.slice(ref.keyRange.start, ref.keyRange.end), /^["']?(taskRoleArn|executionRoleArn)["']?$/);
      return { literal: ref.value, text: text.slice(ref.range.start, ref.range.end), conditional: ref.conditional };
    case 'dynamic':
    case 'other':
      assert.equal(ref.source, text.slice(ref.range.start, ref.range.end));
      return { [ref.kind]: ref.source, conditional: ref.conditional };
    case 'ambiguous':
      return { ambiguous: ref.occurrences.map((o) => view(text, o)) };
  }
}

function views(text: string, format: 'json' | 'yaml'): unknown {
  const r = ok(readRoleArns(text, format));
  return { task: view(text, r.taskRoleArn), execution: view(text, r.executionRoleArn) };
}

describe('readRoleArns', () => {
  test('generated templates reference no role (UFO wires its own, docs/ufo-semantics.md §7)', () => {
    for (const [name, format] of [
      ['v5_main.input.json.erb', 'json'],
      ['v5_fargate.input.json.erb', 'json'],
      ['v6_web.input.yml', 'yaml'],
      ['v6_web.input.json', 'json'],
    ] as const) {
      assert.deepEqual(views(read(name), format), { task: 'absent', execution: 'absent' }, name);
    }
  });

  test('pre-created literal ARNs, with their spans', () => {
    const text = read('v5_precreated.input.json.erb');
    const r = ok(readRoleArns(text, 'json'));
    assert.equal(r.taskRoleArn.kind, 'literal');
    if (r.taskRoleArn.kind !== 'literal') return;
    assert.equal(r.taskRoleArn.value, 'arn:aws:iam::112233445566:role/pre-created-iam-role');
    assert.equal(text.slice(r.taskRoleArn.range.start, r.taskRoleArn.range.end), '"arn:aws:iam::112233445566:role/pre-created-iam-role"');
    assert.equal(text.slice(r.taskRoleArn.keyRange.start, r.taskRoleArn.keyRange.end), '"taskRoleArn"');
    assert.deepEqual(views(read('v6_web_precreated.input.yml'), 'yaml'), {
      task: { literal: 'arn:aws:iam::112233445566:role/pre-created-iam-role', text: '"arn:aws:iam::112233445566:role/pre-created-iam-role"', conditional: false },
      execution: { literal: 'arn:aws:iam::112233445566:role/pre-created-iam-role', text: '"arn:aws:iam::112233445566:role/pre-created-iam-role"', conditional: false },
    });
  });

  test('YAML plain value with a comment, single-quoted value', () => {
    assert.deepEqual(views(read('v6_quoting.input.yml'), 'yaml'), {
      task: { literal: 'arn:aws:iam::112233445566:role/old-task-role', text: 'arn:aws:iam::112233445566:role/old-task-role', conditional: false },
      execution: 'absent',
    });
    assert.deepEqual(views("taskRoleArn: 'it''s'\nexecutionRoleArn: \"a\\x41\\u00e4\"\n", 'yaml'), {
      task: { literal: "it's", text: "'it''s'", conditional: false },
      execution: { literal: 'aAä', text: '"a\\x41\\u00e4"', conditional: false },
    });
  });

  test('ERB values are dynamic, covering every tag that makes them', () => {
    assert.deepEqual(views(read('v5_fargate_erb_role.input.json.erb'), 'json'), {
      task: 'absent',
      execution: { dynamic: '"<%= @execution_role_arn || raise("@execution_role_arn needs to be set") %>"', conditional: false },
    });
    assert.deepEqual(views(read('erb_value.input.json'), 'json'), {
      task: { dynamic: '<%= @task_role_arn.to_json %>', conditional: false },
      execution: { dynamic: '"arn:aws:iam::<%= aws.account %>:role/ecsTaskExecutionRole"', conditional: false },
    });
    assert.deepEqual(views(read('erb_value.input.yml'), 'yaml'), {
      task: { dynamic: '<%= @task_role_arn %>', conditional: false },
      execution: {
        dynamic: '<% if @exec_arn %><%= @exec_arn %><% else %>arn:aws:iam::112233445566:role/ecsTaskExecutionRole<% end %>',
        conditional: false,
      },
    });
    assert.deepEqual(views('{"family": "x", "taskRoleArn": <% if @a %>"a"<% else %>"b"<% end %>,\n"cpu": 1}', 'json'), {
      task: { dynamic: '<% if @a %>"a"<% else %>"b"<% end %>', conditional: false },
      execution: 'absent',
    });
  });

  test('duplicates are ambiguous; keys inside ERB blocks are conditional', () => {
    assert.deepEqual(views(read('duplicate_keys.input.json'), 'json'), {
      task: {
        ambiguous: [
          { literal: 'arn:aws:iam::112233445566:role/first', text: '"arn:aws:iam::112233445566:role/first"', conditional: false },
          { literal: 'arn:aws:iam::112233445566:role/second', text: '"arn:aws:iam::112233445566:role/second"', conditional: false },
        ],
      },
      execution: 'absent',
    });
    assert.deepEqual(views(read('duplicate_branches.input.yml'), 'yaml'), {
      task: {
        ambiguous: [
          { literal: 'arn:aws:iam::112233445566:role/prod-task-role', text: 'arn:aws:iam::112233445566:role/prod-task-role', conditional: true },
          { literal: 'arn:aws:iam::112233445566:role/dev-task-role', text: "'arn:aws:iam::112233445566:role/dev-task-role'", conditional: true },
        ],
      },
      execution: 'absent',
    });
    assert.deepEqual(views(read('conditional_key.input.yml'), 'yaml'), {
      task: 'absent',
      execution: { literal: 'arn:aws:iam::112233445566:role/prod-execution-role', text: '"arn:aws:iam::112233445566:role/prod-execution-role"', conditional: true },
    });
    // A key after the closing tag of a block is not conditional.
    const afterBlock = '{\n<% if @x %>\n"cpu": 1,\n<% end %>\n"taskRoleArn": "arn:x"\n}';
    assert.deepEqual(views(afterBlock, 'json'), { task: { literal: 'arn:x', text: '"arn:x"', conditional: false }, execution: 'absent' });
  });

  test('keys nested in containerDefinitions are not the task definition’s', () => {
    assert.deepEqual(views(read('nested_task_role.input.json'), 'json'), { task: 'absent', execution: 'absent' });
    assert.deepEqual(views(read('nested_task_role.input.yml'), 'yaml'), { task: 'absent', execution: 'absent' });
  });

  test('non-string values are other', () => {
    assert.deepEqual(views('{"taskRoleArn": null, "executionRoleArn": {"Fn::ImportValue": "x"}}', 'json'), {
      task: { other: 'null', conditional: false },
      execution: { other: '{"Fn::ImportValue": "x"}', conditional: false },
    });
    assert.deepEqual(views('taskRoleArn: ~\nexecutionRoleArn: |\n  arn:aws:iam::1:role/x\ncpu: 1\n', 'yaml'), {
      task: { other: '~', conditional: false },
      execution: { other: '|\n  arn:aws:iam::1:role/x', conditional: false },
    });
    assert.deepEqual(views('taskRoleArn: 123\nexecutionRoleArn: true\n', 'yaml'), {
      task: { other: '123', conditional: false },
      execution: { other: 'true', conditional: false },
    });
  });

  test('the top level must be an object or mapping', () => {
    for (const [text, format] of [
      [read('not_object.input.json'), 'json'],
      [read('not_object.input.yml'), 'yaml'],
      ['', 'json'],
      ['# only a comment\n', 'yaml'],
      ['just a scalar\n', 'yaml'],
      ['---\n---\nfamily: x\n', 'yaml'],
    ] as const) {
      const r = readRoleArns(text, format);
      assert.equal(r.ok, false, JSON.stringify(text));
      if (!r.ok) assert.ok(r.reason.length > 10);
    }
  });

  test('only the first YAML document counts, as with Psych YAML.load', () => {
    assert.deepEqual(views('family: x\n---\ntaskRoleArn: arn:y\n', 'yaml'), { task: 'absent', execution: 'absent' });
  });

  test('ranges are UTF-16 offsets that convert to the right byte spans after non-ASCII text', () => {
    const text = '{"_": "Grüße 🚀", "taskRoleArn": "arn:x"}';
    const r = ok(readRoleArns(text, 'json'));
    assert.equal(r.taskRoleArn.kind, 'literal');
    if (r.taskRoleArn.kind !== 'literal') return;
    assert.equal(text.slice(r.taskRoleArn.range.start, r.taskRoleArn.range.end), '"arn:x"');
    const index = new LineIndex(text);
    const bytes = Buffer.from(text, 'utf8');
    const start = index.byteOfOffset(r.taskRoleArn.range.start);
    const end = index.byteOfOffset(r.taskRoleArn.range.end);
    assert.equal(bytes.subarray(start, end).toString('utf8'), '"arn:x"');
  });

  test('never throws on odd input', () => {
    const samples = ['{', '{"a"', '{"a":', '{"a": [1, {', '{,,,}', '{"a" "b" "c"}', '<% %>', '<%= x', 'a:\n  - b\n c: d', '{"a": 1 "taskRoleArn": "x"}', '"taskRoleArn": "x"', '- a', '[[[[[[[['.repeat(2000)];
    for (const s of samples) {
      for (const f of ['json', 'yaml'] as const) assert.doesNotThrow(() => readRoleArns(s, f), s.slice(0, 20));
    }
    // A missing comma does not swallow the next key.
    assert.deepEqual(views('{"a": 1 "taskRoleArn": "x"}', 'json'), { task: { literal: 'x', text: '"x"', conditional: false }, execution: 'absent' });
  });
});
