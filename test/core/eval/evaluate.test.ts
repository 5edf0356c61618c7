// The evaluator against a table of cases written from AWS's documentation; each row names the page and section it
// follows (docs/evaluation.md lists the pages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, NOT_CONSIDERED } from '../../../server/src/core/eval/evaluate';
import { fromPlain, Unknown } from '../../../server/src/core/compile/cvalue';
import type { ContextEntry, Decision, EvalStatement } from '../../../server/src/core/eval/types';

const EVAL = 'Policy evaluation logic';
const OPS = 'Condition operators';
const MULTI = 'Single-valued vs. multivalued context keys';
const KEYS = 'Conditions with multiple context keys or values';

function statements(list: unknown[]): EvalStatement[] {
  return list.map((s, i) => ({ statement: fromPlain(s), certain: true, source: { kind: 'inline', policyName: 'P', policyIndex: 0, statementIndex: i } }));
}

interface Row {
  readonly source: string;
  readonly name: string;
  readonly statements: unknown[];
  readonly action: string;
  readonly resource?: string;
  readonly context?: Record<string, ContextEntry>;
  readonly expect: Decision;
  /** Indices of the deciding statements, when the row checks them. */
  readonly deciding?: number[];
}

const allow = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra });
const deny = (extra: Record<string, unknown> = {}) => ({ Effect: 'Deny', Action: 's3:GetObject', Resource: '*', ...extra });
const cond = (operator: string, key: string, value: unknown) => ({ Condition: { [operator]: { [key]: value } } });
const OBJ = 'arn:aws:s3:::bucket/key';

