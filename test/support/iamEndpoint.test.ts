// The IAM emulator behaves like IAM where ufo-iam depends on it, seen through the real SDK.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startIamEndpoint, type IamEndpoint } from './iamEndpoint';
import { FAKE_CREDENTIALS, isolateAwsEnvironment, UFO_TRUST_POLICY } from './iamTestEnv';

let env: ReturnType<typeof isolateAwsEnvironment>;
before(() => (env = isolateAwsEnvironment()));
after(() => env.restore());

const clientFor = (endpoint: IamEndpoint | string, maxAttempts = 1): IAMClient =>
  new IAMClient({ endpoint: typeof endpoint === 'string' ? endpoint : endpoint.url, region: 'us-east-1', credentials: { ...FAKE_CREDENTIALS }, maxAttempts });

async function withClient(fn: (iam: IAMClient, endpoint: IamEndpoint) => Promise<void>, options = {}): Promise<void> {
  const endpoint = await startIamEndpoint(options);
  const iam = clientFor(endpoint);
  try {
    await fn(iam, endpoint);
  } finally {
    iam.destroy();
    await endpoint.close();
  }
}

const trust = JSON.stringify(UFO_TRUST_POLICY);
const policy = (n = 1) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [`s3:GetObject${n}`], Resource: '*' }] });
const failure = async (p: Promise<unknown>): Promise<any> =>
  p.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );

