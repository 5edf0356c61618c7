// How often AWS's own managed policies grant each action by name (built into the data by scripts/buildIamData.mjs):
// the order in which wildcard hovers list actions and completion breaks ties, most useful first.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { knowledge } from './iamData';

let iam: IamKnowledge;
before(async () => {
  iam = await knowledge();
});

test('actions the managed policies grant often rank above rare ones; unknown and never-granted actions rank 0', () => {
  assert.ok(iam.grantRank('s3:GetObject') > iam.grantRank('s3:GetAccelerateConfiguration'));
  assert.ok(iam.grantRank('s3:GetObject') > 20, `s3:GetObject ranks ${iam.grantRank('s3:GetObject')}`);
  assert.ok(iam.grantRank('logs:PutLogEvents') > iam.grantRank('logs:PutRetentionPolicy'));
  assert.equal(iam.grantRank('S3:GETOBJECT'), iam.grantRank('s3:GetObject'), 'case-insensitive');
  assert.equal(iam.grantRank('s3:NoSuchAction'), 0);
  assert.equal(iam.grantRank('nope'), 0);
});

test('byGrantRank puts the most granted first and orders equal ranks by name', () => {
  const sorted = iam.byGrantRank(iam.matchActions('s3:Get*')).map((a) => a.name);
  assert.equal(sorted[0], 'GetObject');
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [iam.grantRank(`s3:${sorted[i - 1]}`), iam.grantRank(`s3:${sorted[i]}`)];
    assert.ok(a > b || (a === b && sorted[i - 1] < sorted[i]), `${sorted[i - 1]} before ${sorted[i]}`);
  }
});
