// The AccessDenied parser on the message shapes of IAM's "Troubleshoot access denied error messages"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html) and the wrappings SDKs and the
// AWS CLI put around them. Each row names the shape it stands for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDenyReason, parseAccessDenied, type AccessDenied } from '../../../server/src/core/denied/parseAccessDenied';

const ROLE = 'arn:aws:sts::123456789012:assumed-role/demo-web-dev-TaskRole-AbC123/i-0abc';
const CORE = `User: ${ROLE} is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::uploads/a.txt`;
const TASK = { principalArn: ROLE, principalKind: 'assumed-role', roleName: 'demo-web-dev-TaskRole-AbC123', sessionName: 'i-0abc', account: '123456789012', partition: 'aws', action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/a.txt' } as const;

const ROWS: ReadonlyArray<{ shape: string; text: string; expect: Partial<AccessDenied> }> = [
  { shape: 'implicit deny, identity-based policy', text: `${CORE} because no identity-based policy allows the s3:PutObject action`, expect: { ...TASK, reason: 'noIdentityPolicy', explicit: false } },
  { shape: 'implicit deny, identity-based policy, with a final period', text: `${CORE} because no identity-based policy allows the s3:PutObject action.`, expect: { ...TASK, reason: 'noIdentityPolicy', explicit: false } },
  {
    shape: 'explicit deny in an identity-based policy, naming the policy and the authorization-details link',
    text: `${CORE} with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/DenyUploads. Go to https://us-east-1.console.aws.amazon.com/iam/home#/authorization-details/EXAMPLE1 to investigate.`,
    expect: { ...TASK, reason: 'explicitDenyIdentity', explicit: true, denyingPolicyArn: 'arn:aws:iam::123456789012:policy/DenyUploads' },
  },
  { shape: 'explicit deny in an identity-based policy, policy not named', text: `${CORE} with an explicit deny in an identity-based policy`, expect: { ...TASK, reason: 'explicitDenyIdentity', explicit: true } },
  { shape: 'explicit deny in a service control policy', text: `${CORE} with an explicit deny in a service control policy`, expect: { ...TASK, reason: 'scp', explicit: true } },
  { shape: 'implicit deny, service control policy', text: `${CORE} because no service control policy allows the s3:PutObject action`, expect: { ...TASK, reason: 'scp', explicit: false } },
  { shape: 'the older SCP wording (due to … Service Control Policy)', text: `${CORE} due to an explicit deny in a Service Control Policy`, expect: { ...TASK, reason: 'scp', explicit: true } },
  { shape: 'explicit deny in a resource control policy', text: `${CORE} with an explicit deny in a resource control policy`, expect: { ...TASK, reason: 'resourceControlPolicy', explicit: true } },
  { shape: 'explicit deny in a permissions boundary', text: `${CORE} with an explicit deny in a permissions boundary`, expect: { ...TASK, reason: 'permissionsBoundary', explicit: true } },
  { shape: 'implicit deny, permissions boundary', text: `${CORE} because no permissions boundary allows the s3:PutObject action`, expect: { ...TASK, reason: 'permissionsBoundary', explicit: false } },
  { shape: 'explicit deny in a session policy', text: `${CORE} with an explicit deny in a session policy`, expect: { ...TASK, reason: 'sessionPolicy', explicit: true } },
  { shape: 'implicit deny, session policy', text: `${CORE} because no session policy allows the s3:PutObject action`, expect: { ...TASK, reason: 'sessionPolicy', explicit: false } },
  { shape: 'implicit deny, resource-based policy', text: `${CORE} because no resource-based policy allows the s3:PutObject action`, expect: { ...TASK, reason: 'resourcePolicy', explicit: false } },
  { shape: 'explicit deny in a resource-based policy', text: `${CORE} with an explicit deny in a resource-based policy`, expect: { ...TASK, reason: 'resourcePolicy', explicit: true } },
  { shape: 'implicit deny, VPC endpoint policy', text: `${CORE} because no VPC endpoint policy allows the s3:PutObject action`, expect: { ...TASK, reason: 'vpcEndpointPolicy', explicit: false } },
  { shape: 'explicit deny in a VPC endpoint policy', text: `${CORE} with an explicit deny in a VPC endpoint policy`, expect: { ...TASK, reason: 'vpcEndpointPolicy', explicit: true } },
  { shape: 'the older form without "because …"', text: CORE, expect: { ...TASK, reason: 'unknown' } },
  {
    shape: 'the older form without a resource (an action with no resource-level permissions)',
    text: 'User: arn:aws:sts::123456789012:assumed-role/demo-web-dev-ExecutionRole-Q1/abc is not authorized to perform: ecr:GetAuthorizationToken',
    expect: { principalKind: 'assumed-role', roleName: 'demo-web-dev-ExecutionRole-Q1', action: 'ecr:GetAuthorizationToken', reason: 'unknown', resource: undefined },
  },
  {
    shape: 'resource * (identity-based, implicit)',
    text: 'User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action',
    expect: { roleName: 'r', action: 'ecr:GetAuthorizationToken', resource: '*', reason: 'noIdentityPolicy' },
  },
  {
    shape: 'the AWS CLI wrapping (botocore: An error occurred (Code) when calling the Op operation: …)',
    text: `\nAn error occurred (AccessDenied) when calling the PutObject operation: ${CORE} because no identity-based policy allows the s3:PutObject action\n`,
    expect: { ...TASK, reason: 'noIdentityPolicy', errorCode: 'AccessDenied', operation: 'PutObject' },
  },
  { shape: 'an SDK exception name prefix (AccessDeniedException: …)', text: `AccessDeniedException: ${CORE} because no identity-based policy allows the s3:PutObject action`, expect: { ...TASK, reason: 'noIdentityPolicy', errorCode: 'AccessDeniedException' } },
  {
    shape: 'a JSON error body ("Message": "…", JSON escapes)',
    text: `{"__type":"AccessDeniedException","Message":"User: arn:aws:sts::123456789012:assumed-role/demo-web-dev-TaskRole-AbC123/i-0abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:db\\u002dAbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action"}`,
    expect: { roleName: 'demo-web-dev-TaskRole-AbC123', action: 'secretsmanager:GetSecretValue', resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf', reason: 'noIdentityPolicy', errorCode: 'AccessDeniedException' },
  },
  {
    shape: "boto3's error response printed as a Python dict (single quotes), the older form without because",
    text: `{'Error': {'Code': 'AccessDenied', 'Message': '${CORE}'}, 'ResponseMetadata': {'HTTPStatusCode': 403}}`,
    expect: { ...TASK, reason: 'unknown', errorCode: 'AccessDenied' },
  },
  {
    shape: 'a paste broken over lines by a terminal, with CRLF and a no-break space',
    text: `An error occurred (AccessDenied) when calling the PutObject operation:\r\n  User: ${ROLE}\r\n  is not authorized to perform: s3:PutObject on resource:\u00a0arn:aws:s3:::uploads/a.txt\r\n  because no identity-based policy allows the s3:PutObject action\r\n`,
    expect: { ...TASK, reason: 'noIdentityPolicy', operation: 'PutObject' },
  },
  {
    shape: 'an ECS task error around the message, a non-ASCII object key',
    text: `ResourceInitializationError: unable to pull secrets: AccessDeniedException: User: ${ROLE} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::uploads/résumé-日本.txt because no identity-based policy allows the s3:GetObject action status code: 400, request id: 1a2b`,
    expect: { roleName: 'demo-web-dev-TaskRole-AbC123', action: 's3:GetObject', resource: 'arn:aws:s3:::uploads/résumé-日本.txt', reason: 'noIdentityPolicy' },
  },
  {
    shape: 'a role ARN with a path (iam role principal)',
    text: 'User: arn:aws:iam::123456789012:role/service-role/demo-web-dev-TaskRole is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:123456789012:jobs because no identity-based policy allows the sqs:SendMessage action',
    expect: { principalKind: 'role', roleName: 'demo-web-dev-TaskRole', account: '123456789012', action: 'sqs:SendMessage' },
  },
  {
    shape: 'an IAM user (no role name)',
    text: 'User: arn:aws:iam::123456789012:user/janedoe is not authorized to perform: iam:CreateInstanceProfile on resource: arn:aws:iam::123456789012:instance-profile/p because no identity-based policy allows the iam:CreateInstanceProfile action',
    expect: { principalKind: 'user', roleName: undefined, account: '123456789012', reason: 'noIdentityPolicy' },
  },
  {
    shape: 'another partition (aws-cn)',
    text: 'User: arn:aws-cn:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:ListBucket on resource: arn:aws-cn:s3:::b because no identity-based policy allows the s3:ListBucket action',
    expect: { partition: 'aws-cn', roleName: 'r', resource: 'arn:aws-cn:s3:::b' },
  },
];

for (const row of ROWS) {
  test(`parses: ${row.shape}`, () => {
    const r = parseAccessDenied(row.text);
    assert.ok(r.ok, r.ok ? '' : r.message);
    for (const [k, v] of Object.entries(row.expect)) assert.deepEqual((r.denied as unknown as Record<string, unknown>)[k], v, k);
  });
}

test('texts that are not AccessDenied messages, and AccessDenied errors that name nothing', () => {
  for (const text of ['', 'hello', 'iam_policy("x", Action: ["s3:GetObject"])', 'NoSuchBucket: The specified bucket does not exist']) {
    const r = parseAccessDenied(text);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, 'NOT_ACCESS_DENIED', text);
  }
  const s3 = parseAccessDenied('An error occurred (AccessDenied) when calling the GetObject operation: Access Denied');
  assert.ok(!s3.ok && s3.code === 'NO_DETAILS' && /CloudTrail/.test(s3.message));
  const ec2 = parseAccessDenied('An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: AbC');
  assert.ok(!ec2.ok && ec2.code === 'NO_DETAILS' && /decode-authorization-message/.test(ec2.message));
});

test('the reason in words says whether an Allow in the role file can help', () => {
  const helps = (text: string) => {
    const r = parseAccessDenied(text);
    assert.ok(r.ok);
    return describeDenyReason(r.denied).allowHelps;
  };
  assert.equal(helps(`${CORE} because no identity-based policy allows the s3:PutObject action`), true);
  assert.equal(helps(CORE), true);
  for (const tail of ['with an explicit deny in an identity-based policy', 'with an explicit deny in a service control policy', 'because no permissions boundary allows the s3:PutObject action', 'with an explicit deny in a session policy', 'because no resource-based policy allows the s3:PutObject action', 'because no VPC endpoint policy allows the s3:PutObject action']) {
    assert.equal(helps(`${CORE} ${tail}`), false, tail);
  }
});
