// The round trip over AWS's own documents: for the latest document of every AWS managed policy in the IAM data,
// compiling the `iam_policy` call the converter writes gives back exactly that document (key order included), in
// both key styles.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromJsonText, policyToDsl, type CMap } from '../../../server/src/core';
import { knowledge } from '../iam/iamData';
import { asUfoWritesIt, compiledDocuments } from './roundTrip';

describe('compile(convert(doc)) == doc for every AWS managed policy document', () => {
  const docs: Array<{ name: string; doc: CMap }> = [];
  before(async () => {
    const iam = await knowledge();
    for (const p of iam.listManagedPolicies()) {
      const d = iam.managedPolicyDocument(p.name);
      // The data holds parsed JSON; its text goes through fromJsonText as a user's file would.
      if (d) docs.push({ name: p.name, doc: fromJsonText(JSON.stringify(d.document)) as CMap });
    }
  });

  test('the data holds the documents', () => {
    assert.ok(docs.length > 1500, `only ${docs.length} documents`);
  });

  for (const keyStyle of ['symbol', 'string'] as const) {
    test(`${keyStyle} keys: every document compiles back to itself`, () => {
      const failures: string[] = [];
      let statements = 0;
      for (const { name, doc } of docs) {
        const r = policyToDsl(doc, name, { keyStyle });
        if (!r.ok) {
          failures.push(`${name}: ${r.message}`);
          continue;
        }
        const out = compiledDocuments(r.text);
        if (out.findings.length > 0) failures.push(`${name}: ${out.findings.join('; ')}`);
        else if (out.documents.length !== 1 || out.documents[0] !== asUfoWritesIt(doc)) failures.push(`${name}: differs\n${out.documents[0]}`);
        const s = doc.get('Statement');
        statements += Array.isArray(s) ? s.length : 1;
      }
      assert.deepEqual(failures.slice(0, 5), []);
      assert.ok(statements > docs.length, `only ${statements} statements`);
    });
  }
});