const ROWS: Row[] = [
  // Policy evaluation logic: explicit deny, allow, implicit deny.
  { source: `${EVAL}: an explicit deny overrides allows`, name: 'Deny over Allow', statements: [allow(), deny()], action: 's3:GetObject', expect: 'explicitDeny', deciding: [1] },
  { source: `${EVAL}: allowed by an identity-based policy`, name: 'Allow', statements: [allow()], action: 's3:GetObject', expect: 'allowed', deciding: [0] },
  { source: `${EVAL}: implicit deny by default`, name: 'no statement', statements: [allow()], action: 's3:PutObject', expect: 'implicitDeny' },
  { source: `${EVAL}: implicit deny by default`, name: 'no statements at all', statements: [], action: 's3:GetObject', expect: 'implicitDeny' },
  // NotAction.
  { source: 'NotAction: with Allow, every action but the listed', name: 'NotAction Allow, other action', statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], action: 's3:GetObject', expect: 'allowed' },
  { source: 'NotAction: with Allow, every action but the listed', name: 'NotAction Allow, listed action', statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], action: 'iam:CreateUser', expect: 'implicitDeny' },
  { source: 'NotAction: with Deny, denies every action but the listed', name: 'NotAction Deny, other action', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 's3:*', Resource: '*' }], action: 'ec2:RunInstances', expect: 'explicitDeny', deciding: [1] },
  { source: 'NotAction: with Deny, denies every action but the listed', name: 'NotAction Deny, listed action', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 's3:*', Resource: '*' }], action: 's3:GetObject', expect: 'allowed' },
  // NotResource and Resource.
  { source: 'NotResource: every resource but the listed', name: 'NotResource, other resource', statements: [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }], action: 's3:GetObject', resource: OBJ, expect: 'allowed' },
  { source: 'NotResource: every resource but the listed', name: 'NotResource, listed resource', statements: [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }], action: 's3:GetObject', resource: 'arn:aws:s3:::secret/a', expect: 'implicitDeny' },
  { source: 'NotResource: with Deny', name: 'Deny NotResource', statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::mine/*' }], action: 's3:GetObject', resource: OBJ, expect: 'explicitDeny' },
  { source: 'Resource: wildcards within segments, `?` one character', name: '? wildcard matches one character', statements: [allow({ Resource: 'arn:aws:s3:::bucket/ke?' })], action: 's3:GetObject', resource: OBJ, expect: 'allowed' },
  { source: 'Resource: wildcards within segments, `?` one character', name: '? does not match two', statements: [allow({ Resource: 'arn:aws:s3:::bucket/k?' })], action: 's3:GetObject', resource: OBJ, expect: 'implicitDeny' },
  { source: 'Resource: a trailing * of a segment extends past the colons', name: 'arn:aws:s3:*', statements: [allow({ Resource: 'arn:aws:s3:*' })], action: 's3:GetObject', resource: OBJ, expect: 'allowed' },
  { source: 'Resource: a * inside a segment stays in it', name: 'mid-segment * does not cross a colon', statements: [allow({ Resource: 'arn:aws:s*3:::bucket/key' })], action: 's3:GetObject', resource: 'arn:aws:s3:x:3:::bucket/key', expect: 'implicitDeny' },
  { source: 'Resource: ARNs are case-sensitive', name: 'resource case-sensitivity', statements: [allow({ Resource: 'arn:aws:s3:::Bucket/*' })], action: 's3:GetObject', resource: OBJ, expect: 'implicitDeny' },
  { source: 'Action: action names are case-insensitive', name: 'action case-insensitivity', statements: [allow({ Action: 'S3:getobject' })], action: 's3:GetObject', expect: 'allowed' },
  { source: 'Action: wildcards', name: 'action ? wildcard', statements: [allow({ Action: 's3:?etObject' })], action: 's3:GetObject', expect: 'allowed' },
  { source: 'Action: wildcards', name: 'action * wildcard', statements: [allow({ Action: 's3:Get*' })], action: 's3:GetObjectAcl', expect: 'allowed' },
  // String operators.
  { source: `${OPS}: StringEquals, case-sensitive`, name: 'StringEquals matches', statements: [allow(cond('StringEquals', 'aws:PrincipalTag/team', 'blue'))], action: 's3:GetObject', context: { 'aws:PrincipalTag/team': ['blue'] }, expect: 'allowed' },
  { source: `${OPS}: StringEquals, case-sensitive`, name: 'StringEquals other case', statements: [allow(cond('StringEquals', 'aws:PrincipalTag/team', 'blue'))], action: 's3:GetObject', context: { 'aws:PrincipalTag/team': ['Blue'] }, expect: 'implicitDeny' },
  { source: `${OPS}: StringEqualsIgnoreCase`, name: 'StringEqualsIgnoreCase', statements: [allow(cond('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'blue'))], action: 's3:GetObject', context: { 'aws:PrincipalTag/team': ['BLUE'] }, expect: 'allowed' },
  { source: `${OPS}: StringLike with * and ?`, name: 'StringLike', statements: [allow(cond('StringLike', 's3:prefix', 'home/*'))], action: 's3:GetObject', context: { 's3:prefix': ['home/bob'] }, expect: 'allowed' },
  { source: `${OPS}: StringNotEquals`, name: 'StringNotEquals differs', statements: [allow(cond('StringNotEquals', 'aws:RequestedRegion', 'us-east-1'))], action: 's3:GetObject', context: { 'aws:RequestedRegion': ['eu-west-1'] }, expect: 'allowed' },
  { source: `${OPS}: a negated operator is true when the key is absent`, name: 'StringNotLike absent key', statements: [allow(cond('StringNotLike', 'aws:RequestedRegion', 'us-*'))], action: 's3:GetObject', context: { 'aws:RequestedRegion': 'absent' }, expect: 'allowed' },
  { source: `${OPS}: the key absent, the condition is false`, name: 'StringEquals absent key', statements: [allow(cond('StringEquals', 'aws:RequestedRegion', 'us-east-1'))], action: 's3:GetObject', context: { 'aws:RequestedRegion': 'absent' }, expect: 'implicitDeny' },
  { source: `${OPS}: String operators without context`, name: 'String, no context', statements: [allow(cond('StringEquals', 'aws:RequestedRegion', 'us-east-1'))], action: 's3:GetObject', expect: 'conditional', deciding: [0] },
  // Condition keys are case-insensitive.
  { source: `${OPS}: condition key names are case-insensitive`, name: 'key case', statements: [allow(cond('StringEquals', 'AWS:RequestedRegion', 'us-east-1'))], action: 's3:GetObject', context: { 'aws:requestedregion': ['us-east-1'] }, expect: 'allowed' },
  // Numeric.
  { source: `${OPS}: Numeric operators`, name: 'NumericLessThan', statements: [allow(cond('NumericLessThan', 's3:max-keys', 10))], action: 's3:GetObject', context: { 's3:max-keys': ['5'] }, expect: 'allowed' },
  { source: `${OPS}: Numeric operators`, name: 'NumericLessThan fails', statements: [allow(cond('NumericLessThan', 's3:max-keys', '10'))], action: 's3:GetObject', context: { 's3:max-keys': ['10'] }, expect: 'implicitDeny' },
  { source: `${OPS}: Numeric operators without context`, name: 'Numeric, no context', statements: [allow(cond('NumericGreaterThanEquals', 's3:max-keys', '10'))], action: 's3:GetObject', expect: 'conditional' },
  // Date.
  { source: `${OPS}: Date operators (ISO 8601 or epoch)`, name: 'DateLessThan ISO', statements: [allow(cond('DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z'))], action: 's3:GetObject', context: { 'aws:CurrentTime': ['2026-06-01T12:00:00Z'] }, expect: 'allowed' },
  { source: `${OPS}: Date operators (ISO 8601 or epoch)`, name: 'DateGreaterThan epoch', statements: [allow(cond('DateGreaterThan', 'aws:EpochTime', '1893456000'))], action: 's3:GetObject', context: { 'aws:EpochTime': ['1780000000'] }, expect: 'implicitDeny' },
  { source: `${OPS}: Date operators without context`, name: 'Date, no context', statements: [allow(cond('DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z'))], action: 's3:GetObject', expect: 'conditional' },
  // Bool.
  { source: `${OPS}: Bool`, name: 'Bool Deny on insecure transport', statements: [allow(), deny(cond('Bool', 'aws:SecureTransport', false))], action: 's3:GetObject', context: { 'aws:SecureTransport': ['false'] }, expect: 'explicitDeny' },
  { source: `${OPS}: Bool`, name: 'Bool Deny not applying', statements: [allow(), deny(cond('Bool', 'aws:SecureTransport', 'false'))], action: 's3:GetObject', context: { 'aws:SecureTransport': ['true'] }, expect: 'allowed' },
  { source: `${OPS}: Bool without context; ${EVAL}: a Deny that may apply with a definite Allow`, name: 'Bool Deny unknown + Allow', statements: [allow(), deny(cond('Bool', 'aws:SecureTransport', 'false'))], action: 's3:GetObject', expect: 'conditional', deciding: [1, 0] },
  { source: `${OPS}: Bool without context; ${EVAL}: implicit deny`, name: 'Bool Deny unknown, no Allow', statements: [deny(cond('Bool', 'aws:SecureTransport', 'false'))], action: 's3:GetObject', expect: 'implicitDeny' },
  { source: `${EVAL}: an explicit deny overrides allows`, name: 'definite Deny beats an unknown Allow', statements: [allow(cond('Bool', 'aws:MultiFactorAuthPresent', 'true')), deny()], action: 's3:GetObject', expect: 'explicitDeny' },
  // Binary.
  { source: `${OPS}: BinaryEquals`, name: 'BinaryEquals', statements: [allow(cond('BinaryEquals', 'key', 'QmluYXJ5VmFsdWU='))], action: 's3:GetObject', context: { key: ['QmluYXJ5VmFsdWU='] }, expect: 'allowed' },
  // IP addresses.
  { source: `${OPS}: IpAddress (IPv4 CIDR)`, name: 'IpAddress v4 inside', statements: [allow(cond('IpAddress', 'aws:SourceIp', '203.0.113.0/24'))], action: 's3:GetObject', context: { 'aws:SourceIp': ['203.0.113.77'] }, expect: 'allowed' },
  { source: `${OPS}: IpAddress (IPv4 CIDR)`, name: 'IpAddress v4 outside', statements: [allow(cond('IpAddress', 'aws:SourceIp', '203.0.113.0/24'))], action: 's3:GetObject', context: { 'aws:SourceIp': ['203.0.114.1'] }, expect: 'implicitDeny' },
  { source: `${OPS}: IpAddress (IPv6 CIDR)`, name: 'IpAddress v6 inside', statements: [allow(cond('IpAddress', 'aws:SourceIp', ['203.0.113.0/24', '2001:DB8:1234:5678::/64']))], action: 's3:GetObject', context: { 'aws:SourceIp': ['2001:db8:1234:5678::abcd'] }, expect: 'allowed' },
  { source: `${OPS}: NotIpAddress`, name: 'NotIpAddress Deny outside the range', statements: [allow(), deny(cond('NotIpAddress', 'aws:SourceIp', '2001:db8::/32'))], action: 's3:GetObject', context: { 'aws:SourceIp': ['2001:db9::1'] }, expect: 'explicitDeny' },
  { source: `${OPS}: IP operators without context`, name: 'IpAddress, no context', statements: [allow(cond('IpAddress', 'aws:SourceIp', '203.0.113.0/24'))], action: 's3:GetObject', expect: 'conditional' },
  // ARN.
  { source: `${OPS}: ArnLike, component by component`, name: 'ArnLike', statements: [allow(cond('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:123456789012:topic-*'))], action: 's3:GetObject', context: { 'aws:SourceArn': ['arn:aws:sns:us-east-1:123456789012:topic-a'] }, expect: 'allowed' },
  { source: `${OPS}: ArnNotEquals`, name: 'ArnNotEquals same ARN', statements: [allow(cond('ArnNotEquals', 'aws:SourceArn', 'arn:aws:sns:us-east-1:123456789012:t'))], action: 's3:GetObject', context: { 'aws:SourceArn': ['arn:aws:sns:us-east-1:123456789012:t'] }, expect: 'implicitDeny' },
  { source: `${OPS}: ARN operators without context`, name: 'Arn, no context', statements: [allow(cond('ArnEquals', 'aws:SourceArn', 'arn:aws:sns:us-east-1:123456789012:t'))], action: 's3:GetObject', expect: 'conditional' },
  // IfExists.
  { source: `${OPS}: …IfExists, the key absent`, name: 'IfExists absent', statements: [allow(cond('StringEqualsIfExists', 'ec2:InstanceType', 't3.micro'))], action: 's3:GetObject', context: { 'ec2:InstanceType': 'absent' }, expect: 'allowed' },
  { source: `${OPS}: …IfExists, the key present`, name: 'IfExists present, no match', statements: [allow(cond('StringEqualsIfExists', 'ec2:InstanceType', 't3.micro'))], action: 's3:GetObject', context: { 'ec2:InstanceType': ['m5.large'] }, expect: 'implicitDeny' },
  { source: `${OPS}: …IfExists without context`, name: 'IfExists, no context', statements: [allow(cond('NumericLessThanIfExists', 's3:max-keys', '10'))], action: 's3:GetObject', expect: 'conditional' },
  // Null.
  { source: `${OPS}: Null true, the key absent`, name: 'Null true absent', statements: [allow(), deny(cond('Null', 'aws:TokenIssueTime', 'true'))], action: 's3:GetObject', context: { 'aws:TokenIssueTime': 'absent' }, expect: 'explicitDeny' },
  { source: `${OPS}: Null false, the key present`, name: 'Null false present', statements: [allow(cond('Null', 'aws:TokenIssueTime', 'false'))], action: 's3:GetObject', context: { 'aws:TokenIssueTime': ['2026-01-01T00:00:00Z'] }, expect: 'allowed' },
  { source: `${OPS}: Null without context`, name: 'Null, no context', statements: [allow(cond('Null', 'aws:TokenIssueTime', 'false'))], action: 's3:GetObject', expect: 'conditional' },
  // Set operators.
  { source: `${MULTI}: ForAllValues is true on an absent key`, name: 'ForAllValues absent', statements: [allow(cond('ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b']))], action: 's3:GetObject', context: { 'aws:TagKeys': 'absent' }, expect: 'allowed' },
  { source: `${MULTI}: ForAllValues is true on an empty set`, name: 'ForAllValues empty set', statements: [allow(cond('ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b']))], action: 's3:GetObject', context: { 'aws:TagKeys': [] }, expect: 'allowed' },
  { source: `${MULTI}: ForAllValues, every request value matches`, name: 'ForAllValues subset', statements: [allow(cond('ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b']))], action: 's3:GetObject', context: { 'aws:TagKeys': ['a', 'b'] }, expect: 'allowed' },
  { source: `${MULTI}: ForAllValues, one value outside`, name: 'ForAllValues not subset', statements: [allow(cond('ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b']))], action: 's3:GetObject', context: { 'aws:TagKeys': ['a', 'c'] }, expect: 'implicitDeny' },
  { source: `${MULTI}: ForAnyValue, one value matches`, name: 'ForAnyValue', statements: [allow(cond('ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b']))], action: 's3:GetObject', context: { 'aws:TagKeys': ['x', 'b'] }, expect: 'allowed' },
  { source: `${MULTI}: ForAnyValue is false on an absent key`, name: 'ForAnyValue absent', statements: [allow(cond('ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b']))], action: 's3:GetObject', context: { 'aws:TagKeys': 'absent' }, expect: 'implicitDeny' },
  { source: `${MULTI}: ForAnyValue is false on an empty set`, name: 'ForAnyValue empty', statements: [allow(cond('ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b']))], action: 's3:GetObject', context: { 'aws:TagKeys': [] }, expect: 'implicitDeny' },
  { source: `${MULTI}: ForAllValues with a negated operator (the DenyRestrictedTags example)`, name: 'ForAllValues:StringNotLike', statements: [allow(), deny(cond('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*'))], action: 's3:GetObject', context: { 'aws:TagKeys': ['key2:audit'] }, expect: 'explicitDeny' },
  { source: `${MULTI}: ForAllValues with a negated operator (the DenyRestrictedTags example)`, name: 'ForAllValues:StringNotLike no match', statements: [allow(), deny(cond('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*'))], action: 's3:GetObject', context: { 'aws:TagKeys': ['key1:hr', 'key1:personnel'] }, expect: 'allowed' },
  // Several values OR, several keys and operators AND.
  { source: `${KEYS}: several values of one key are OR`, name: 'values OR', statements: [allow(cond('StringEquals', 'aws:RequestedRegion', ['us-east-1', 'eu-west-1']))], action: 's3:GetObject', context: { 'aws:RequestedRegion': ['eu-west-1'] }, expect: 'allowed' },
  { source: `${KEYS}: several values of a negated operator are NOR`, name: 'negated values NOR', statements: [allow(cond('StringNotEquals', 'aws:RequestedRegion', ['us-east-1', 'eu-west-1']))], action: 's3:GetObject', context: { 'aws:RequestedRegion': ['eu-west-1'] }, expect: 'implicitDeny' },
  { source: `${KEYS}: several keys of one operator are AND`, name: 'keys AND, one fails', statements: [allow({ Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalTag/team': 'blue' } } })], action: 's3:GetObject', context: { 'aws:RequestedRegion': ['us-east-1'], 'aws:PrincipalTag/team': ['red'] }, expect: 'implicitDeny' },
  { source: `${KEYS}: several operators are AND`, name: 'operators AND, both hold', statements: [allow({ Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } } })], action: 's3:GetObject', context: { 'aws:RequestedRegion': ['us-east-1'], 'aws:SecureTransport': ['true'] }, expect: 'allowed' },
  { source: `${KEYS}: AND with one unknown key`, name: 'AND, one key unknown', statements: [allow({ Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } } })], action: 's3:GetObject', context: { 'aws:RequestedRegion': ['us-east-1'] }, expect: 'conditional' },
  { source: `${KEYS}: AND with one false key decides although another is unknown`, name: 'AND, one false one unknown', statements: [allow({ Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } } })], action: 's3:GetObject', context: { 'aws:RequestedRegion': ['eu-west-1'] }, expect: 'implicitDeny' },
  // Policy variables.
  { source: 'Policy variables: ${aws:username} in Resource', name: 'variable resolved', statements: [allow({ Resource: 'arn:aws:s3:::home/${aws:username}/*' })], action: 's3:GetObject', resource: 'arn:aws:s3:::home/bob/notes', context: { 'aws:username': ['bob'] }, expect: 'allowed' },
  { source: 'Policy variables: ${aws:username} in Resource', name: 'variable, other user', statements: [allow({ Resource: 'arn:aws:s3:::home/${aws:username}/*' })], action: 's3:GetObject', resource: 'arn:aws:s3:::home/bob/notes', context: { 'aws:username': ['alice'] }, expect: 'implicitDeny' },
  { source: 'Policy variables: not in the context, depends', name: 'variable unknown', statements: [allow({ Resource: 'arn:aws:s3:::home/${aws:username}/*' })], action: 's3:GetObject', resource: 'arn:aws:s3:::home/bob/notes', expect: 'conditional' },
  { source: 'Policy variables: a default value for an absent key', name: 'variable default', statements: [allow(cond('StringEquals', 's3:prefix', "${aws:PrincipalTag/home, 'public'}"))], action: 's3:GetObject', context: { 's3:prefix': ['public'], 'aws:PrincipalTag/home': 'absent' }, expect: 'allowed' },
  { source: 'Policy variables: in a condition value', name: 'variable in StringLike', statements: [allow(cond('StringLike', 's3:prefix', 'home/${aws:username}/*'))], action: 's3:GetObject', context: { 's3:prefix': ['home/bob/a'], 'aws:username': ['bob'] }, expect: 'allowed' },
];

for (const row of ROWS) {
  test(`${row.name} (${row.source})`, () => {
    const list = statements(row.statements);
    const r = evaluate(list, { action: row.action, resource: row.resource, context: row.context });
    assert.equal(r.decision, row.expect, `${r.why}\n${r.matched.map((m) => `${m.effect} ${m.applies}: ${m.reasons.join('; ')}`).join('\n')}`);
    if (row.deciding) assert.deepEqual(r.deciding.map((d) => list.indexOf(d.statement)), row.deciding);
  });
}

test('without a resource in the request: an Allow on some resource allows; a Deny on some resources makes it depend on the resource', () => {
  const scoped = statements([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*' }]);
  assert.equal(evaluate(scoped, { action: 's3:GetObject' }).decision, 'allowed');
  const denyScoped = statements([allow(), { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' }]);
  assert.equal(evaluate(denyScoped, { action: 's3:GetObject' }).decision, 'conditional');
  const denyAll = statements([allow(), deny()]);
  assert.equal(evaluate(denyAll, { action: 's3:GetObject' }).decision, 'explicitDeny');
  const notResourceStar = statements([{ Effect: 'Allow', Action: 's3:GetObject', NotResource: '*' }]);
  assert.equal(evaluate(notResourceStar, { action: 's3:GetObject' }).decision, 'implicitDeny');
});

test('deploy-time values are unknown, never guessed: a dynamic Action, Effect or condition value, a conditional call', () => {
  const dynAction: EvalStatement[] = [{ statement: new Map<string, any>([['Effect', 'Allow'], ['Action', [new Unknown('ENV["ACTION"]')]], ['Resource', '*']]), certain: true, source: { kind: 'inline', policyName: 'P', policyIndex: 0, statementIndex: 0 } }];
  assert.equal(evaluate(dynAction, { action: 's3:GetObject' }).decision, 'conditional');
  const dynEffect: EvalStatement[] = [{ statement: new Map<string, any>([['Effect', new Unknown('effect')], ['Action', '*'], ['Resource', '*']]), certain: true, source: { kind: 'inline', policyName: 'P', policyIndex: 0, statementIndex: 0 } }];
  assert.equal(evaluate(dynEffect, { action: 's3:GetObject' }).decision, 'conditional');
  // A dynamic Effect that may be Deny, beside a definite Allow: depends.
  assert.equal(evaluate([...statements([allow()]), ...dynEffect], { action: 's3:GetObject' }).decision, 'conditional');
  const conditionalCall: EvalStatement[] = [{ ...statements([allow()])[0], certain: false }];
  const r = evaluate(conditionalCall, { action: 's3:GetObject' });
  assert.equal(r.decision, 'conditional');
  assert.match(r.matched[0].reasons.join(' '), /conditional call/);
  const dynValue = statements([allow(cond('StringEquals', 'aws:RequestedRegion', 'x'))]);
  (dynValue[0].statement as Map<string, any>).get('Condition').get('StringEquals').set('aws:RequestedRegion', new Unknown('region'));
  assert.equal(evaluate(dynValue, { action: 's3:GetObject', context: { 'aws:RequestedRegion': ['x'] } }).decision, 'conditional');
});

test('an unknown document may allow or deny: never guessed', () => {
  const unknownDoc: EvalStatement = { certain: true, source: { kind: 'unknownDocument', arn: 'arn:aws:iam::123456789012:policy/Mine', reason: 'customer managed' } };
  assert.equal(evaluate([unknownDoc], { action: 's3:GetObject' }).decision, 'conditional');
  assert.equal(evaluate([...statements([allow()]), unknownDoc], { action: 's3:GetObject' }).decision, 'conditional');
  assert.equal(evaluate([...statements([deny()]), unknownDoc], { action: 's3:GetObject' }).decision, 'explicitDeny');
});

test('the not-considered sentence names SCPs, boundaries, session and resource-based policies', () => {
  for (const w of ['service control policies', 'permissions boundaries', 'session policies', 'resource-based policies']) assert.ok(NOT_CONSIDERED.includes(w), w);
});
