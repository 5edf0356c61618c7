// Did-you-mean by Damerau–Levenshtein distance (optimal string alignment), case-insensitive.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMaxDistance, editDistance, suggest } from '../../../server/src/core/iam/suggest';

describe('editDistance', () => {
  test('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    assert.equal(editDistance('getobject', 'getobject'), 0);
    assert.equal(editDistance('getobjet', 'getobject'), 1); // insertion
    assert.equal(editDistance('getobjectt', 'getobject'), 1); // deletion
    assert.equal(editDistance('getobjekt', 'getobject'), 1); // substitution
    assert.equal(editDistance('getobjcet', 'getobject'), 1); // swap
    assert.equal(editDistance('ca', 'abc'), 3); // optimal string alignment, not unrestricted Damerau
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  test('stops at the limit', () => {
    assert.equal(editDistance('abcdefgh', 'zyxwvuts', 2), 3);
    assert.equal(editDistance('a', 'abcdef', 2), 3);
    assert.equal(editDistance('kitten', 'sitting', 3), 3);
  });

  test('a swap near the start is not cut off by the early stop', () => {
    // Row 2 of "ba" vs "ab..." passes through a cell above the limit, but the swap reaches the answer.
    assert.equal(editDistance('bacdefgh', 'abcdefgh', 1), 1);
  });
});

describe('suggest', () => {
  const actions = ['GetObject', 'GetObjectAcl', 'PutObject', 'ListBucket', 'GetBucketPolicy', 'DeleteObject'];

  test('finds the nearest candidate in its own spelling', () => {
    assert.deepEqual(suggest('GetObjekt', actions), ['GetObject']);
    assert.deepEqual(suggest('getobjcet', actions), ['GetObject']);
    assert.deepEqual(suggest('ListBukcet', actions), ['ListBucket']);
  });

  test('is case-insensitive and puts a case-only difference first', () => {
    assert.deepEqual(suggest('GETOBJECT', actions), ['GetObject']);
    assert.deepEqual(suggest('getobjectacl', actions)[0], 'GetObjectAcl');
  });

  test('offers nothing for a word that is too far from everything', () => {
    assert.deepEqual(suggest('CreateFunction', actions), []);
    assert.deepEqual(suggest('x', actions), []);
    assert.deepEqual(suggest('', actions), []);
  });

  test('keeps only candidates about as near as the nearest one', () => {
    // GetObject is 1 edit away, so only candidates within 2 edits stay: PutObject (3) and DeleteObject go.
    assert.deepEqual(suggest('GetObjekt', ['GetObject', 'PutObject', 'DeleteObject']), ['GetObject']);
    // GetObject 1 edit; SetObject and GetObjects 2 edits each, SetObject first for its closer length.
    assert.deepEqual(suggest('GetObjec', ['GetObjects', 'SetObject', 'GetObject']), ['GetObject', 'SetObject', 'GetObjects']);
  });

  test('respects max and orders ties by length gap, then alphabetically', () => {
    assert.deepEqual(suggest('abcd', ['abce', 'abcf', 'abcg'], 2), ['abce', 'abcf']);
    assert.deepEqual(suggest('abcd', ['abcdx', 'abce'], 3), ['abce', 'abcdx']);
    assert.deepEqual(suggest('abcd', ['abce'], 0), []);
  });

  test('threshold grows with the length of the input', () => {
    assert.equal(defaultMaxDistance(3), 1);
    assert.equal(defaultMaxDistance(8), 2);
    assert.equal(defaultMaxDistance(20), 5);
    assert.deepEqual(suggest('s4', ['s3', 'sqs']), ['s3']);
    assert.deepEqual(suggest('ECSTaskExecutionRolePolicy', ['AmazonECSTaskExecutionRolePolicy']), [
      'AmazonECSTaskExecutionRolePolicy',
    ]);
    assert.deepEqual(suggest('AmazonS3ReadOnlyAcess', ['AmazonS3ReadOnlyAccess', 'AmazonS3FullAccess']), [
      'AmazonS3ReadOnlyAccess',
    ]);
  });

  test('is fast enough for thousands of candidates', () => {
    const candidates: string[] = [];
    for (let i = 0; i < 22_000; i++) candidates.push(`Action${i.toString(36)}Name${(i * 7919).toString(36)}`);
    const started = performance.now();
    const result = suggest('Action1Name7919x', candidates);
    const millis = performance.now() - started;
    assert.ok(result.length > 0);
    assert.ok(millis < 3000, `suggest over 22k candidates took ${millis.toFixed(1)} ms`);
  });
});
