// The compiler against UFO's semantics (docs/ufo-semantics.md §3–7): every argument form of the two DSL
// methods, de-duplication, squeeze rules, key order and the exact builder-spec output.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, compile, statementsOf, ROOT } from '../../support/core';
import { toYamlText } from '../../../server/src/core/compile/serialize';

const SPEC_FIXTURE = fs.readFileSync(path.join(ROOT, 'test/fixtures/projects/builder_spec/.ufo/iam_roles/task_role.rb'), 'utf8');

// Verbatim from UFO's spec/ufo/iam_role/builder_spec.rb (docs/ufo-semantics.md §6).
const SPEC_YAML = `---
Type: AWS::IAM::Role
Properties:
  AssumeRolePolicyDocument:
    Version: '2012-10-17'
    Statement:
    - Effect: Allow
      Principal:
        Service: ecs-tasks.amazonaws.com
      Action: sts:AssumeRole
  Policies:
  - PolicyName: AmazonS3ReadOnlyAccess
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
      - Action:
        - s3:Get*
        - s3:List*
        Effect: Allow
        Resource: "*"
  - PolicyName: CloudwatchWrite
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
      - Action:
        - cloudwatch:PutMetricData
        Effect: Allow
        Resource: "*"
  ManagedPolicyArns:
  - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
  - arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess
`;

