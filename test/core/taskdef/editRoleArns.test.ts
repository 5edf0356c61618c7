import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyTextEdits, editRoleArns, type RoleArnValues } from '../../../server/src/core/taskdef/editRoleArns';
import { readRoleArns, type RoleArnOccurrence, type RoleArnRef } from '../../../server/src/core/taskdef/readRoleArns';
import type { TaskDefinitionFormat } from '../../../server/src/core/taskdef/scanTaskDefinition';
import { maskErb } from '../../../server/src/core/taskdef/maskErb';

const dir = path.join(__dirname, '../../fixtures/taskdef');

interface Case {
  input: string;
  format: TaskDefinitionFormat;
  values: RoleArnValues;
  force?: boolean;
  expected?: string;
  refused?: string;
}

const cases: Case[] = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

describe('editRoleArns fixtures (test/fixtures/taskdef/cases.json)', () => {
  for (const c of cases) {
    const title = `${c.input}${c.force ? ' (force)' : ''} → ${c.expected ?? c.refused}`;
    test(title, () => {
      const input = read(c.input);
      const result = editRoleArns(input, c.format, c.values, { force: c.force });
      if (c.refused) {
        assert.equal(result.ok, false, 'expected a refusal');
        if (!result.ok) {
          assert.equal(result.code, c.refused);
          assert.ok(result.reason.length > 20, result.reason);
        }
        return;
      }
      assert.ok(result.ok, result.ok ? '' : `${result.code}: ${result.reason}`);
      if (!result.ok) return;
      assert.equal(result.text, read(c.expected!));
      // The edits alone reproduce the text, and touch only what they must: no edit covers a line break
      // of the original unless it replaces a multi-line value.
      assert.equal(applyTextEdits(input, result.edits), result.text);
      // Reading the result back gives the new values as literals.
      const back = readRoleArns(result.text, c.format);
      assert.ok(back.ok);
      if (!back.ok) return;
      for (const key of ['taskRoleArn', 'executionRoleArn'] as const) {
        const want = c.values[key];
        if (want === undefined) continue;
        const ref: RoleArnRef = back[key];
        const occurrences: ReadonlyArray<RoleArnRef | RoleArnOccurrence> = ref.kind === 'ambiguous' ? ref.occurrences : [ref];
        for (const o of occurrences) {
          assert.equal(o.kind, 'literal', `${key} reads back as ${o.kind}`);
          if (o.kind === 'literal') assert.equal(o.value, want);
        }
      }
      // Editing again with the same values changes nothing.
      const again = editRoleArns(result.text, c.format, c.values, { force: c.force });
      assert.ok(again.ok);
      if (again.ok) assert.deepEqual(again.edits, []);
    });
  }
});