describe('IAM emulator', () => {
  test('documents come back URL-encoded, exactly as sent', () =>
    withClient(async (iam) => {
      const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::a b+c%ü' }] });
      const created = await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }));
      assert.equal(created.Role!.Arn, 'arn:aws:iam::123456789012:role/r');
      assert.equal(decodeURIComponent(created.Role!.AssumeRolePolicyDocument!), trust);
      await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'p', PolicyDocument: doc }));
      const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'p' }));
      assert.notEqual(got.PolicyDocument, doc);
      assert.equal(decodeURIComponent(got.PolicyDocument!), doc);
      assert.ok(got.$metadata.requestId);
    }));

  test('errors: NoSuchEntity, EntityAlreadyExists, DeleteConflict, with the x-amzn-requestid header', () =>
    withClient(async (iam) => {
      const missing = await failure(iam.send(new GetRoleCommand({ RoleName: 'nope' })));
      assert.equal(missing.name, 'NoSuchEntityException');
      assert.equal(missing.$metadata.httpStatusCode, 404);
      assert.match(missing.$metadata.requestId, /^[0-9a-f-]{36}$/);
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }));
      const dup = await failure(iam.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trust })));
      assert.equal(dup.name, 'EntityAlreadyExistsException');
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
      const conflict = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'r' })));
      assert.equal(conflict.name, 'DeleteConflictException');
      const notAttached = await failure(iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })));
      assert.equal(notAttached.name, 'NoSuchEntityException');
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'r' }));
    }));

  test('only seeded managed policies can be attached; the default seed is the AWS list', () =>
    withClient(async (iam, endpoint) => {
      assert.ok(endpoint.state.managedPolicies.size > 1000);
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
      const unknown = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy' })));
      assert.equal(unknown.name, 'NoSuchEntityException');
      assert.match(unknown.message, /does not exist or is not attachable/);
    }));

  test('a custom seed replaces the default set', () =>
    withClient(
      async (iam, endpoint) => {
        assert.equal(endpoint.state.managedPolicies.size, 2);
        await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }));
        await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::123456789012:policy/team/Mine' }));
        const e = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })));
        assert.equal(e.name, 'NoSuchEntityException');
      },
      { managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/team/Mine'] },
    ));

  test('LimitExceeded: 10 managed policies per role, 10,240 non-whitespace inline characters per role', () =>
    withClient(async (iam, endpoint) => {
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }));
      const arns = [...endpoint.state.managedPolicies.keys()].slice(0, 11);
      for (const arn of arns.slice(0, 10)) await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: arn }));
      const tooMany = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: arns[10] })));
      assert.equal(tooMany.name, 'LimitExceededException');
      assert.match(tooMany.message, /PoliciesPerRole: 10/);
      // Re-attaching an attached policy is not an error (IAM is idempotent here).
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: arns[0] }));

      const sized = (chars: number): string => {
        const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '' }] });
        return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(chars - base.length) }] }, null, 8);
      };
      await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'a', PolicyDocument: sized(6000) }));
      // Whitespace does not count: the pretty-printed document is well over 4,240 characters.
      await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'b', PolicyDocument: sized(4240) }));
      const over = await failure(iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'c', PolicyDocument: sized(100) })));
      assert.equal(over.name, 'LimitExceededException');
      assert.match(over.message, /Maximum policy size of 10240 bytes exceeded for role r/);
      // Replacing a policy counts its new size, not old plus new.
      await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'b', PolicyDocument: sized(4000) }));
    }));

  test('MalformedPolicyDocument for invalid JSON, missing Statement or Effect, and a trust policy without Principal', () =>
    withClient(async (iam) => {
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }));
      const cases: Array<[string, RegExp]> = [
        ['{"Version": "2012-10-17", "Statement": [', /Syntax errors in policy/],
        ['{"Version": "2012-10-17"}', /Missing required field Statement/],
        ['{"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]}', /Missing required field Effect/],
        ['{"Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}', /prefaced by a vendor/],
      ];
      for (const [doc, message] of cases) {
        const e = await failure(iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'p', PolicyDocument: doc })));
        assert.equal(e.name, 'MalformedPolicyDocumentException', doc);
        assert.match(e.message, message);
      }
      const badTrust = await failure(
        iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'r', PolicyDocument: '{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}' })),
      );
      assert.equal(badTrust.name, 'MalformedPolicyDocumentException');
      const badName = await failure(iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: trust })));
      assert.equal(badName.name, 'ValidationError');
    }));

  test('pagination honours a small page size and MaxItems', () =>
    withClient(
      async (iam) => {
        await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
        for (const n of [1, 2, 3]) await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: `p${n}`, PolicyDocument: policy(n) }));
        const names: string[] = [];
        let marker: string | undefined;
        let pages = 0;
        do {
          const out = await iam.send(new ListRolePoliciesCommand({ RoleName: 'r', Marker: marker, MaxItems: 100 }));
          names.push(...out.PolicyNames!);
          assert.ok(out.PolicyNames!.length <= 2);
          marker = out.IsTruncated ? out.Marker : undefined;
          pages++;
        } while (marker);
        assert.deepEqual(names, ['p1', 'p2', 'p3']);
        assert.equal(pages, 2);
        const one = await iam.send(new ListRoleTagsCommand({ RoleName: 'r', MaxItems: 1 }));
        assert.deepEqual([one.Tags!.length, one.IsTruncated], [1, true]);
        const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r' }));
        assert.deepEqual([attached.AttachedPolicies, attached.IsTruncated], [[], false]);
        await iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'a', Value: 'changed' }] }));
        const tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'r' }));
        assert.deepEqual(tags.Tags, [
          { Key: 'a', Value: 'changed' },
          { Key: 'b', Value: '2' },
        ]);
      },
      { pageSize: 2 },
    ));

  test('injected AccessDenied and Throttling hit the chosen action the chosen number of times', () =>
    withClient(async (iam, endpoint) => {
      endpoint.inject({ action: 'GetRole', error: 'AccessDenied', times: 2 });
      for (let i = 0; i < 2; i++) {
        const e = await failure(iam.send(new GetRoleCommand({ RoleName: 'x' })));
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata.httpStatusCode, 403);
        assert.match(e.message, /not authorized to perform: iam:GetRole on resource: role x/);
      }
      assert.equal((await failure(iam.send(new GetRoleCommand({ RoleName: 'x' })))).name, 'NoSuchEntityException');

      endpoint.inject({ action: 'CreateRole', error: 'Throttling' });
      const retrying = clientFor(endpoint, 2);
      try {
        const out = await retrying.send(new CreateRoleCommand({ RoleName: 't', AssumeRolePolicyDocument: trust }));
        assert.equal(out.$metadata.attempts, 2);
      } finally {
        retrying.destroy();
      }
      assert.deepEqual(
        endpoint.requests.filter((r) => r.action === 'CreateRole').map((r) => r.errorCode ?? 'ok'),
        ['Throttling', 'ok'],
      );
    }));

  test('STS GetCallerIdentity returns the fixed account', () =>
    withClient(async (_iam, endpoint) => {
      const sts = new STSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { ...FAKE_CREDENTIALS }, maxAttempts: 1 });
      try {
        const me = await sts.send(new GetCallerIdentityCommand({}));
        assert.equal(me.Account, '123456789012');
        assert.match(me.Arn!, /^arn:aws:iam::123456789012:/);
      } finally {
        sts.destroy();
      }
      assert.deepEqual(endpoint.requests.map((r) => [r.service, r.accessKeyId]), [['sts', FAKE_CREDENTIALS.accessKeyId]]);
    }));

  test('runs standalone: prints its URL, serves the SDK and the control API, stops on SIGTERM', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/iamEndpoint.ts', '--port', '0', '--page-size', '1'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
        setTimeout(() => reject(new Error('no URL within 20 s')), 20_000).unref();
      });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const seeded: any = await (await fetch(`${url}/__emulator/seed-role`, { method: 'POST', body: JSON.stringify({ roleName: 'seeded', tags: { a: '1', b: '2' } }) })).json();
      assert.equal(seeded.arn, 'arn:aws:iam::123456789012:role/seeded');
      await fetch(`${url}/__emulator/inject`, { method: 'POST', body: JSON.stringify({ action: 'ListRoleTags', error: 'AccessDenied' }) });
      const iam = clientFor(url);
      try {
        assert.equal((await failure(iam.send(new ListRoleTagsCommand({ RoleName: 'seeded' })))).name, 'AccessDenied');
        const page = await iam.send(new ListRoleTagsCommand({ RoleName: 'seeded' }));
        assert.deepEqual([page.Tags!.length, page.IsTruncated], [1, true]);
      } finally {
        iam.destroy();
      }
      const state: any = await (await fetch(`${url}/__emulator/state`)).json();
      assert.deepEqual(state.roles.map((r: { roleName: string }) => r.roleName), ['seeded']);
      assert.deepEqual(state.requests.map((r: { action: string }) => r.action), ['ListRoleTags', 'ListRoleTags']);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