describe('UFO builder spec', () => {
  test('reproduces the expected YAML exactly', () => {
    const r = compile({ task_role: SPEC_FIXTURE });
    assert.equal(toYamlText(r.resources.get('TaskRole')!), SPEC_YAML);
  });
  test('the JSON form has UFO key order', () => {
    const r = compile({ task_role: SPEC_FIXTURE });
    assert.deepEqual(Object.keys(r.plain), ['TaskRole']);
    assert.deepEqual(Object.keys(r.plain.TaskRole), ['Type', 'Properties']);
    assert.deepEqual(Object.keys(r.plain.TaskRole.Properties), ['AssumeRolePolicyDocument', 'Policies', 'ManagedPolicyArns']);
    assert.equal(r.plain.TaskRole.Properties.Policies.length, 2, 'the duplicate CloudwatchWrite collapses');
    assert.match(r.json, /^\{\n  "TaskRole": \{\n    "Type": "AWS::IAM::Role",/);
  });
});

describe('iam_policy argument forms', () => {
  const expected = [{ Action: ['s3:GetObject'], Effect: 'Allow', Resource: '*' }];
  test('keyword style', () => {
    assert.deepEqual(statementsOf('iam_policy("P", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")'), [expected]);
  });
  test('explicit hash with braces', () => {
    assert.deepEqual(statementsOf('iam_policy("P", { Action: ["s3:GetObject"], Effect: "Allow", Resource: "*" })'), [expected]);
  });
  test('string keys with =>, quoted labels and :sym =>', () => {
    assert.deepEqual(statementsOf(`iam_policy("P", "Action" => ["s3:GetObject"], "Effect": "Allow", :Resource => "*")`), [expected]);
  });
  test('without parentheses, with comments and trailing commas', () => {
    const text = `iam_policy "P", # the policy\n  Action: [\n    "s3:GetObject", # read\n  ],\n  Effect: "Allow",\n  Resource: "*",\n`;
    assert.deepEqual(statementsOf(text), [expected]);
  });
  test('array of statements, deep-flattened', () => {
    const text = `iam_policy("P", [[{Action: "a:B", Effect: "Allow", Resource: "*"}], [{Action: "c:D", Effect: "Deny", Resource: "*"}, [{Sid: "x"}]]])`;
    assert.deepEqual(statementsOf(text), [[{ Action: 'a:B', Effect: 'Allow', Resource: '*' }, { Action: 'c:D', Effect: 'Deny', Resource: '*' }, { Sid: 'x' }]]);
  });
  test('arrays inside a statement are not flattened', () => {
    assert.deepEqual(statementsOf('iam_policy("P", Action: [["a:B"], "c:D"], Effect: "Allow", Resource: "*")'), [[{ Action: [['a:B'], 'c:D'], Effect: 'Allow', Resource: '*' }]]);
  });
  test('a single hash still gives a Statement array', () => {
    const r = compile({ task_role: 'iam_policy("P", Effect: "Allow")' });
    assert.ok(Array.isArray(r.plain.TaskRole.Properties.Policies[0].PolicyDocument.Statement));
  });
  test('a whole policy document passed as statements stays one statement element', () => {
    assert.deepEqual(statementsOf('iam_policy("P", Version: "2012-10-17", Statement: [{Effect: "Allow"}])'), [[{ Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] }]]);
  });
  test('keys and values are not normalised', () => {
    assert.deepEqual(statementsOf('iam_policy("P", action: "s3:GetObject", Effect: "allow")'), [[{ action: 's3:GetObject', Effect: 'allow' }]]);
  });
  test('nested condition keys become strings; symbol values are written as YAML writes them', () => {
    const text = 'iam_policy("P", Action: "iam:PassRole", Effect: "Allow", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com", :"aws:x" => :y } })';
    assert.deepEqual(statementsOf(text), [[{ Action: 'iam:PassRole', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com', 'aws:x': ':y' } } }]]);
  });
  test('numbers, booleans and floats keep their Ruby form', () => {
    const r = compile({ task_role: 'iam_policy("P", Condition: { NumericLessThan: { "s3:max-keys": 10 }, Bool: { "aws:SecureTransport": true }, X: { "k": 1.0, "j": 2.5e20 } })' });
    assert.match(r.json, /"s3:max-keys": 10\b/);
    assert.match(r.json, /"aws:SecureTransport": true/);
    assert.match(r.json, /"k": 1\.0\b/);
    assert.match(r.json, /"j": 2\.5e\+20/);
  });
});

describe('Ruby literal forms', () => {
  test('single- and double-quoted strings with escapes', () => {
    assert.deepEqual(statementsOf(`iam_policy('P', Sid: 'it\\'s', Action: "a\\tb\\u00fc")`), [[{ Sid: "it's", Action: 'a\tbü' }]]);
  });
  test('heredocs <<~ and <<-', () => {
    const text = 'iam_policy("P", Sid: <<~EOS, Action: <<-EOT)\n    squiggly\n      indented\n  EOS\n  dash\n  EOT\n';
    assert.deepEqual(statementsOf(text), [[{ Sid: 'squiggly\n  indented\n', Action: '  dash\n' }]]);
  });
  test('adjacent literal concatenation and literal interpolation', () => {
    assert.deepEqual(statementsOf('iam_policy("P", Action: "s3:" "Get" "#{"Object"}", Resource: "arn:aws:s3:::b#{1}/#{nil}x")'), [[{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b1/x' }]]);
  });
  test('%w[] and %i[] arrays', () => {
    assert.deepEqual(statementsOf('iam_policy("P", Action: %w[s3:GetObject s3:PutObject], Sid: %i[a b])'), [[{ Action: ['s3:GetObject', 's3:PutObject'], Sid: [':a', ':b'] }]]);
  });
  test('symbols with quotes', () => {
    assert.deepEqual(statementsOf('iam_policy(:P, Condition: { :"iam:PassedToService" => "x" })').length, 1);
  });
  test('integer forms', () => {
    const r = compile({ task_role: 'iam_policy("P", A: 1_000, B: 0x10, C: -3)' });
    assert.deepEqual(r.plain.TaskRole.Properties.Policies[0].PolicyDocument.Statement, [{ A: 1000, B: 16, C: -3 }]);
  });
});

describe('de-duplication with Ruby eql? semantics', () => {
  test('hash key order does not matter', () => {
    const text = 'iam_policy("P", Action: "a:B", Effect: "Allow")\niam_policy("P", Effect: "Allow", Action: "a:B")';
    assert.equal(statementsOf(text).length, 1);
  });
  test('Symbol and String keys are distinct', () => {
    const text = 'iam_policy("P", Action: "a:B")\niam_policy("P", "Action" => "a:B")';
    assert.equal(statementsOf(text).length, 2);
  });
  test('1 and 1.0 are distinct', () => {
    const text = 'iam_policy("P", A: 1)\niam_policy("P", A: 1.0)';
    assert.equal(statementsOf(text).length, 2);
  });
  test('same name with other statements stays a second entry, in first-insertion order', () => {
    const r = compile({ task_role: 'iam_policy("B", A: 1)\niam_policy("A", A: 1)\niam_policy("B", A: 2)\niam_policy("B", A: 1)' });
    assert.deepEqual(r.plain.TaskRole.Properties.Policies.map((p: any) => [p.PolicyName, p.PolicyDocument.Statement[0].A]), [['B', 1], ['A', 1], ['B', 2]]);
  });
  test('a statement array and the same single hash are the same registration', () => {
    assert.equal(statementsOf('iam_policy("P", A: 1)\niam_policy("P", [{A: 1}])').length, 1);
  });
  test('a repeated key in one literal keeps the last value at the last position, as Ruby builds the literal', () => {
    assert.deepEqual(statementsOf('iam_policy("P", { A: 1, B: 2, A: 3 })'), [[{ B: 2, A: 3 }]]);
    assert.deepEqual(Object.keys(statementsOf('iam_policy("P", { A: 1, B: 2, A: 3 })')[0][0]), ['B', 'A']);
    // :A and "A" are two keys of the literal; deep_stringify_keys then keeps the first place and the last value.
    assert.deepEqual(Object.keys(statementsOf('iam_policy("P", { A: 1, B: 2, "A" => 3 })')[0][0]), ['A', 'B']);
    assert.deepEqual(statementsOf('iam_policy("P", { A: 1, B: 2, "A" => 3 })'), [[{ A: 3, B: 2 }]]);
  });
});

describe('managed_iam_policy', () => {
  const arns = (text: string) => compile({ execution_role: text }).plain.ExecutionRole?.Properties.ManagedPolicyArns;
  test('many args, arrays, many calls; deep-flattened and de-duplicated in first order', () => {
    assert.deepEqual(arns('managed_iam_policy("A", ["B", ["C"]])\nmanaged_iam_policy("A")\nmanaged_iam_policy(%w[D B])'), [
      'arn:aws:iam::aws:policy/A',
      'arn:aws:iam::aws:policy/B',
      'arn:aws:iam::aws:policy/C',
      'arn:aws:iam::aws:policy/D',
    ]);
  });
  test('the path is kept; full AWS ARNs of any partition unchanged', () => {
    assert.deepEqual(arns('managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy", "arn:aws-us-gov:iam::aws:policy/X")'), [
      'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      'arn:aws-us-gov:iam::aws:policy/X',
    ]);
  });
  test('a customer-managed ARN is mangled exactly as UFO does', () => {
    assert.deepEqual(arns('managed_iam_policy("arn:aws:iam::123456789012:policy/Mine", "/service-role/X")'), [
      'arn:aws:iam::aws:policy/arn:aws:iam::123456789012:policy/Mine',
      'arn:aws:iam::aws:policy//service-role/X',
    ]);
  });
  test('no args registers nothing, so no role is built', () => {
    assert.equal(compile({ execution_role: 'managed_iam_policy()' }).plain.ExecutionRole, undefined);
  });
  test('a Symbol name is an error UFO raises on', () => {
    const r = compile({ execution_role: 'managed_iam_policy(:AmazonSSMReadOnlyAccess)' });
    assert.equal(r.roles[0].raises[0]?.code, 'DSL_ARGUMENT_TYPE');
  });
});

describe('building roles', () => {
  test('only managed → no Policies key; only inline → no ManagedPolicyArns', () => {
    const r = compile({ execution_role: 'managed_iam_policy("A")', task_role: 'iam_policy("P", A: 1)' });
    assert.deepEqual(Object.keys(r.plain.ExecutionRole.Properties), ['AssumeRolePolicyDocument', 'ManagedPolicyArns']);
    assert.deepEqual(Object.keys(r.plain.TaskRole.Properties), ['AssumeRolePolicyDocument', 'Policies']);
  });
  test('ExecutionRole comes before TaskRole', () => {
    const r = compile({ task_role: 'iam_policy("P", A: 1)', execution_role: 'managed_iam_policy("A")' });
    assert.deepEqual(Object.keys(r.plain), ['ExecutionRole', 'TaskRole']);
  });
  test('a file of comments builds no role', () => {
    assert.deepEqual(compile({ task_role: '# managed_iam_policy("AmazonSSMReadOnlyAccess")\n' }).plain, {});
  });
  test('the trust policy is fixed', () => {
    const r = compile({ task_role: 'iam_policy("P", A: 1)' });
    assert.deepEqual(r.plain.TaskRole.Properties.AssumeRolePolicyDocument, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });
  test('wrong arity registers nothing and is reported where UFO raises', () => {
    const r = compile({ task_role: 'iam_policy("P")\niam_policy("P", {A: 1}, {B: 2})\niam_policy(Action: "x")' });
    assert.equal(r.plain.TaskRole, undefined);
    assert.deepEqual(r.roles.find((x) => x.roleType === 'task_role')!.raises.map((f) => f.code), ['DSL_ARITY', 'DSL_ARITY', 'DSL_ARITY']);
  });
});

describe('squeeze: v5 vs v6', () => {
  const text = 'iam_policy("P", Action: [], Effect: "Allow", Resource: nil, Condition: { StringEquals: {} }, NotAction: ["a:B", nil])';
  test('v6 drops nil values and nil elements, keeps empty arrays and hashes', () => {
    assert.deepEqual(statementsOf(text, 6), [[{ Action: [], Effect: 'Allow', Condition: { StringEquals: {} }, NotAction: ['a:B'] }]]);
  });
  test('v5 drops nil values and empty arrays, keeps nil elements', () => {
    assert.deepEqual(statementsOf(text, 5), [[{ Effect: 'Allow', Condition: { StringEquals: {} }, NotAction: ['a:B', null] }]]);
  });
});

describe('dynamic values', () => {
  test('are kept as unknown and mark the role partial', () => {
    const r = compile({ task_role: 'iam_policy("P", Action: "s3:GetObject", Resource: "arn:aws:s3:::#{ENV["BUCKET"]}/*")' });
    assert.equal(r.roles.find((x) => x.roleType === 'task_role')!.partial, true);
    assert.match(r.json, /"Resource": "<dynamic: \\"arn:aws:s3:::#\{ENV\[\\"BUCKET\\"\]\}\/\*\\">"/);
  });
  test('calls inside conditions are included and mark the role partial', () => {
    const r = compile({ task_role: 'if Ufo.env == "prod"\n  iam_policy("P", A: 1)\nend' });
    assert.equal(r.plain.TaskRole.Properties.Policies.length, 1);
    assert.equal(r.roles.find((x) => x.roleType === 'task_role')!.partial, true);
  });
});

describe('every number and literal the evaluator can produce (no value ends in an internal error)', () => {
  const conditionOf = (v: string) => `iam_policy("P", Action: "s3:ListBucket", Effect: "Allow", Resource: "*", Condition: { NumericLessThanEquals: { "s3:max-keys" => ${v} } })`;
  const printed = (v: string) => /"s3:max-keys": (.*)$/m.exec(compile({ task_role: conditionOf(v) }).json)?.[1];
  const codesOf = (text: string) => analyze(text).findings.map((f) => f.code);
  test('integers of any size print exactly, in every base Ruby reads', () => {
    assert.equal(printed('123456789012345678901234567890'), '123456789012345678901234567890');
    assert.equal(printed('-9_223_372_036_854_775_809'), '-9223372036854775809');
    assert.equal(printed('0x1F'), '31');
    assert.equal(printed('0b101'), '5');
    assert.equal(printed('0o17'), '15');
    assert.equal(printed('017'), '15');
  });
  test('floats print as Ruby prints them: -0.0, exponents, and underflow to 0.0', () => {
    assert.equal(printed('-0.0'), '-0.0');
    assert.equal(printed('1e-400'), '0.0');
    assert.equal(printed('1.5e-05'), '1.5e-05');
    assert.equal(printed('1e16'), '1.0e+16');
  });
  test('a Float out of range, a Rational and a Complex are findings (UNSUPPORTED_VALUE), shown as unknown', () => {
    for (const v of ['1e400', '-1e400', '3r', '1.5r', '2i', '3ri']) {
      assert.deepEqual(codesOf(conditionOf(v)), ['UNSUPPORTED_VALUE'], v);
      assert.equal(printed(v), `"<dynamic: ${v}>"`, v);
    }
    assert.match(analyze(conditionOf('1e400')).findings[0].message, /Infinity/);
    assert.match(analyze(conditionOf('3r')).findings[0].message, /Rational.*`3`/);
  });
  test('__LINE__ is the line of the keyword; __FILE__ and __ENCODING__ are known only at deploy time', () => {
    assert.equal(printed('__LINE__'), '1');
    assert.deepEqual(statementsOf('\n\niam_policy("P", Sid: "a", Condition: { X: { "k" => __LINE__ } })'), [[{ Sid: 'a', Condition: { X: { k: 3 } } }]]);
    assert.deepEqual(codesOf(conditionOf('__FILE__')), ['DYNAMIC_VALUE']);
    assert.deepEqual(codesOf(conditionOf('__ENCODING__')), ['DYNAMIC_VALUE']);
  });
  test("an Array's to_s is its inspect: interpolated, and as a hash key", () => {
    assert.deepEqual(statementsOf('iam_policy("P", Sid: "v=#{%w[a b]}", Action: "#{[1, nil, :s, 2.0, true, "x\\"y\\n#{"#"}{z}"]}")'), [
      [{ Sid: 'v=["a", "b"]', Action: '[1, nil, :s, 2.0, true, "x\\"y\\n\\#{z}"]' }],
    ]);
    assert.deepEqual(statementsOf('iam_policy("P", Sid: "#{[:"a b", :ok?, :A?, "\\u0000\\u200b\\u00fc"]}")'), [[{ Sid: '[:"a b", :ok?, :A?, "\\u0000\u200bü"]' }]]);
    assert.deepEqual(statementsOf('iam_policy("P", [1, 2.5] => "v")'), [[{ '[1, 2.5]': 'v' }]]);
    assert.deepEqual(statementsOf('iam_policy("P", Sid: "#{1e400}")'), [[{ Sid: 'Infinity' }]]);
  });
  test("a Hash's to_s differs between Ruby versions: unknown, as an interpolation and as a key", () => {
    assert.deepEqual(codesOf('iam_policy("P", Sid: "#{{a: 1}}")'), ['DYNAMIC_VALUE']);
    assert.deepEqual(statementsOf('iam_policy("P", { {a: 1} => "v" })'), [[{ '<dynamic: the to_s of a Hash used as a key>': 'v' }]]);
  });
});
