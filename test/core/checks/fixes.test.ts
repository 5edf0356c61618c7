// Quick fixes and the expand-wildcard refactoring, in the core: each fix's edits applied to the source give
// the expected text, and the result checks clean of the finding it fixes.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { computeFixes, computeRefactors } from '../../../server/src/core/fixes/computeFixes';
import { applyEdits, type Fix } from '../../../server/src/core/fixes/fix';
import { knowledge } from '../iam/iamData';
import { checkText } from './checkText';
import type { FixtureHeader } from './annotations';

let iam: IamKnowledge;

function fixesFor(text: string, code: string, header: FixtureHeader = {}): { fixes: Fix[]; apply: (title: string) => string } {
  const { analysis, findings } = checkText(text, header, iam);
  const finding = findings.find((f) => f.code === code);
  assert.ok(finding, `no ${code} in ${JSON.stringify(text)}: ${findings.map((f) => f.code).join(', ')}`);
  const fixes = computeFixes({ analysis, version: header.version ?? 6, iam }, finding);
  return {
    fixes,
    apply: (title) => {
      const fix = fixes.find((f) => f.title === title);
      assert.ok(fix, `no fix "${title}"; fixes: ${fixes.map((f) => f.title).join(' | ')}`);
      return applyEdits(analysis.bytes, fix.edits);
    },
  };
}

function codesOf(text: string, header: FixtureHeader = {}): string[] {
  return checkText(text, header, iam).findings.map((f) => f.code);
}

