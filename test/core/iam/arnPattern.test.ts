// Whether a policy's Resource pattern can name a resource of a type, by intersecting it with the type's ARN template
// (the one engine of core/iam/arnPattern.ts, which the checks and hover share).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { globsIntersect, resourceMatchesArnTemplate } from '../../../server/src/core/iam/arnPattern';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { knowledge } from './iamData';

const OBJECT = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
const BUCKET = 'arn:${Partition}:s3:::${BucketName}';
const ROLE = 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}';
const TASK_DEFINITION = 'arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}';

describe('resourceMatchesArnTemplate', () => {
  test('S3 objects and buckets are told apart', () => {
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::my-bucket/*', OBJECT), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::my-bucket/*', BUCKET), false);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::my-bucket', BUCKET), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::my-bucket', OBJECT), false);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::my-bucket*', BUCKET), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::my-bucket*', OBJECT), true, '* may run into the key');
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::*/reports/*.csv', OBJECT), true);
  });

  test('fields must line up: service, region, account', () => {
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::123456789012:role/app-role', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::123456789012:role/path/app-role', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::123456789012:user/alice', ROLE), false);
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::*:role/*', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::my-bucket/*', ROLE), false);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:us-east-1::my-bucket', BUCKET), false, 'S3 bucket ARNs have no region');
    assert.equal(resourceMatchesArnTemplate('arn:aws:ecs:us-east-1:123456789012:task-definition/web:3', TASK_DEFINITION), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:ecs:us-east-1:123456789012:task-definition/web', TASK_DEFINITION), false);
    assert.equal(resourceMatchesArnTemplate('arn:aws:ecs:*:*:task-definition/web:*', TASK_DEFINITION), true);
  });

  test('wildcards, ? and policy variables', () => {
    assert.equal(resourceMatchesArnTemplate('*', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:*', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:*:iam::*:role/*', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::12345678901?:role/x', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::${aws:PrincipalAccount}:role/${aws:username}', ROLE), true);
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::${aws:username}-bucket', BUCKET), true, 'the variable may hold anything');
    assert.equal(resourceMatchesArnTemplate('arn:aws:s3:::${aws:username}-bucket/*', BUCKET), false, 'but a bucket name has no slash');
  });

  test('case-sensitive, as IAM compares ARNs', () => {
    assert.equal(resourceMatchesArnTemplate('arn:aws:IAM::123456789012:role/x', ROLE), false);
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::123456789012:Role/x', ROLE), false);
  });

  test('an empty field where the template has a variable is not told apart (no finding rather than a false one)', () => {
    assert.equal(resourceMatchesArnTemplate('arn:aws:iam::123456789012:role/', ROLE), true);
  });
});

describe('globsIntersect', () => {
  test('patterns that share a string; template variables stay within their class', () => {
    assert.equal(globsIntersect('a*', '${X}b'), true);
    assert.equal(globsIntersect('a*', 'b${X}'), false);
    assert.equal(globsIntersect('*a', '${X}b'), false, 'one ends in a, the other in b');
    assert.equal(globsIntersect('bucket/*', '${BucketName}'), false, 'a bucket name holds no slash');
    assert.equal(globsIntersect('bucket/*', '${ObjectName}'), true);
  });

  test('stays fast on long patterns full of stars', () => {
    const a = `${'*a'.repeat(300)}*`;
    const b = `${'${X}b'.repeat(300)}`;
    const started = performance.now();
    assert.equal(globsIntersect(a, b), true);
    assert.equal(globsIntersect(`x${a}`, `y${b}`), false);
    assert.ok(performance.now() - started < 2000);
  });
});

describe('IamKnowledge resource checks', () => {
  let k: IamKnowledge;
  before(async () => {
    k = await knowledge();
  });

  test('which resource types of an action a Resource names', () => {
    assert.deepEqual(k.resourceTypesMatching('s3:GetObject', 'arn:aws:s3:::my-bucket/*')?.map((r) => r.name), ['object']);
    assert.deepEqual(k.resourceTypesMatching('s3:ListBucket', 'arn:aws:s3:::my-bucket/*')?.map((r) => r.name), []);
    assert.deepEqual(k.resourceTypesMatching('s3:ListBucket', 'arn:aws:s3:::my-bucket')?.map((r) => r.name), ['bucket']);
    assert.equal(k.resourceTypesMatching('s3:Nope', '*'), undefined);
  });

  test('whether an action can apply to a Resource', () => {
    assert.equal(k.actionAcceptsResource('s3:GetObject', 'arn:aws:s3:::my-bucket/*'), true);
    assert.equal(k.actionAcceptsResource('s3:ListBucket', 'arn:aws:s3:::my-bucket/*'), false);
    assert.equal(k.actionAcceptsResource('iam:PassRole', 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole'), true);
    assert.equal(k.actionAcceptsResource('iam:PassRole', 'arn:aws:s3:::bucket'), false);
    // An action without resource types is authorized against "*" only.
    assert.equal(k.actionAcceptsResource('ecr:GetAuthorizationToken', '*'), true);
    assert.equal(k.actionAcceptsResource('ecr:GetAuthorizationToken', 'arn:aws:ecr:us-east-1:123456789012:repository/app'), false);
    assert.equal(k.actionAcceptsResource('nope:Nope', '*'), undefined);
  });
});
