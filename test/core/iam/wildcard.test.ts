// The one IAM wildcard matcher: `*` and `?`, case-insensitive by default, everything else literal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createWildcardMatcher,
  globMatch,
  hasWildcard,
  matchesWildcard,
  wildcardToRegExp,
} from '../../../server/src/core/iam/wildcard';

/** Both entry points must agree on every case. */
function both(pattern: string, text: string, caseSensitive = false): boolean {
  const viaMatcher = matchesWildcard(pattern, text, { caseSensitive });
  const viaRegExp = wildcardToRegExp(pattern, { caseSensitive }).test(text);
  assert.equal(viaMatcher, viaRegExp, `matcher and RegExp disagree on ${pattern} vs ${text}`);
  return viaMatcher;
}

describe('hasWildcard', () => {
  test('finds * and ?', () => {
    assert.equal(hasWildcard('s3:Get*'), true);
    assert.equal(hasWildcard('s3:Get?bject'), true);
    assert.equal(hasWildcard('*'), true);
    assert.equal(hasWildcard('s3:GetObject'), false);
    assert.equal(hasWildcard(''), false);
  });
});

describe('matchesWildcard', () => {
  test('* matches any run, also an empty one', () => {
    assert.equal(both('s3:Get*', 's3:GetObject'), true);
    assert.equal(both('s3:Get*', 's3:Get'), true);
    assert.equal(both('s3:Get*', 's3:PutObject'), false);
    assert.equal(both('*', ''), true);
    assert.equal(both('*', 'anything:at all'), true);
  });

  test('* in the service part', () => {
    assert.equal(both('*:Get*', 's3:GetObject'), true);
    assert.equal(both('*:Get*', 'ec2:GetConsoleOutput'), true);
    assert.equal(both('*:Get*', 's3:PutObject'), false);
    assert.equal(both('s*:List*', 'sqs:ListQueues'), true);
    assert.equal(both('s*:List*', 'ec2:ListImages'), false);
  });

  test('* in the middle and several of them', () => {
    assert.equal(both('s3:Get*Tagging', 's3:GetObjectTagging'), true);
    assert.equal(both('s3:Get*Tagging', 's3:GetObjectTaggingX'), false);
    assert.equal(both('s3:*Object*', 's3:GetObjectAcl'), true);
    assert.equal(both('s3:**Object', 's3:GetObject'), true);
    assert.equal(both('*a*b*c*', 'xaybzc'), true);
    assert.equal(both('*a*b*c*', 'xcybza'), false);
  });

  test('? matches exactly one character', () => {
    assert.equal(both('?3:*', 's3:GetObject'), true);
    assert.equal(both('?3:*', '3:GetObject'), false);
    assert.equal(both('?3:*', 'ss3:GetObject'), false);
    assert.equal(both('s3:GetObjec?', 's3:GetObject'), true);
    assert.equal(both('s3:GetObjec?', 's3:GetObjec'), false);
    assert.equal(both('s3:GetObjec?', 's3:GetObjectAcl'), false);
    assert.equal(both('??', 'ab'), true);
  });

  test('case-insensitive by default, case-sensitive on request', () => {
    assert.equal(both('S3:get*', 's3:GetObject'), true);
    assert.equal(both('s3:GETOBJECT', 's3:GetObject'), true);
    assert.equal(both('IAM:PassRole', 'iam:passrole'), true);
    assert.equal(both('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/key', true), false);
    assert.equal(both('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::Bucket/key', true), true);
    assert.equal(both('ABC', 'abc', true), false);
  });

  test('regular expression metacharacters are literal', () => {
    assert.equal(both('a.b', 'a.b'), true);
    assert.equal(both('a.b', 'axb'), false);
    assert.equal(both('a+b', 'a+b'), true);
    assert.equal(both('a+b', 'aab'), false);
    assert.equal(both('(x)|y', '(x)|y'), true);
    assert.equal(both('(x)|y', 'y'), false);
    assert.equal(both('[abc]', '[abc]'), true);
    assert.equal(both('[abc]', 'a'), false);
    assert.equal(both('a{2}', 'a{2}'), true);
    assert.equal(both('a{2}', 'aa'), false);
    assert.equal(both('^s3$', '^s3$'), true);
    assert.equal(both('^s3$', 's3'), false);
    assert.equal(both('back\\slash*', 'back\\slash/x'), true);
    assert.equal(both('arn:aws:s3:::my.bucket/*', 'arn:aws:s3:::myxbucket/k'), false);
    assert.equal(both('${aws:username}/*', '${aws:username}/file'), true);
  });

  test('texts with line breaks', () => {
    assert.equal(both('a*b', 'a\nb'), true);
    assert.equal(both('a?b', 'a\nb'), true);
  });

  test('prepared matcher agrees with the one-shot form', () => {
    const matches = createWildcardMatcher('s3:Get*');
    assert.equal(matches('S3:GETOBJECT'), true);
    assert.equal(matches('s3:PutObject'), false);
    const exact = createWildcardMatcher('s3:GetObject');
    assert.equal(exact('S3:getobject'), true);
    assert.equal(exact('s3:GetObjectAcl'), false);
  });

  test('many stars over a long text stay fast (no backtracking blow-up)', () => {
    const pattern = 'a*a*a*a*a*a*a*a*a*a*b';
    const text = 'a'.repeat(5000);
    const started = performance.now();
    assert.equal(matchesWildcard(pattern, text), false);
    assert.equal(globMatch(pattern, `${text}b`), true);
    assert.ok(performance.now() - started < 1000, 'glob match took too long');
  });
});

describe('wildcardToRegExp', () => {
  test('is anchored and escapes everything but * and ?', () => {
    assert.equal(wildcardToRegExp('s3:Get*').source, '^s3:Get[\\s\\S]*$');
    assert.equal(wildcardToRegExp('a.b?').source, '^a\\.b[\\s\\S]$');
    assert.equal(wildcardToRegExp('x***y').source, '^x[\\s\\S]*y$');
    assert.equal(wildcardToRegExp('x').flags, 'i');
    assert.equal(wildcardToRegExp('x', { caseSensitive: true }).flags, '');
  });
});
