// The check (RESOURCE_MISMATCH), the hover on a Resource and the knowledge queries completion uses all answer "can this
// Resource name what these actions act on?" through the one ARN engine (core/iam/arnPattern.ts). On a table of
// actions and ARNs, they agree: the check fires exactly where the hover says "Names no resource type" and where
// `actionAcceptsResource` says no for every action.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/core/hover/hover';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { analyze } from '../../support/core';
import { checkText } from '../checks/checkText';
import { knowledge } from './iamData';

const TABLE: ReadonlyArray<readonly [action: string, resource: string, names: boolean]> = [
  ['s3:GetObject', 'arn:aws:s3:::uploads/*', true],
  ['s3:GetObject', 'arn:aws:s3:::uploads', false],
  ['s3:ListBucket', 'arn:aws:s3:::uploads', true],
  ['s3:ListBucket', 'arn:aws:s3:::uploads/*', false],
  ['s3:ListBucket', 'arn:aws:s3:::uploads*', true],
  ['s3:ListBucket', 'arn:aws:s3:::${aws:username}-bucket', true],
  ['s3:GetObject', 'arn:aws:s3:::*/reports/*.csv', true],
  ['iam:PassRole', 'arn:aws:iam::123456789012:role/app-role', true],
  ['iam:PassRole', 'arn:aws:iam::123456789012:role/path/app-role', true],
  ['iam:PassRole', 'arn:aws:iam::123456789012:user/alice', false],
  ['iam:PassRole', 'arn:aws:iam::*:role/*', true],
  ['ecs:RunTask', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3', true],
  ['ecs:RunTask', 'arn:aws:ecs:*:*:task-definition/web:*', true],
  ['sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs', true],
  ['sqs:SendMessage', 'arn:aws:sns:us-east-1:123456789012:jobs', false],
  ['dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/Users', true],
  ['dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/index/ByEmail', false],
  ['dynamodb:Query', 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/index/ByEmail', true],
  ['logs:PutLogEvents', 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*', true],
  ['secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*', true],
  ['secretsmanager:GetSecretValue', 'arn:aws:s3:::db', false],
];

describe('the check, the hover and the knowledge agree on which resources an action can name', () => {
  let iam: IamKnowledge;
  before(async () => {
    iam = await knowledge();
  });
  for (const [action, resource, names] of TABLE) {
    test(`${action} on ${resource}: ${names ? 'names a resource type' : 'names none'}`, () => {
      const text = `iam_policy("P", Action: ["${action}"], Effect: "Allow", Resource: ["${resource}"])\n`;
      const fired = checkText(text, { version: 6, role: 'task_role' }, iam).findings.some((f) => f.code === 'RESOURCE_MISMATCH');
      const offset = Buffer.byteLength(text.slice(0, text.indexOf(resource) + 5));
      const markdown = hover(analyze(text), offset, iam)?.markdown ?? '';
      const hoverNamesNone = /Names no resource type/.test(markdown);
      assert.equal(iam.actionAcceptsResource(action, resource), names, 'actionAcceptsResource');
      assert.equal((iam.resourceTypesMatching(action, resource) ?? []).length > 0, names, 'resourceTypesMatching');
      assert.equal(fired, !names, `RESOURCE_MISMATCH ${fired ? 'fired' : 'did not fire'}`);
      assert.equal(hoverNamesNone, !names, `hover: ${markdown.slice(0, 200)}`);
    });
  }
});
