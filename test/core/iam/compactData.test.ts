// The compaction shared by the build and the update (core/iam/compactData.ts), and AWS's service reference read into
// it (core/iam/serviceReference.ts): the formats of docs/data.md from a small source, the same bytes whatever the
// input order, the bundled data's descriptions kept for actions that still exist, none for new ones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compactIamData, type IamDataSource } from '../../../server/src/core/iam/compactData';
import { accessLevelOf, compactServiceReference, diffIamIndexes, validateServiceFile, validateServiceList, type ServiceReferenceService } from '../../../server/src/core/iam/serviceReference';
import type { IndexFile, ServiceFile } from '../../../server/src/core/iam/dataFormat';
import { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { ensureDataDir, fileLoader } from './iamData';
import { SERVICE_REFERENCE_FIXTURE } from '../../support/serviceReferenceServer';

const PROVENANCE = {
  iamData: { package: 'p', version: '1', license: 'MIT', updatedAt: '2026-01-02T00:00:00.000Z' },
  iamFloyd: { package: 'f', version: '2', license: 'Apache-2.0' },
  managedPolicies: { package: 'm', version: '3', license: 'MIT', lastUpdatedDate: '2026-01-01T00:00:00.000Z' },
};

function source(): IamDataSource {
  return {
    services: [
      {
        prefix: 'zeta',
        name: 'Zeta Service',
        actions: [
          { name: 'Write', accessLevel: 'Write', resourceTypes: [{ name: 'THING', required: true, conditionKeys: ['b', 'a', 'a'] }], conditionKeys: [] },
          { name: 'Get', description: 'Grants permission to get', accessLevel: 'Read', resourceTypes: [] },
        ],
        resourceTypes: [{ key: 'thing', arn: 'arn:${Partition}:zeta:::thing/${Id}' }],
        conditionKeys: [{ key: 'zeta:Color', type: 'String', description: 'Filters by color' }, { key: 'other:Key', type: 'String' }],
      },
      { prefix: 'alpha', actions: [{ name: 'List', accessLevel: 'List', resourceTypes: [] }], resourceTypes: [], conditionKeys: [] },
    ],
    unassociatedConditions: { saml: ['zeta'] },
    globalConditionKeys: [{ key: 'aws:Color', type: 'String', category: 'request' }],
    managedPolicies: [
      { name: 'ZetaAccess', path: '', description: 'Zeta', retired: false, deprecated: false },
      { name: 'Old', path: 'service-role/', description: '', retired: true, deprecated: false },
    ],
    documents: { ZetaAccess: { versionId: 'v1', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['zeta:Get', 'zeta:Wr*'], Resource: '*' }] } } },
    provenance: PROVENANCE,
    generatedBy: 'test',
  };
}

