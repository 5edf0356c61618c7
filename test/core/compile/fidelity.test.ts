// Constructs whose value UFO computes without running anything dynamic, each a fixture in test/fixtures/compile/:
// `<name>.rb` is a task_role.rb, `<name>.json` what UFO builds from it (taken from Ruby 3.1 running UFO's registry and
// builder code, docs/ufo-semantics.md §3–8), or `{"raises": "<exception>"}` where UFO stops. The compiler must print
// exactly that JSON, or report a finding that UFO raises; it never drops a policy silently.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, compile } from '../../support/core';
import { RAISING_CODES } from '../../../server/src/core/compile/compileRoles';

const DIR = path.resolve(__dirname, '../../fixtures/compile');
const names = fs.readdirSync(DIR).filter((f) => f.endsWith('.rb')).map((f) => f.slice(0, -3)).sort();

describe('fidelity to UFO', () => {
  test('the fixtures exist', () => assert.ok(names.length >= 18, names.join(', ')));
  for (const name of names) {
    test(name, () => {
      const text = fs.readFileSync(path.join(DIR, `${name}.rb`), 'utf8');
      const expected = fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8').trim();
      const r = compile({ task_role: text });
      const raising = analyze(text).findings.filter((f) => RAISING_CODES.has(f.code));
      const parsed = JSON.parse(expected);
      if (parsed.raises) {
        assert.ok(raising.length > 0, `UFO raises ${parsed.raises}; the compiler must say so (findings: ${analyze(text).findings.map((f) => f.code)})`);
        if (parsed.raises === 'ArgumentError') assert.deepEqual([...new Set(raising.map((f) => f.code))], ['DSL_ARITY']);
      } else {
        assert.deepEqual(raising, []);
        assert.equal(r.json, expected);
        assert.ok(!r.roles.some((x) => x.partial), 'nothing here is computed at deploy time');
      }
    });
  }
});

describe('what is not folded is visible', () => {
  test('a splat of a value known only at deploy time: DYNAMIC_VALUE on the splat, and the role is partial', () => {
    const text = 'iam_policy(*policy_args)\nmanaged_iam_policy(*names)\n';
    const codes = analyze(text).findings.map((f) => f.code);
    assert.deepEqual(codes, ['DYNAMIC_VALUE', 'DYNAMIC_VALUE']);
    assert.equal(compile({ task_role: text }).roles.find((r) => r.roleType === 'task_role')!.partial, true);
  });
  test('a Hash given to managed_iam_policy: what UFO does with it, and no exception', () => {
    const kept = analyze('managed_iam_policy({ "iam::aws:policy" => "x" })\n').findings;
    assert.deepEqual(kept.map((f) => f.code), ['MANAGED_POLICY_ARN_MANGLED']);
    assert.match(kept[0].message, /UFO keeps this Hash as it is/);
    const other = analyze('managed_iam_policy({ "Ref" => "MyPolicy" })\n').findings;
    assert.deepEqual(other.map((f) => f.code), ['MANAGED_POLICY_ARN_MANGLED']);
    assert.match(other[0].message, /"arn:aws:iam::aws:policy\/" followed by its inspect/);
    assert.match(compile({ task_role: 'managed_iam_policy({ "Ref" => "MyPolicy" })\n' }).json, /"<dynamic: arn:aws:iam::aws:policy\/ followed by the inspect of a Hash>"/);
  });
  test('String + non-String is not folded (Ruby raises TypeError at deploy time)', () => {
    assert.deepEqual(analyze('iam_policy("P" + 1, Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n').findings.map((f) => f.code), ['DYNAMIC_VALUE']);
  });
});
