// IamKnowledge over the real dist/data: the lookups that completion, hover and the checks rely on, on known examples.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATA_FORMAT } from '../../../server/src/core/iam/dataFormat';
import { IamKnowledge, type DataLoader } from '../../../server/src/core/iam/iamKnowledge';
import { createWildcardMatcher } from '../../../server/src/core/iam/wildcard';
import { folderRangeReader } from '../../../server/src/project/iamInstance';
import { ensureDataDir, fileLoader } from './iamData';

let dir: string;
let k: IamKnowledge;

before(async () => {
  dir = await ensureDataDir();
  k = new IamKnowledge(fileLoader(dir));
});

describe('loading', () => {
  test('the constructor reads only the index; details load on first use, once', () => {
    const loaded: string[] = [];
    const fresh = new IamKnowledge(fileLoader(dir, loaded));
    assert.deepEqual(loaded, ['iam-index.json']);
    assert.ok(fresh.listActions('s3').length > 0);
    assert.ok(fresh.matchActions('*:Get*').length > 0);
    assert.equal(fresh.canonicalAction('s3:getobject'), 's3:GetObject');
    assert.ok(fresh.listManagedPolicies().length > 0);
    assert.ok(fresh.findConditionKey('aws:SourceIp'));
    assert.deepEqual(loaded, ['iam-index.json'], 'completion and existence checks must not load details');
    fresh.actionDetails('s3:GetObject');
    fresh.actionDetails('s3:PutObject');
    fresh.findConditionKey('s3:prefix');
    assert.deepEqual(loaded, ['iam-index.json', 'services/s3.json']);
    fresh.managedPolicyDocument('AdministratorAccess');
    fresh.managedPolicyDocument('ReadOnlyAccess');
    assert.deepEqual(loaded, ['iam-index.json', 'services/s3.json', 'managed-policy-documents.json']);
  });

  test('with a range reader, a managed policy document is read by its byte range, never the whole documents file', () => {
    const loaded: string[] = [];
    const ranges: [string, number, number][] = [];
    const read = folderRangeReader(dir);
    const fresh = new IamKnowledge(fileLoader(dir, loaded), (rel, start, end) => (ranges.push([rel, start, end]), read(rel, start, end)));
    const doc = fresh.managedPolicyDocument('arn:aws:iam::aws:policy/ReadOnlyAccess');
    assert.equal(doc?.name, 'ReadOnlyAccess');
    assert.equal(fresh.managedPolicyDocument('readonlyaccess')?.document, doc?.document, 'read once: the same object');
    assert.equal(fresh.managedPolicyDocument('CloudWatchOmniDomainAccessPolicy'), undefined, 'no range: no document, nothing read');
    assert.deepEqual(loaded, ['iam-index.json']);
    assert.equal(ranges.length, 1);
    const [file, start, end] = ranges[0]!;
    assert.equal(file, 'managed-policy-documents.json');
    assert.ok(end - start < 200_000, `${end - start} bytes read`);
  });

  test('every managed policy document reads the same by its range as from the whole file', () => {
    const ranged = new IamKnowledge(fileLoader(dir), folderRangeReader(dir));
    let documents = 0;
    for (const p of k.listManagedPolicies()) {
      const whole = k.managedPolicyDocument(p.name);
      assert.deepEqual(ranged.managedPolicyDocument(p.name), whole, p.name);
      if (whole) documents++;
    }
    assert.equal(documents, 1_594);
  });

  test('a documents file that does not belong to the index is refused, not misread', () => {
    const wrong = new IamKnowledge(fileLoader(dir), (rel, start, end) => folderRangeReader(dir)(rel, start + 1, end));
    assert.throws(() => wrong.managedPolicyDocument('ReadOnlyAccess'), /managed-policy-documents\.json/);
    const shifted = new IamKnowledge(fileLoader(dir), () => '{"name":"AdministratorAccess","versionId":"v1","document":{}}');
    assert.throws(() => shifted.managedPolicyDocument('ReadOnlyAccess'), /not the record of ReadOnlyAccess/);
  });

  test('refuses an index of another format and reports a missing one', () => {
    const wrong: DataLoader = () => ({ format: 999 });
    assert.throws(() => new IamKnowledge(wrong), new RegExp(`expected data format ${DATA_FORMAT}, got 999`));
    const missing: DataLoader = (p) => {
      throw new Error(`ENOENT ${p}`);
    };
    assert.throws(() => new IamKnowledge(missing), /ENOENT iam-index\.json/);
  });
});