describe('editRoleArns details', () => {
  const T = 'arn:aws:iam::112233445566:role/demo-task-role';

  test('CRLF output keeps CRLF only, and JSON still parses once the ERB is masked', () => {
    const result = editRoleArns(read('crlf.input.json.erb'), 'json', { taskRoleArn: T });
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(/[^\r]\n/.test(result.text), false);
    assert.equal(JSON.parse(maskErb(result.text)).taskRoleArn, T);
  });

  test('inserted JSON is valid JSON in a plain file', () => {
    const result = editRoleArns('{\n  "family": "demo",\n  "cpu": "256"\n}\n', 'json', { taskRoleArn: T, executionRoleArn: T });
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.deepEqual(JSON.parse(result.text), { family: 'demo', taskRoleArn: T, executionRoleArn: T, cpu: '256' });
  });

  test('an insertion after a family written last without a trailing newline', () => {
    const result = editRoleArns('family: demo\nnetworkMode: bridge\nfamily2: x', 'yaml', { taskRoleArn: T });
    assert.ok(result.ok);
    if (result.ok) assert.equal(result.text, `family: demo\ntaskRoleArn: ${T}\nnetworkMode: bridge\nfamily2: x`);
    const last = editRoleArns('networkMode: bridge\nfamily: demo', 'yaml', { taskRoleArn: T });
    assert.ok(last.ok);
    if (last.ok) assert.equal(last.text, `networkMode: bridge\nfamily: demo\ntaskRoleArn: ${T}`);
  });

  test('a value needing quotes in YAML gets double quotes even in a plain file', () => {
    const result = editRoleArns('family: demo\n', 'yaml', { taskRoleArn: 'yes' });
    assert.ok(result.ok);
    if (result.ok) assert.equal(result.text, 'family: demo\ntaskRoleArn: "yes"\n');
    const hash = editRoleArns('family: demo\n', 'yaml', { taskRoleArn: 'a #b' });
    assert.ok(hash.ok);
    if (hash.ok) assert.equal(hash.text, 'family: demo\ntaskRoleArn: "a #b"\n');
  });

  test('an empty YAML value keeps its comment', () => {
    const result = editRoleArns('family: demo\ntaskRoleArn: # fill in\n', 'yaml', { taskRoleArn: T }, { force: true });
    assert.ok(result.ok);
    if (result.ok) assert.equal(result.text, `family: demo\ntaskRoleArn: ${T} # fill in\n`);
    const refused = editRoleArns('family: demo\ntaskRoleArn:\n', 'yaml', { taskRoleArn: T });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.equal(refused.code, 'NOT_A_STRING');
  });

  test('a nested YAML value under the key is replaced from the colon when forced', () => {
    const input = 'family: demo\ntaskRoleArn:\n  Fn::ImportValue: shared-task-role\nnetworkMode: bridge\n';
    const result = editRoleArns(input, 'yaml', { taskRoleArn: T }, { force: true });
    assert.ok(result.ok);
    if (result.ok) assert.equal(result.text, `family: demo\ntaskRoleArn: ${T}\nnetworkMode: bridge\n`);
  });

  test('a JSON document in a .yml file is edited as JSON', () => {
    const result = editRoleArns('---\n{"family": "demo", "cpu": "256"}\n', 'yaml', { taskRoleArn: T });
    assert.ok(result.ok);
    if (result.ok) assert.equal(result.text, `---\n{"family": "demo", "taskRoleArn": "${T}", "cpu": "256"}\n`);
  });

  test('invalid new values are refused', () => {
    for (const bad of ['', 'arn\nx']) {
      const r = editRoleArns('{"family": "x"}', 'json', { taskRoleArn: bad });
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.code, 'INVALID_ARN');
    }
  });

  test('JSON string escaping of the new value', () => {
    const r = editRoleArns('{"family": "x"}', 'json', { taskRoleArn: 'a"b\\c' });
    assert.ok(r.ok);
    if (r.ok) assert.equal(JSON.parse(r.text).taskRoleArn, 'a"b\\c');
  });

  test('refusal reasons name the key and the line', () => {
    const r = editRoleArns(read('duplicate_keys.input.json'), 'json', { taskRoleArn: T });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.key, 'taskRoleArn');
      assert.match(r.reason, /lines 3, 5/);
    }
  });

  test('random mutations of the fixtures never throw, and edits stay sorted, disjoint and in bounds', () => {
    // A small deterministic generator (mulberry32), so a failure reproduces.
    let seed = 0x5eed;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pieces = ['<%', '%>', '<%= x %>', '<% if a %>', '<% end %>', '"', "'", '{', '}', '[', ']', ',', ':', '\n', '\r\n', '#', '- ', 'taskRoleArn: ', '"taskRoleArn": ', 'ü🚀'];
    const inputs = [...new Set(cases.map((c) => c.input))];
    let runs = 0;
    for (const name of inputs) {
      const original = read(name);
      for (let i = 0; i < 40; i++) {
        let text = original;
        for (let k = 0; k < 3; k++) {
          const at = Math.floor(random() * (text.length + 1));
          if (random() < 0.5) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
          else text = text.slice(0, at) + text.slice(at + Math.floor(random() * 8));
        }
        for (const format of ['json', 'yaml'] as const) {
          readRoleArns(text, format);
          const r = editRoleArns(text, format, { taskRoleArn: T, executionRoleArn: T }, { force: random() < 0.5 });
          runs++;
          if (!r.ok) continue;
          let last = 0;
          for (const e of r.edits) {
            assert.ok(e.range.start >= last && e.range.end >= e.range.start && e.range.end <= text.length, JSON.stringify({ name, text }));
            last = e.range.end;
          }
          assert.equal(applyTextEdits(text, r.edits), r.text);
        }
      }
    }
    assert.ok(runs > 1000);
  });
});