describe('quick fixes', () => {
  before(async () => {
    iam = await knowledge();
  });

  test('did-you-mean for an action replaces the text inside the quotes and is preferred when alone', () => {
    const text = `iam_policy("S3", Action: ['s3:GetObjekt'], Effect: "Allow", Resource: "*")\n`;
    const { fixes, apply } = fixesFor(text, 'INVALID_ACTION');
    assert.equal(fixes[0].title, 'Change to s3:GetObject');
    assert.equal(fixes[0].isPreferred, true);
    const fixed = apply('Change to s3:GetObject');
    assert.equal(fixed, `iam_policy("S3", Action: ['s3:GetObject'], Effect: "Allow", Resource: "*")\n`);
    assert.ok(!codesOf(fixed).includes('INVALID_ACTION'));
  });

  test('did-you-mean for a service keeps the action name', () => {
    const { apply } = fixesFor(`iam_policy("S3", Action: ["s4:GetObject"], Effect: "Allow", Resource: "*")\n`, 'INVALID_SERVICE_IN_ACTION');
    assert.equal(apply('Change to s3:GetObject'), `iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`);
  });

  test('did-you-mean for a managed policy gives the name with its path, and keeps an ARN prefix', () => {
    const a = fixesFor(`managed_iam_policy("AmazonECSTaskExecutionRolePolicyy")\n`, 'UNKNOWN_MANAGED_POLICY', { role: 'execution_role' });
    assert.equal(a.apply('Change to service-role/AmazonECSTaskExecutionRolePolicy'), `managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n`);
    const b = fixesFor(`managed_iam_policy("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAcess")\n`, 'UNKNOWN_MANAGED_POLICY');
    assert.equal(b.apply('Change to arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'), `managed_iam_policy("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")\n`);
  });

  test('the managed policy path is inserted', () => {
    const text = `managed_iam_policy("AmazonECSTaskExecutionRolePolicy")\n`;
    const { fixes, apply } = fixesFor(text, 'MANAGED_POLICY_PATH_MISSING', { role: 'execution_role' });
    assert.equal(fixes[0].isPreferred, true);
    const fixed = apply('Change to service-role/AmazonECSTaskExecutionRolePolicy');
    assert.equal(fixed, `managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n`);
    assert.deepEqual(codesOf(fixed, { role: 'execution_role' }), []);
  });

  test("a key's case is fixed in its own style", () => {
    assert.equal(
      fixesFor(`iam_policy("S3", action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`, 'INVALID_POLICY_ELEMENT').apply('Change to Action'),
      `iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`,
    );
    assert.equal(
      fixesFor(`iam_policy("S3", "action" => ["s3:GetObject"], "Effect" => "Allow", "Resource" => "*")\n`, 'INVALID_POLICY_ELEMENT').apply('Change to Action'),
      `iam_policy("S3", "Action" => ["s3:GetObject"], "Effect" => "Allow", "Resource" => "*")\n`,
    );
    assert.equal(
      fixesFor(`iam_policy("S3", Actions: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`, 'INVALID_POLICY_ELEMENT').apply('Change to Action'),
      `iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`,
    );
  });

  test('Effect: "Allow" is added after the last entry of a one-line statement', () => {
    const fixed = fixesFor(`iam_policy("S3", Action: ["s3:GetObject"], Resource: "*")\n`, 'MISSING_EFFECT').apply('Add Effect: "Allow"');
    assert.equal(fixed, `iam_policy("S3", Action: ["s3:GetObject"], Resource: "*", Effect: "Allow")\n`);
    assert.deepEqual(codesOf(fixed), []);
  });

  test('Resource: "*" goes on its own line in a multi-line statement, after a trailing comma', () => {
    const text = ['iam_policy("EcsExec",', '  Action: [', '    "ssmmessages:OpenDataChannel",', '  ],', '  Effect: "Allow",', ')', ''].join('\n');
    const fixed = fixesFor(text, 'MISSING_RESOURCE').apply('Add Resource: "*"');
    assert.equal(fixed, ['iam_policy("EcsExec",', '  Action: [', '    "ssmmessages:OpenDataChannel",', '  ],', '  Effect: "Allow",', '  Resource: "*",', ')', ''].join('\n'));
    assert.deepEqual(codesOf(fixed), []);
  });

  test('missing elements follow the statement key style: string rockets, symbol rockets, quoted labels, single quotes', () => {
    assert.equal(
      fixesFor(`iam_policy("S3", "Action" => ["s3:GetObject"], "Effect" => "Allow")\n`, 'MISSING_RESOURCE').apply('Add "Resource" => "*"'),
      `iam_policy("S3", "Action" => ["s3:GetObject"], "Effect" => "Allow", "Resource" => "*")\n`,
    );
    assert.equal(
      fixesFor(`iam_policy("S3", :Action => ['s3:GetObject'], :Resource => '*')\n`, 'MISSING_EFFECT').apply(`Add :Effect => 'Allow'`),
      `iam_policy("S3", :Action => ['s3:GetObject'], :Resource => '*', :Effect => 'Allow')\n`,
    );
    assert.equal(
      fixesFor(`iam_policy("S3", [{ "Action": ["s3:GetObject"], "Effect": "Allow" }])\n`, 'MISSING_RESOURCE').apply('Add "Resource": "*"'),
      `iam_policy("S3", [{ "Action": ["s3:GetObject"], "Effect": "Allow", "Resource": "*" }])\n`,
    );
  });

  test('a statement in a multi-line array of hashes gets the entry on a new line with the entries\' indentation', () => {
    const text = ['iam_policy("Data", [', '  {', '    Action: ["s3:GetObject"],', '    Resource: "*"', '  },', '])', ''].join('\n');
    const fixed = fixesFor(text, 'MISSING_EFFECT').apply('Add Effect: "Allow"');
    assert.equal(fixed, ['iam_policy("Data", [', '  {', '    Action: ["s3:GetObject"],', '    Resource: "*",', '    Effect: "Allow"', '  },', '])', ''].join('\n'));
  });

  test('a redundant action is removed with its comma: in the middle, at the end, on its own line', () => {
    const one = `iam_policy("S3", Action: ["s3:Get*", "s3:GetObject", "s3:PutObject"], Effect: "Allow", Resource: "*")\n`;
    assert.equal(fixesFor(one, 'REDUNDANT_ACTION').apply('Remove s3:GetObject'), `iam_policy("S3", Action: ["s3:Get*", "s3:PutObject"], Effect: "Allow", Resource: "*")\n`);
    const last = `iam_policy("S3", Action: ["s3:PutObject", "s3:PutObject"], Effect: "Allow", Resource: "*")\n`;
    assert.equal(fixesFor(last, 'REDUNDANT_ACTION').apply('Remove s3:PutObject'), `iam_policy("S3", Action: ["s3:PutObject"], Effect: "Allow", Resource: "*")\n`);
    const lines = ['iam_policy("S3",', '  Action: [', '    "s3:Get*",', '    "s3:GetObject",', '  ],', '  Effect: "Allow", Resource: "*")', ''].join('\n');
    const fixed = fixesFor(lines, 'REDUNDANT_ACTION').apply('Remove s3:GetObject');
    assert.equal(fixed, ['iam_policy("S3",', '  Action: [', '    "s3:Get*",', '  ],', '  Effect: "Allow", Resource: "*")', ''].join('\n'));
    assert.ok(!codesOf(fixed).includes('REDUNDANT_ACTION'));
  });

  test('PassRole on * gets an iam:PassedToService condition, merged into an existing StringEquals', () => {
    const title = 'Add condition iam:PassedToService = ecs-tasks.amazonaws.com';
    const bare = `iam_policy("Run", Action: ["iam:PassRole"], Effect: "Allow", Resource: "*")\n`;
    const fixed = fixesFor(bare, 'PASS_ROLE_WITH_STAR_IN_RESOURCE').apply(title);
    assert.equal(fixed, `iam_policy("Run", Action: ["iam:PassRole"], Effect: "Allow", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } })\n`);
    assert.deepEqual(codesOf(fixed), []);
    const withCondition = `iam_policy("Run", Action: ["iam:PassRole"], Effect: "Allow", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion" => "eu-west-1" } })\n`;
    assert.equal(
      fixesFor(withCondition, 'PASS_ROLE_WITH_STAR_IN_RESOURCE').apply(title),
      `iam_policy("Run", Action: ["iam:PassRole"], Effect: "Allow", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion" => "eu-west-1", "iam:PassedToService": "ecs-tasks.amazonaws.com" } })\n`,
    );
    const rockets = `iam_policy("Run", "Action" => ["iam:PassRole"], "Effect" => "Allow", "Resource" => "*")\n`;
    assert.equal(
      fixesFor(rockets, 'PASS_ROLE_WITH_STAR_IN_RESOURCE').apply(title),
      `iam_policy("Run", "Action" => ["iam:PassRole"], "Effect" => "Allow", "Resource" => "*", "Condition" => { "StringEquals" => { "iam:PassedToService" => "ecs-tasks.amazonaws.com" } })\n`,
    );
  });

  test('SYMBOL_VALUE and UNKNOWN_DSL_METHOD use the replacement the model set', () => {
    assert.equal(
      fixesFor(`iam_policy("S3", Action: ["s3:GetObject"], Effect: :Allow, Resource: "*")\n`, 'SYMBOL_VALUE').apply('Write "Allow" (a String)'),
      `iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`,
    );
    assert.equal(fixesFor(`managed_iam_polcy("AmazonS3ReadOnlyAccess")\n`, 'UNKNOWN_DSL_METHOD').apply('Change to managed_iam_policy'), `managed_iam_policy("AmazonS3ReadOnlyAccess")\n`);
  });

  test('Effect and condition operators get their case fixed', () => {
    assert.equal(
      fixesFor(`iam_policy("S3", Action: ["s3:GetObject"], Effect: "allow", Resource: "*")\n`, 'INVALID_EFFECT').apply('Change to Allow'),
      `iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`,
    );
    assert.equal(
      fixesFor(`iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*", Condition: { stringequals: { "aws:RequestedRegion" => "eu-west-1" } })\n`, 'INVALID_CONDITION_OPERATOR').apply('Change to StringEquals'),
      `iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion" => "eu-west-1" } })\n`,
    );
  });

  test('"Disable for this line" writes the directive above with the line\'s indentation, or extends one there', () => {
    const text = ['if true', '  iam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")', 'end', ''].join('\n');
    const fixed = fixesFor(text, 'INVALID_ACTION').apply('Disable INVALID_ACTION for this line');
    assert.equal(fixed, ['if true', '  # ufo-iam:disable-next-line INVALID_ACTION', '  iam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")', 'end', ''].join('\n'));
    assert.ok(!codesOf(fixed).includes('INVALID_ACTION'));
    const again = fixesFor(fixed.replace('"*")', '"bucket")'), 'INVALID_ARN_PREFIX').apply('Disable INVALID_ARN_PREFIX for this line');
    assert.match(again, /# ufo-iam:disable-next-line INVALID_ACTION, INVALID_ARN_PREFIX\n/);
    assert.ok(!codesOf(again).some((c) => c === 'INVALID_ARN_PREFIX' || c === 'UNUSED_SUPPRESSION'));
  });

  test('"Disable for this line" is not offered where a comment line would become part of a string', () => {
    const text = ['iam_policy("S3", Action: %w[', '  s3:GetObjekt', '], Effect: "Allow", Resource: "*")', ''].join('\n');
    const { fixes } = fixesFor(text, 'INVALID_ACTION');
    assert.ok(!fixes.some((f) => f.title.startsWith('Disable')), fixes.map((f) => f.title).join(' | '));
  });

  test('an unused suppression is removed: the whole line, or just its code', () => {
    const whole = `# ufo-iam:disable-next-line INVALID_ACTION\niam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`;
    assert.equal(fixesFor(whole, 'UNUSED_SUPPRESSION').apply('Remove the unused suppression'), `iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`);
    const part = `# ufo-iam:disable-next-line INVALID_ACTION, REDUNDANT_ACTION\niam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")\n`;
    const fixed = fixesFor(part, 'UNUSED_SUPPRESSION').apply('Remove the unused suppression');
    assert.equal(fixed, `# ufo-iam:disable-next-line INVALID_ACTION\niam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")\n`);
    assert.deepEqual(codesOf(fixed), []);
  });
});

describe('expand a wildcard', () => {
  before(async () => {
    iam = await knowledge();
  });

  function refactor(text: string, needle: string): { title: string; result: string }[] {
    const { analysis } = checkText(text, {}, iam);
    const at = Buffer.byteLength(text.slice(0, text.indexOf(needle))) + 1;
    return computeRefactors({ analysis, version: 6, iam }, { start: at, end: at }).map((f) => ({ title: f.title, result: applyEdits(analysis.bytes, f.edits) }));
  }

  test('a lone pattern becomes an array of its actions', () => {
    const expected = iam.matchActions('s3:GetObjectTagging*').map((a) => `"${a.fullName}"`);
    const [r] = refactor(`iam_policy("S3", Action: "s3:GetObjectTagging*", Effect: "Allow", Resource: "*")\n`, 's3:GetObjectTagging*');
    assert.equal(r.title, `Expand s3:GetObjectTagging* into its ${expected.length} action${expected.length === 1 ? '' : 's'}`);
    assert.equal(r.result, `iam_policy("S3", Action: [${expected.join(', ')}], Effect: "Allow", Resource: "*")\n`);
  });

  test('in a multi-line array, one action per line; actions already listed are left out', () => {
    const text = ['iam_policy("S3",', '  Action: [', '    "s3:GetObjectAcl",', "    's3:GetObjectA*',", '  ],', '  Effect: "Allow", Resource: "*")', ''].join('\n');
    const names = iam.matchActions('s3:GetObjectA*').map((a) => a.fullName).filter((n) => n !== 's3:GetObjectAcl');
    assert.ok(names.length >= 1);
    const [r] = refactor(text, 's3:GetObjectA*');
    assert.equal(r.result, ['iam_policy("S3",', '  Action: [', '    "s3:GetObjectAcl",', ...names.map((n, i) => `    '${n}'${i === names.length - 1 ? ',' : ','}`), '  ],', '  Effect: "Allow", Resource: "*")', ''].join('\n'));
    const after = checkText(r.result, {}, iam).findings.map((f) => f.code);
    assert.ok(!after.includes('REDUNDANT_ACTION'));
  });

  test('not offered for exact actions or for patterns matching too many', () => {
    assert.deepEqual(refactor(`iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`, 's3:GetObject'), []);
    assert.deepEqual(refactor(`iam_policy("All", Action: ["*"], Effect: "Deny", Resource: "*")\n`, '"*"]'), []);
  });
});