describe('services', () => {
  test('list, find and exist, case-insensitively', () => {
    const services = k.listServices();
    assert.equal(services.length, 456);
    assert.deepEqual(
      services.map((s) => s.prefix),
      [...services.map((s) => s.prefix)].sort(),
    );
    assert.deepEqual(k.findService('S3'), { prefix: 's3', name: 'Amazon S3', actionCount: 180 });
    assert.equal(k.serviceExists('ECS'), true);
    assert.equal(k.serviceExists('ecss'), false);
    assert.equal(k.findService('nope'), undefined);
  });

  test('service details for hover', () => {
    const ecs = k.serviceDetails('ecs');
    assert.ok(ecs);
    assert.equal(ecs.name, 'Amazon Elastic Container Service');
    assert.equal(ecs.docUrl, 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html');
    assert.deepEqual(
      ecs.accessLevelCounts.map((c) => c.accessLevel),
      ['List', 'Read', 'Write', 'Permissions management, Write', 'Tagging, Write'],
    );
    assert.equal(
      ecs.accessLevelCounts.reduce((s, c) => s + c.count, 0),
      ecs.actionCount,
    );
    assert.ok(ecs.resourceTypes.some((r) => r.name === 'task-definition' && r.arn?.includes(':task-definition/')));
    const cluster = ecs.conditionKeys.find((c) => c.key === 'ecs:cluster');
    assert.equal(cluster?.type, 'ARN');
    assert.equal(ecs.conditionKeys.find((c) => c.key === 'aws:RequestTag/${TagKey}')?.scope, 'global');
    assert.equal(k.serviceDetails('iam')?.docUrl, 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html');
    assert.equal(k.serviceDetails('odb')?.docUrl, undefined);
    assert.equal(k.serviceDetails('nope'), undefined);
  });
});

describe('actions', () => {
  test('canonicalAction is case-insensitive and gives the canonical spelling back', () => {
    assert.equal(k.canonicalAction('s3:GetObject'), 's3:GetObject');
    assert.equal(k.canonicalAction('S3:getobject'), 's3:GetObject');
    assert.equal(k.canonicalAction('ECS:RUNTASK'), 'ecs:RunTask');
    assert.equal(k.canonicalAction('s3:GetObjekt'), undefined);
    assert.equal(k.canonicalAction('s3:Get*'), undefined);
    assert.equal(k.canonicalAction('nope:GetObject'), undefined);
    assert.equal(k.canonicalAction('GetObject'), undefined);
    assert.equal(k.canonicalAction(':GetObject'), undefined);
  });

  test('actions of a service for completion', () => {
    const s3 = k.listActions('S3');
    assert.equal(s3.length, 180);
    assert.deepEqual(s3.find((a) => a.name === 'GetObject'), { service: 's3', name: 'GetObject', fullName: 's3:GetObject', accessLevel: 'Read' });
    assert.deepEqual(k.listActions('nope'), []);
    // The same objects come back, so callers may keep them.
    assert.equal(k.listActions('s3')[0], s3[0]);
    assert.equal(k.findAction('s3:GetObject'), s3.find((a) => a.name === 'GetObject'));
  });

  test('s3:GetObject details', () => {
    const d = k.actionDetails('s3:getobject');
    assert.ok(d);
    assert.equal(d.fullName, 's3:GetObject');
    assert.equal(d.accessLevel, 'Read');
    assert.equal(d.serviceName, 'Amazon S3');
    assert.equal(d.description, 'Grants permission to retrieve objects from Amazon S3');
    assert.deepEqual(
      d.resourceTypes.map((r) => [r.name, r.required, r.arn]),
      [
        ['accesspointobject', false, 'arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}'],
        ['object', false, 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'],
      ],
    );
    assert.equal(d.isWildcardOnly, false);
    assert.equal(d.conditionKeys.length, 8);
    assert.ok(d.conditionKeys.includes('s3:ExistingObjectTag/<key>'));
    assert.deepEqual(d.dependentActions, []);
    assert.equal(d.docUrl, 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html');
  });

  test('ecs:RunTask details', () => {
    const d = k.actionDetails('ecs:RunTask');
    assert.ok(d);
    assert.equal(d.accessLevel, 'Write');
    assert.deepEqual(
      d.resourceTypes.map((r) => [r.name, r.required]),
      [['task-definition', true]],
    );
    assert.match(d.resourceTypes[0].arn ?? '', /^arn:\$\{Partition\}:ecs:\$\{Region\}:\$\{Account\}:task-definition\//);
    for (const key of ['ecs:cluster', 'aws:RequestTag/${TagKey}', 'aws:TagKeys']) assert.ok(d.conditionKeys.includes(key), key);
  });

  test('an action that supports only Resource "*"', () => {
    const d = k.actionDetails('ec2:DescribeInstances');
    assert.equal(d?.accessLevel, 'List');
    assert.equal(d?.isWildcardOnly, true);
    assert.deepEqual(k.resourceArnPatterns('ec2:DescribeInstances'), []);
    assert.equal(k.resourceArnPatterns('ec2:NoSuchAction'), undefined);
  });

});

describe('matchActions', () => {
  test('exact names and prefixes in any case, in every service, agree with the one wildcard matcher', () => {
    // Lookups take shortcuts (binary search on AWS's spelling, a case-folding prefix test); the answer is the matcher's.
    const fresh = new IamKnowledge(fileLoader(dir));
    const variants = (s: string) => [s, s.toLowerCase(), s.toUpperCase()];
    for (const service of fresh.listServices()) {
      const actions = fresh.listActions(service.prefix);
      for (const pattern of ['Get*', 'list*', 'DESCRIBE*', 'Put*', 'a*', '*']) {
        const matches = createWildcardMatcher(`${service.prefix}:${pattern}`);
        assert.deepEqual(fresh.matchActions(`${service.prefix}:${pattern}`), actions.filter((a) => matches(a.fullName)), `${service.prefix}:${pattern}`);
      }
      for (const a of [actions[0], actions[actions.length >> 1], actions[actions.length - 1]]) {
        if (!a) continue;
        for (const name of variants(a.fullName)) {
          assert.equal(fresh.findAction(name), a, name);
          assert.deepEqual(fresh.matchActions(name), [a], name);
        }
        assert.equal(fresh.findAction(`${a.fullName}x`), undefined);
      }
    }
  });

  const names = (pattern: string) => k.matchActions(pattern).map((a) => a.fullName);

  test('a wildcard inside the action part', () => {
    assert.deepEqual(names('s3:Get*Tagging'), [
      's3:GetBucketTagging',
      's3:GetJobTagging',
      's3:GetObjectTagging',
      's3:GetObjectVersionTagging',
      's3:GetStorageLensConfigurationTagging',
    ]);
    assert.equal(names('s3:Get*').length, 63);
    assert.deepEqual(names('S3:GET*'), names('s3:Get*'));
    assert.ok(names('s3:Get*').every((n) => n.startsWith('s3:Get')));
  });

  test('wildcards in the service part', () => {
    const all = names('*:Get*');
    assert.equal(all.length, 3_310);
    assert.ok(all.includes('s3:GetObject') && all.includes('ec2:GetConsoleOutput'));
    assert.ok(all.every((n) => /^[^:]+:get/i.test(n)));
    assert.deepEqual(names('?3:*'), names('s3:*'));
    assert.equal(names('s3:*').length, 180);
    const ec = k.matchActions('ec?:Describe*');
    assert.ok(ec.every((a) => /^ec.:Describe/.test(a.fullName)));
    assert.deepEqual([...new Set(ec.map((a) => a.service))], ['ec2', 'ecr', 'ecs']);
  });

  test('* alone, exact names, and patterns that cannot match', () => {
    assert.equal(k.matchActions('*').length, 22_091);
    assert.deepEqual(names('s3:getobject'), ['s3:GetObject']);
    assert.deepEqual(names('nope:*'), []);
    assert.deepEqual(names('s3:*:x'), []);
    assert.deepEqual(names('GetObject'), []);
    assert.deepEqual(names('s3:Get.bject'), []);
  });

  test('a pattern without a colon matches the whole name, as IAM does', () => {
    const hits = names('*GetObject');
    assert.ok(hits.includes('s3:GetObject'));
    assert.ok(hits.every((n) => n.toLowerCase().endsWith('getobject')));
  });

  test('results are sorted by service then name, and repeated calls are cached', () => {
    const list = names('*:List*');
    const sorted = [...k.matchActions('*:List*')].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    assert.deepEqual(list, sorted.map((a) => a.fullName));
    assert.equal(k.matchActions('*:List*'), k.matchActions('*:List*'));
  });

  test('expandWildcard groups by access level in AWS order', () => {
    const e = k.expandWildcard('s3:Put*');
    assert.deepEqual(e.services, ['s3']);
    assert.deepEqual(
      e.byAccessLevel.map((g) => g.accessLevel),
      ['Write', 'Permissions management, Write', 'Tagging, Write'],
    );
    assert.equal(
      e.byAccessLevel.reduce((s, g) => s + g.actions.length, 0),
      e.actions.length,
    );
    assert.ok(e.byAccessLevel.every((g) => g.actions.every((a) => a.accessLevel === g.accessLevel)));
    const none = k.expandWildcard('s3:Nothing*');
    assert.deepEqual([none.actions.length, none.byAccessLevel.length, none.services.length], [0, 0, 0]);
  });
});

describe('resource types', () => {
  test('resource types accepted by the given actions, with ARN templates', () => {
    const uses = k.resourceTypesForActions(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'nope:X', '*']);
    assert.deepEqual(
      uses.map((u) => [u.name, u.actions]),
      [
        ['accesspoint', ['s3:ListBucket']],
        ['accesspointobject', ['s3:GetObject', 's3:PutObject']],
        ['bucket', ['s3:ListBucket']],
        ['object', ['s3:GetObject', 's3:PutObject']],
      ],
    );
    assert.equal(uses.find((u) => u.name === 'bucket')?.arn, 'arn:${Partition}:s3:::${BucketName}');
    const ecs = k.resourceTypesForActions(['ecs:RunTask']);
    assert.deepEqual(ecs.map((u) => [u.name, u.required]), [['task-definition', true]]);
    // A pattern within one service expands.
    assert.ok(k.resourceTypesForActions(['s3:Get*']).length > 4);
  });

  test('one resource type by name', () => {
    const role = k.resourceType('IAM', 'Role');
    assert.equal(role?.name, 'role');
    assert.equal(role?.arn, 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}');
    assert.equal(k.resourceType('iam', 'nope'), undefined);
  });

  test('ARN patterns of an action', () => {
    assert.deepEqual(k.resourceArnPatterns('iam:PassRole'), ['arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}']);
  });
});

describe('condition keys', () => {
  test('global keys with types', () => {
    const globals = k.globalConditionKeys();
    assert.equal(globals.length, 59);
    const sourceIp = globals.find((g) => g.key === 'aws:SourceIp');
    assert.deepEqual([sourceIp?.type, sourceIp?.scope, sourceIp?.category], ['IPAddress', 'global', 'network']);
  });

  test('templated global keys resolve: aws:PrincipalTag/team → aws:PrincipalTag/tag-key', () => {
    const r = k.findConditionKey('aws:PrincipalTag/team');
    assert.ok(r);
    assert.equal(r.key, 'aws:PrincipalTag/tag-key');
    assert.equal(r.input, 'aws:PrincipalTag/team');
    assert.equal(r.viaTemplate, true);
    assert.equal(r.type, 'String');
    assert.equal(r.scope, 'global');
    assert.equal(k.findConditionKey('AWS:principaltag/Team')?.key, 'aws:PrincipalTag/tag-key');
    assert.equal(k.findConditionKey('aws:RequestTag/${TagKey}')?.key, 'aws:RequestTag/tag-key');
    assert.equal(k.findConditionKey('aws:PrincipalTag/'), undefined);
  });

  test('templated service keys resolve: s3:ExistingObjectTag/foo → s3:ExistingObjectTag/<key>', () => {
    const r = k.findConditionKey('s3:ExistingObjectTag/foo');
    assert.ok(r);
    assert.equal(r.key, 's3:ExistingObjectTag/<key>');
    assert.equal(r.viaTemplate, true);
    assert.equal(r.scope, 'service');
    assert.equal(r.service, 's3');
    assert.equal(r.type, 'String');
    assert.equal(k.findConditionKey('ec2:ResourceTag/Name')?.key, 'ec2:ResourceTag/${TagKey}');
  });

  test('plain keys, types and validity', () => {
    assert.equal(k.findConditionKey('aws:sourceip')?.key, 'aws:SourceIp');
    assert.equal(k.conditionKeyType('iam:PolicyARN'), 'ARN');
    assert.equal(k.conditionKeyType('aws:MultiFactorAuthPresent'), 'Bool');
    assert.equal(k.conditionKeyType('ecs:task-cpu'), 'Numeric');
    assert.equal(k.findConditionKey('S3:PREFIX')?.key, 's3:prefix');
    assert.equal(k.findConditionKey('s3:prefix')?.viaTemplate, false);
    assert.equal(k.isValidConditionKey('aws:SourceVpce'), true);
    assert.equal(k.isValidConditionKey('aws:SourceIP'), true);
    assert.equal(k.isValidConditionKey('aws:NoSuchKey'), false);
    assert.equal(k.isValidConditionKey('s3:NoSuchKey'), false);
    assert.equal(k.isValidConditionKey('nosuchservice:key'), false);
    assert.equal(k.isValidConditionKey('nokey'), false);
  });

  test('global keys of services and keys of identity providers', () => {
    assert.equal(k.findConditionKey('ec2:SourceInstanceArn')?.scope, 'global');
    const saml = k.findConditionKey('saml:aud');
    assert.deepEqual([saml?.key, saml?.service], ['saml:aud', 'sts']);
    const gh = k.findConditionKey('token.actions.githubusercontent.com:actor');
    assert.equal(gh?.service, 'sts');
    const ghSub = k.findConditionKey('token.actions.githubusercontent.com/my-org:actor');
    assert.deepEqual([ghSub?.key, ghSub?.viaTemplate], ['token.actions.githubusercontent.com/${SubPath}:actor', true]);
  });

  test('prefixes are answered the same after many unknown ones (the memo of a prefix\'s services is bounded)', () => {
    const fresh = new IamKnowledge(fileLoader(dir));
    const before = ['s3:prefix', 'saml:aud', 'token.actions.githubusercontent.com/my-org:actor', 'ec2:osuser'].map((key) => fresh.findConditionKey(key));
    // Prefixes as a user types them, more than the memo holds: each is looked up once and forgotten later.
    for (let i = 0; i < 3000; i++) assert.equal(fresh.findConditionKey(`typed${i}:key`), undefined);
    const after = ['s3:prefix', 'saml:aud', 'token.actions.githubusercontent.com/my-org:actor', 'ec2:osuser'].map((key) => fresh.findConditionKey(key));
    assert.deepEqual(after, before);
    assert.deepEqual(after.map((r) => r?.service), ['s3', 'sts', 'sts', 'ec2-instance-connect']);
  });

  test('keys listed under another service\'s prefix resolve through the table that lists them', () => {
    const osuser = k.findConditionKey('ec2:osuser');
    assert.deepEqual([osuser?.key, osuser?.service], ['ec2:osuser', 'ec2-instance-connect']);
    assert.equal(k.findConditionKey('iot:JobId')?.service, 'iotjobsdata');
  });

  test('every condition key that an action or resource type lists resolves, with a type', () => {
    let checked = 0;
    const unresolved: string[] = [];
    const untyped: string[] = [];
    for (const service of k.listServices()) {
      const details = k.serviceDetails(service.prefix)!;
      const keys = new Set<string>(details.resourceTypes.flatMap((r) => r.conditionKeys));
      for (const action of k.listActions(service.prefix)) for (const key of k.conditionKeysForAction(action.fullName)!) keys.add(key);
      for (const key of keys) {
        checked++;
        const info = k.findConditionKey(key);
        if (!info) unresolved.push(key);
        else if (!info.type) untyped.push(key);
      }
    }
    assert.equal(checked, 2_478, "distinct keys per service");
    assert.deepEqual(unresolved, []);
    assert.deepEqual(untyped, []);
  });

  test('condition keys of given actions, with types and the actions that list them', () => {
    const keys = k.conditionKeysForActions(['ecs:RunTask', 'ecs:StartTask']);
    const cluster = keys.find((c) => c.key === 'ecs:cluster');
    assert.deepEqual(cluster?.actions, ['ecs:RunTask', 'ecs:StartTask']);
    assert.equal(cluster?.type, 'ARN');
    const requestTag = keys.find((c) => c.key === 'aws:RequestTag/${TagKey}');
    assert.deepEqual([requestTag?.type, requestTag?.scope], ['String', 'global']);
    assert.deepEqual(
      keys.map((c) => c.key),
      [...keys.map((c) => c.key)].sort(),
    );
    assert.deepEqual(k.conditionKeysForAction('s3:GetObject'), k.actionDetails('s3:GetObject')?.conditionKeys);
    assert.equal(k.conditionKeysForAction('s3:Nope'), undefined);
  });

  test('whether an action lists a key, through templates too', () => {
    assert.equal(k.actionSupportsConditionKey('ecs:RunTask', 'ecs:cluster'), true);
    assert.equal(k.actionSupportsConditionKey('ecs:RunTask', 'aws:RequestTag/team'), true);
    assert.equal(k.actionSupportsConditionKey('s3:GetObject', 's3:ExistingObjectTag/owner'), true);
    assert.equal(k.actionSupportsConditionKey('s3:GetObject', 'ecs:cluster'), false);
    assert.equal(k.actionSupportsConditionKey('s3:NoSuchAction', 'ecs:cluster'), undefined);
  });
});

describe('managed policies', () => {
  test('every policy is found by its name in any case, its path or its ARN, by a fresh instance as by a used one', () => {
    const files = fileLoader(dir);
    const index = files('iam-index.json');
    for (const p of k.listManagedPolicies()) {
      // AWS's spelling first (found without the case-insensitive index), then other cases.
      const fresh = new IamKnowledge((rel) => (rel === 'iam-index.json' ? index : files(rel)));
      for (const input of [p.name, `${p.path}${p.name}`, p.arn, p.name.toLowerCase(), p.name.toUpperCase()]) {
        assert.deepEqual(fresh.findManagedPolicy(input)?.policy, p, input);
        assert.deepEqual(k.findManagedPolicy(input)?.policy, p, input);
      }
    }
    assert.equal(k.findManagedPolicy('ReadOnlyAccessX'), undefined);
  });

  test('AmazonECSTaskExecutionRolePolicy lives under service-role/', () => {
    const m = k.findManagedPolicy('AmazonECSTaskExecutionRolePolicy');
    assert.ok(m);
    assert.equal(m.policy.path, 'service-role/');
    assert.equal(m.policy.arn, 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy');
    assert.equal(m.policy.description, 'Provides access to other AWS service resources that are required to run Amazon ECS tasks');
    assert.equal(m.givenPath, undefined);
    assert.equal(m.pathMatches, false, 'the bare name makes UFO build an ARN without the path');
    assert.equal(m.exact, false);
    assert.equal(m.canonical, 'service-role/AmazonECSTaskExecutionRolePolicy');

    const full = k.findManagedPolicy('service-role/AmazonECSTaskExecutionRolePolicy');
    assert.deepEqual([full?.pathMatches, full?.exact], [true, true]);
    const lower = k.findManagedPolicy('service-role/amazonecstaskexecutionrolepolicy');
    assert.deepEqual([lower?.pathMatches, lower?.exact, lower?.canonical], [true, false, 'service-role/AmazonECSTaskExecutionRolePolicy']);
    const arn = k.findManagedPolicy('arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy');
    assert.deepEqual([arn?.givenPath, arn?.exact], ['service-role/', true]);
    const slash = k.findManagedPolicy('/service-role/AmazonECSTaskExecutionRolePolicy');
    assert.deepEqual([slash?.givenPath, slash?.pathMatches], ['/service-role/', false]);
  });

  test('a root-path policy by name', () => {
    const m = k.findManagedPolicy('amazonssmreadonlyaccess');
    assert.deepEqual([m?.policy.name, m?.policy.path, m?.pathMatches, m?.exact], ['AmazonSSMReadOnlyAccess', '', true, false]);
    assert.equal(k.findManagedPolicy('NoSuchPolicy'), undefined);
  });

  test('possibly retired and deprecated policies', () => {
    const retired = k.findManagedPolicy('AWSOpsWorks_FullAccess')?.policy;
    assert.deepEqual([retired?.retired, retired?.deprecated, retired?.description], [true, false, '']);
    assert.ok(k.managedPolicyDocument('AWSOpsWorks_FullAccess'), 'a retired policy keeps its last document');
    const deprecated = k.findManagedPolicy('service-role/AmazonEC2RoleforSSM')?.policy;
    assert.deepEqual([deprecated?.retired, deprecated?.deprecated], [false, true]);
    // "deprecate or delete Image Builder images" is no deprecation of the policy itself.
    assert.equal(k.findManagedPolicy('EC2ImageBuilderLifecycleExecutionPolicy')?.policy.deprecated, false);
    const list = k.listManagedPolicies();
    assert.equal(list.length, 1_610);
    assert.equal(list.filter((p) => p.retired).length, 26);
    assert.equal(list.filter((p) => p.deprecated).length, 5);
  });

  test('latest document of a policy', () => {
    const doc = k.managedPolicyDocument('service-role/AmazonECSTaskExecutionRolePolicy');
    assert.ok(doc);
    assert.equal(doc.name, 'AmazonECSTaskExecutionRolePolicy');
    assert.equal(doc.versionId, 'v1');
    assert.equal(doc.createdDate, '2017-11-16T18:48:22.000Z');
    const statements = (doc.document as { Statement: { Action: string[] }[] }).Statement;
    assert.ok(statements[0].Action.includes('ecr:GetAuthorizationToken'));
    // Policies newer than the document history have no document.
    assert.equal(k.managedPolicyDocument('CloudWatchOmniDomainAccessPolicy'), undefined);
    assert.ok(k.findManagedPolicy('CloudWatchOmniDomainAccessPolicy'));
    assert.equal(k.managedPolicyDocument('NoSuchPolicy'), undefined);
  });
});

describe('did you mean', () => {
  test('actions, within the service or the nearest services', () => {
    assert.deepEqual(k.suggestActions('s3:GetObjekt'), ['s3:GetObject']);
    assert.deepEqual(k.suggestActions('s4:GetObject'), ['s3:GetObject']);
    assert.deepEqual(k.suggestActions('ecs:RunTsak'), ['ecs:RunTask']);
    assert.deepEqual(k.suggestActions('s3:CompletelyDifferentThing'), []);
    assert.deepEqual(k.suggestActions('no-colon'), []);
  });

  test('services and managed policies', () => {
    assert.deepEqual(k.suggestServices('ecss'), ['ecs']);
    assert.deepEqual(k.suggestManagedPolicies('AmazonS3ReadOnlyAcess'), ['AmazonS3ReadOnlyAccess']);
    assert.deepEqual(k.suggestManagedPolicies('service-role/AmazonECSTaskExecutionRolePolicyy'), [
      'service-role/AmazonECSTaskExecutionRolePolicy',
    ]);
    // Retired policies are not suggested.
    assert.ok(!k.suggestManagedPolicies('AWSOpsWorks_FullAccesss').includes('AWSOpsWorks_FullAccess'));
  });
});
