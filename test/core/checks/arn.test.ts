// ARN fields and glob matching of policy resources against ARN templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arnMatchesTemplate, globsIntersect, splitArn } from '../../../server/src/core/iam/arnPattern';

test('splitArn keeps colons inside policy variables and counts missing fields', () => {
  assert.deepEqual(splitArn('arn:aws:s3:::home/${aws:username}/*'), { partition: 'aws', service: 's3', region: '', account: '', resource: 'home/${aws:username}/*' });
  assert.deepEqual(splitArn('arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*'), {
    partition: 'aws',
    service: 'logs',
    region: 'us-east-1',
    account: '123456789012',
    resource: 'log-group:/ecs/web:*',
  });
  assert.deepEqual(splitArn('arn:aws:s3:bucket'), { fieldCount: 4 });
});

test('globsIntersect: wildcards on the resource side, template variables on the other', () => {
  const cases: [string, string, boolean][] = [
    ['arn:aws:s3:::bucket/*', 'arn:${Partition}:s3:::${BucketName}', false],
    ['arn:aws:s3:::bucket', 'arn:${Partition}:s3:::${BucketName}', true],
    ['arn:aws:s3:::bucket*', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}', true],
    ['bucket/*', '${BucketName}', false],
    ['team/app', '${RepositoryName}', true],
    ['*', 'anything', true],
    ['us-east-1', '', false],
    ['', '${Region}', true],
    ['a?c', 'abc', true],
    ['a?c', 'abd', false],
    ['a*a*a*a*a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac', false],
  ];
  for (const [a, b, want] of cases) assert.equal(globsIntersect(a, b), want, `${a} vs ${b}`);
});

test('arnMatchesTemplate compares field by field', () => {
  const r = splitArn('arn:aws:sqs:eu-west-1:123456789012:jobs-*');
  assert.ok('service' in r);
  assert.equal(arnMatchesTemplate(r, 'arn:${Partition}:sqs:${Region}:${Account}:${QueueName}'), true);
  assert.equal(arnMatchesTemplate(r, 'arn:${Partition}:sns:${Region}:${Account}:${TopicName}'), false);
  assert.equal(arnMatchesTemplate(r, 'not an arn'), undefined);
});
