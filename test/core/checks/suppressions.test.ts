// Inline suppressions and severity settings, as runChecks applies them for the editor and the CLI.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { knowledge } from '../iam/iamData';
import { checkText } from './checkText';

let iam: IamKnowledge;
const bad = 'iam_policy("S3", Action: ["s3:GetObjekt", "s3:PutObject", "s3:PutObject"], Effect: "Allow", Resource: "*")';

function codes(text: string, severities?: Record<string, string>): string[] {
  return checkText(text, {}, iam, severities as never).findings.map((f) => `${f.line + 1}:${f.code}:${f.severity}`);
}

describe('suppressions', () => {
  before(async () => {
    iam = await knowledge();
  });

  test('disable-next-line silences the listed codes on the next line only', () => {
    const text = `# ufo-iam:disable-next-line INVALID_ACTION\n${bad}\n${bad}\n`;
    assert.deepEqual(codes(text), ['2:REDUNDANT_ACTION:information', '3:INVALID_ACTION:warning', '3:REDUNDANT_ACTION:information']);
  });

  test('several codes, a reason after --, and a directive after code on the line above', () => {
    assert.deepEqual(codes(`# ufo-iam:disable-next-line INVALID_ACTION, REDUNDANT_ACTION -- legacy names\n${bad}\n`), []);
    assert.deepEqual(codes(`x = 1 # ufo-iam:disable-next-line INVALID_ACTION REDUNDANT_ACTION\n${bad}\n`), []);
  });

  test('disable silences a code in the whole file; without codes, every code', () => {
    assert.deepEqual(codes(`# ufo-iam:disable REDUNDANT_ACTION\n${bad}\n${bad}\n`), ['2:INVALID_ACTION:warning', '3:INVALID_ACTION:warning']);
    assert.deepEqual(codes(`${bad}\n# ufo-iam:disable\n`), []);
  });

  test('an unused directive, an unused code and an unknown code are hints', () => {
    const text = `# ufo-iam:disable-next-line INVALID_ACTION, MISSING_EFFECT, NOT_A_CODE\n${bad}\n# ufo-iam:disable-next-line\n\n`;
    const found = checkText(text, {}, iam).findings.filter((f) => f.code === 'UNUSED_SUPPRESSION');
    assert.deepEqual(
      found.map((f) => [f.line + 1, f.start, f.end, f.severity]),
      [
        [1, 44, 58, 'hint'],
        [1, 60, 70, 'hint'],
        [3, 0, 27, 'hint'],
      ],
    );
    assert.match(found[1].message, /NOT_A_CODE, which is not a ufo-iam code/);
  });

  test('a directive for a code the settings turned off is not reported as unused', () => {
    const text = `# ufo-iam:disable-next-line ROLE_TYPE_HINT\niam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`;
    assert.deepEqual(codes(text), ['1:UNUSED_SUPPRESSION:hint']);
    assert.deepEqual(codes(text, { ROLE_TYPE_HINT: 'off' }), []);
  });

  test('UNUSED_SUPPRESSION can itself be disabled for the file', () => {
    const text = `# ufo-iam:disable UNUSED_SUPPRESSION\n# ufo-iam:disable-next-line INVALID_ACTION\niam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n`;
    assert.deepEqual(codes(text), []);
    assert.deepEqual(codes(`# ufo-iam:disable UNUSED_SUPPRESSION\n`), ['1:UNUSED_SUPPRESSION:hint']);
  });
});

describe('severity settings', () => {
  before(async () => {
    iam = await knowledge();
  });

  test('a configured severity applies; off drops the code', () => {
    assert.deepEqual(codes(`${bad}\n`, { INVALID_ACTION: 'error', REDUNDANT_ACTION: 'off' }), ['1:INVALID_ACTION:error']);
  });

  test('a setting equal to the default keeps a finding\'s own degree (VS Code sends every default)', () => {
    const names = Array.from({ length: 21 }, (_, i) => i).map((i) => iam.listManagedPolicies().filter((p) => !p.retired && !p.deprecated && p.path === '')[i].name);
    const text = `managed_iam_policy(${names.map((n) => JSON.stringify(n)).join(', ')})\n`;
    const quota = (s?: Record<string, string>) => checkText(text, {}, iam, s as never).findings.filter((f) => f.code === 'MANAGED_POLICY_QUOTA');
    assert.deepEqual(quota().map((f) => [f.severity, f.message.match(/managed policy (\d+)/)?.[1]]), [['error', '21']]);
    assert.deepEqual(quota({ MANAGED_POLICY_QUOTA: 'warning' }).map((f) => f.severity), ['error']);
    assert.deepEqual(quota({ MANAGED_POLICY_QUOTA: 'information' }).map((f) => f.severity), ['information']);
    assert.deepEqual(quota({ MANAGED_POLICY_QUOTA: 'off' }), []);
  });
});