describe('compactIamData', () => {
  test('writes the index, one file per service and the documents, in the format IamKnowledge reads', () => {
    const { files, counts } = compactIamData(source());
    assert.deepEqual([...files.keys()], ['iam-index.json', 'services/alpha.json', 'services/zeta.json', 'managed-policy-documents.json']);
    const index = JSON.parse(files.get('iam-index.json')!) as IndexFile;
    assert.equal(index.format, 4);
    assert.deepEqual(index.accessLevels, ['List', 'Read', 'Write']);
    // Services by prefix, actions by name; a service without a name shows its prefix.
    assert.deepEqual(index.services, { alpha: ['alpha', 0, 4, 0, 1], zeta: ['Zeta Service', 5, 14, 1, 2] });
    assert.equal(index.actionNames, 'List,Get,Write');
    assert.equal(index.actionLevels, '012');
    // zeta:Get is granted by name once (1 + ⌊4·log2 1⌋ = 1); a wildcard grants nothing.
    assert.equal(index.actionGrants, '010');
    assert.deepEqual(index.conditionKeyPrefixes, { other: ['zeta'], saml: ['zeta'] });
    // Each record ends with the byte range of the policy's document record (none for Old, which has no document).
    const docs = files.get('managed-policy-documents.json')!;
    const zetaStart = docs.indexOf('{"name":"ZetaAccess"');
    assert.equal(index.managedPolicies, `Old\tservice-role/\t1\t\t\t\nZetaAccess\t\t0\tZeta\t${zetaStart}\t${docs.length - 2}`);
    const zeta = JSON.parse(files.get('services/zeta.json')!) as ServiceFile;
    assert.equal(zeta.docUrl, 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_zetaservice.html');
    // Empty values are absent; a row's resource type takes the table's spelling; lists are sorted and unique.
    assert.deepEqual(zeta.actions, { Get: { description: 'Grants permission to get', accessLevel: 'Read' }, Write: { accessLevel: 'Write', resourceTypes: [['thing', 1, ['a', 'b'], []]] } });
    assert.equal((JSON.parse(files.get('services/alpha.json')!) as ServiceFile).docUrl, undefined, 'no page URL is guessed without a display name');
    assert.equal(counts.actions, 3);
    assert.equal(counts.managedPoliciesRetired, 1);
    const k = new IamKnowledge((rel) => JSON.parse(files.get(rel)!));
    assert.equal(k.actionDetails('zeta:write')?.accessLevel, 'Write');
    assert.equal(k.findConditionKey('aws:Color')?.description, undefined);
    // Documents come back as the same object on every call, from the whole file or by their range.
    assert.deepEqual(JSON.parse(docs.slice(zetaStart, docs.length - 2)), { name: 'ZetaAccess', versionId: 'v1', document: source().documents.ZetaAccess.document });
    assert.deepEqual(k.managedPolicyDocument('ZetaAccess')?.document, source().documents.ZetaAccess.document);
    assert.equal(k.managedPolicyDocument('ZetaAccess')?.document, k.managedPolicyDocument('arn:aws:iam::aws:policy/ZetaAccess')?.document);
    const ranged = new IamKnowledge((rel) => JSON.parse(files.get(rel)!), (rel, start, end) => files.get(rel)!.slice(start, end));
    assert.deepEqual(ranged.managedPolicyDocument('ZetaAccess'), k.managedPolicyDocument('ZetaAccess'));
    assert.equal(ranged.managedPolicyDocument('service-role/Old'), undefined);
  });

  test('the documents file is ASCII, so its byte ranges are character ranges: other characters are escaped', () => {
    const s = source();
    const document = { Version: '2012-10-17', Statement: [{ Sid: 'Café', Effect: 'Allow', Action: 'zeta:Get', Resource: 'arn:aws:zeta:::thing/😀' }] };
    const { files } = compactIamData({ ...s, documents: { ...s.documents, Old: { versionId: 'v9', createdDate: '2020-01-01T00:00:00.000Z', document } } });
    const docs = files.get('managed-policy-documents.json')!;
    assert.match(docs, /^[\x00-\x7f]*$/);
    assert.match(docs, /Caf\\u00e9/);
    const ranged = new IamKnowledge((rel) => JSON.parse(files.get(rel)!), (rel, start, end) => Buffer.from(files.get(rel)!, 'utf8').subarray(start, end).toString('latin1'));
    assert.deepEqual(ranged.managedPolicyDocument('service-role/Old'), { name: 'Old', versionId: 'v9', createdDate: '2020-01-01T00:00:00.000Z', updatedDate: undefined, document });
    assert.deepEqual(ranged.managedPolicyDocument('ZetaAccess')?.document, s.documents.ZetaAccess.document);
  });

  test('the same bytes whatever the order of the input', () => {
    const a = compactIamData(source());
    const s = source();
    const b = compactIamData({ ...s, services: [...s.services].reverse().map((x) => ({ ...x, actions: [...x.actions].reverse() })), managedPolicies: [...s.managedPolicies].reverse() });
    assert.deepEqual([...b.files], [...a.files]);
  });

  test('refuses what the format cannot hold', () => {
    const s = source();
    assert.throws(() => compactIamData({ ...s, services: [...s.services, s.services[1]!] }), /alpha appears twice/);
    assert.throws(() => compactIamData({ ...s, services: [{ ...s.services[1]!, actions: [{ name: 'Bad,Name', accessLevel: 'Read', resourceTypes: [] }] }] }), /unexpected action name/);
  });
});

describe('the service reference', () => {
  const fixture = (rel: string) => JSON.parse(fs.readFileSync(path.join(SERVICE_REFERENCE_FIXTURE, rel), 'utf8'));
  const files = () =>
    new Map<string, ServiceReferenceService>(
      (fixture('index.json') as { service: string; url: string }[]).map((e) => [e.service, fixture(e.url)]),
    );

  test('access levels from the annotations, spelled as the bundled data spells them', () => {
    const level = (p: Record<string, boolean>) => accessLevelOf({ Name: 'X', Annotations: { Properties: p } });
    assert.equal(level({}), 'Read');
    assert.equal(level({ IsList: true }), 'List');
    assert.equal(level({ IsWrite: true }), 'Write');
    assert.equal(level({ IsWrite: true, IsTaggingOnly: true }), 'Tagging, Write');
    assert.equal(level({ IsWrite: true, IsPermissionManagement: true }), 'Permissions management, Write');
  });

  test('validation names the problem', () => {
    assert.equal(validateServiceList(fixture('index.json')), undefined);
    assert.match(validateServiceList({})!, /not a JSON array/);
    assert.match(validateServiceList([{ service: 's3', url: 'a' }, { service: 'S3', url: 'b' }])!, /names S3 twice/);
    assert.equal(validateServiceFile(fixture('v1/s3/s3.json'), 's3'), undefined);
    assert.match(validateServiceFile(fixture('v1/broken/broken.json'), 'broken')!, /broken: no Actions array/);
    assert.match(validateServiceFile(fixture('v1/s3/s3.json'), 'ecs')!, /the file is for "s3"/);
    assert.match(validateServiceFile({ Name: 'x', Actions: [{ Name: 'A', Annotations: { Properties: { IsWrite: 'yes' } } }] }, 'x')!, /not a set of booleans/);
    assert.match(validateServiceFile({ Name: 'x', Actions: [], ResourceTypes: [{ Name: 'r', ARNFormats: [] }] }, 'x')!, /r has no ARNFormats/);
  });

  test('compacted over the bundled data: descriptions kept for actions that still exist, none for new ones', async () => {
    const base = fileLoader(await ensureDataDir());
    const meta = { url: 'http://127.0.0.1/ok/', retrievedAt: '2026-12-03T08:00:00.000Z' };
    const { files: out, counts } = compactServiceReference(files(), base, meta);
    assert.equal(counts.services, 3);
    const k = new IamKnowledge((rel) => JSON.parse(out.get(rel)!));
    assert.equal(k.provenance.source, 'downloaded');
    assert.equal(k.provenance.dataDate, '2026-12-03');
    const bundled = new IamKnowledge(base);
    assert.equal(k.actionDetails('s3:GetObject')?.description, bundled.actionDetails('s3:GetObject')?.description);
    assert.ok(k.actionDetails('s3:GetObject')!.description.length > 0);
    assert.equal(k.findService('s3')?.name, 'Amazon S3', 'the display name of a service that still exists');
    assert.equal(k.actionDetails('s3:PutBucketTagging')?.accessLevel, 'Tagging, Write');
    const rocket = k.actionDetails('ufotest:LaunchRocket')!;
    assert.equal(rocket.description, '');
    assert.equal(rocket.serviceName, 'ufotest');
    assert.equal(rocket.docUrl, undefined);
    assert.equal(k.findAction('s3:DeleteBucket'), undefined);
    assert.ok(bundled.findAction('s3:DeleteBucket'));
    // Managed policies stay the bundled ones.
    assert.equal(k.listManagedPolicies().length, bundled.listManagedPolicies().length);
    const diff = diffIamIndexes(base('iam-index.json') as IndexFile, JSON.parse(out.get('iam-index.json')!) as IndexFile);
    assert.deepEqual(diff.servicesAdded, ['ufotest']);
    assert.deepEqual(diff.actionsAdded, ['ufotest:LaunchRocket', 'ufotest:ListRockets']);
    assert.ok(diff.actionsRemoved.includes('s3:DeleteBucket'));
    assert.ok(!diff.actionsRemoved.includes('s3:GetObject'));
    assert.ok(diff.servicesRemoved.includes('ec2'));
  });
});
