// Server-side narrowing of long completion lists (core/complete/narrow.ts), on the real managed-policy list.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, type CompletionEntry, type CompletionResult } from '../../../server/src/core/complete/complete';
import { COMPLETION_LIMIT, narrowResult } from '../../../server/src/core/complete/narrow';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { knowledge } from '../iam/iamData';
import { mark } from '../cursor/cursor';

let iam: IamKnowledge;
before(async () => {
  iam = await knowledge();
});

function policies(): CompletionResult {
  const m = mark('managed_iam_policy("<|>")');
  const r = complete(m.analysis, m.offset, iam);
  assert.ok(r && r.items.length > COMPLETION_LIMIT, 'the managed-policy list is long');
  return r;
}

const labels = (r: { items: readonly CompletionEntry[] }) => r.items.map((e) => e.label);

describe('narrowResult', () => {
  test('a short list is returned whole and complete', () => {
    const r = policies();
    const short = { ...r, items: r.items.slice(0, 10) };
    const n = narrowResult(short, 'zzz');
    assert.equal(n.incomplete, false);
    assert.deepEqual(labels(n), labels(short));
  });

  test('nothing typed: the entries a client sorts first (sortText, else label), marked incomplete', () => {
    const r = policies();
    const n = narrowResult(r, '');
    assert.equal(n.incomplete, true);
    assert.equal(n.items.length, COMPLETION_LIMIT);
    const bySortText = [...r.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    assert.deepEqual(labels(n), labels({ items: bySortText }).slice(0, COMPLETION_LIMIT));
    assert.ok(n.items.every((e) => !e.deprecated), 'retired policies sort last');
  });

  test('a long action list: verb wildcards before their actions, `*` (sorted last) when typed', () => {
    const m = mark('iam_policy("S3", Action: ["ec2:<|>"])');
    const r = complete(m.analysis, m.offset, iam)!;
    assert.ok(r.items.length > COMPLETION_LIMIT, 'ec2 has more actions than the limit');
    const n = labels(narrowResult(r, ''));
    assert.match(n[0], /^[A-Z][a-z]+\*$/, 'the first verb wildcard comes first');
    assert.ok(!n.includes('*'), '`*` sorts after every action');
    const get = labels(narrowResult(r, 'Get'));
    assert.equal(get[0], 'Get*');
    assert.ok(!get.includes('*'), '`*` does not match Get');
    assert.equal(labels(narrowResult(r, '*'))[0], '*');
  });

  test('a policy under a path is found by its name and by its path, ignoring case', () => {
    const r = policies();
    for (const typed of ['AmazonECSTaskEx', 'amazonecstaskex', 'service-role/AmazonECSTaskEx', 'ECSTaskExecution']) {
      const n = narrowResult(r, typed);
      assert.ok(labels(n).includes('service-role/AmazonECSTaskExecutionRolePolicy'), typed);
      assert.ok(n.items.length <= COMPLETION_LIMIT);
    }
  });

  test('every entry kept matches the typed characters in order; prefix matches come first', () => {
    const r = policies();
    const typed = 'S3Read';
    const n = narrowResult(r, typed);
    const q = typed.toLowerCase();
    const subsequence = (t: string) => {
      let i = 0;
      for (const c of t.toLowerCase()) if (c === q[i]) i++;
      return i === q.length;
    };
    for (const e of n.items) assert.ok(subsequence(e.filterText ?? e.label), e.label);
    const idxPrefix = labels(n).findIndex((l) => l.toLowerCase().includes('s3read'));
    const idxScattered = labels(n).findIndex((l) => !l.toLowerCase().includes('s3read'));
    assert.ok(idxPrefix >= 0 && (idxScattered < 0 || idxPrefix < idxScattered), 'contiguous matches before scattered ones');
    assert.ok(labels(n).includes('AmazonS3ReadOnlyAccess'));
  });

  test('services: prefix matches, then word starts (`backup-search` for `se`), then the rest', () => {
    const m = mark('iam_policy("S3", Action: ["<|>"])');
    const r = complete(m.analysis, m.offset, iam)!;
    assert.ok(r.items.length > COMPLETION_LIMIT, 'more services than the limit');
    const n = labels(narrowResult(r, 'se'));
    const firstOther = n.findIndex((l) => !l.startsWith('se'));
    assert.ok(firstOther > 0 && n.slice(firstOther).every((l) => !l.startsWith('se')), 'prefix matches first');
    // `backup-search` has a word starting with `se`; `cloudsearch` only contains it.
    assert.ok(n.indexOf('backup-search') >= firstOther, 'word starts after prefixes');
    assert.ok(n.indexOf('cloudsearch') > n.indexOf('backup-search'), 'word starts before plain containment');
  });

  test('typed text that matches more than the limit keeps the sort order within the best group', () => {
    const r = policies();
    const n = narrowResult(r, 'Amazon');
    assert.equal(n.items.length, COMPLETION_LIMIT);
    const starts = [...r.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).filter((e) => (e.filterText ?? e.label).toLowerCase().startsWith('amazon'));
    assert.ok(starts.length > COMPLETION_LIMIT, 'more than the limit start with Amazon');
    assert.deepEqual(labels(n), starts.slice(0, COMPLETION_LIMIT).map((e) => e.label));
  });

  test('text that nothing matches gives an empty, incomplete list', () => {
    const n = narrowResult(policies(), 'qqqqzzzz');
    assert.equal(n.items.length, 0);
    assert.equal(n.incomplete, true);
  });
});
