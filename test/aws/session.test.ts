// Credentials, region and endpoint resolution through the SDK's own chain, with fake keys only; and the
// guarantee that no credential ever reaches a message, an explanation or a progress line.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPlan, type ApplyProgress } from '../../server/src/aws/apply';
import { AwsOperationError, redactSecrets } from '../../server/src/aws/awsErrors';
import { planRoles } from '../../server/src/aws/plan';
import { renderPlanText } from '../../server/src/aws/renderPlan';
import { openAwsSession } from '../../server/src/aws/session';
import { startIamEndpoint, type IamEndpoint } from '../support/iamEndpoint';
import { FAKE_CREDENTIALS, emulatorOptions, isolateAwsEnvironment, leakedSecrets, ufoRoleResource } from '../support/iamTestEnv';

let env: ReturnType<typeof isolateAwsEnvironment>;
let endpoint: IamEndpoint;
beforeEach(async () => {
  env = isolateAwsEnvironment();
  endpoint = await startIamEndpoint();
});
afterEach(async () => {
  await endpoint.close();
  env.restore();
});

const role = { logicalId: 'TaskRole' as const, roleName: 'demo-web-dev-TaskRole', resource: ufoRoleResource({ managed: ['AmazonSSMReadOnlyAccess'] }) };

/** Everything a user could see from an error. */
const visible = (e: unknown): string => {
  const err = e as AwsOperationError;
  return [String(err), err.message, err.stack ?? '', err.awsMessage, err.explanation, JSON.stringify(err)].join('\n');
};

describe('AWS session', () => {
  test('a profile from the shared files gives credentials and region', async () => {
    const profileKey = 'AKIAUFOIAMPROFILE001';
    const profileSecret = 'ufoIamProfileSecret/NeverShowThis+9876543210';
    fs.writeFileSync(path.join(env.dir, 'credentials'), `[ufo-test]\naws_access_key_id = ${profileKey}\naws_secret_access_key = ${profileSecret}\n`);
    fs.writeFileSync(path.join(env.dir, 'config'), `[profile ufo-test]\nregion = eu-west-3\n`);
    const session = await openAwsSession({ profile: 'ufo-test', endpoint: endpoint.url, maxAttempts: 1 });
    try {
      assert.equal(session.region, 'eu-west-3');
      assert.equal((await session.identity()).account, '123456789012');
      assert.deepEqual([...new Set(endpoint.requests.map((r) => r.accessKeyId))], [profileKey]);
      // A service that echoes the credentials back must not get them onto the screen.
      endpoint.inject({ action: 'GetRole', error: 'InvalidClientTokenId', message: `The security token {accessKeyId} / ${profileSecret} is invalid.` });
      const e = await planRoles({ model: { kind: 'precreated', folder: '.ufo/precreated_iam_roles', nameTemplate: '{app}-{role}-{env}-{logicalId}' }, roles: [role], blockers: [] }, session).then(
        () => assert.fail('expected a failure'),
        (err: unknown) => err,
      );
      assert.ok(e instanceof AwsOperationError);
      assert.equal(e.code, 'InvalidClientTokenId');
      assert.match(e.explanation, /did not accept the credentials/);
      const shown = visible(e);
      assert.ok(!shown.includes(profileKey) && !shown.includes(profileSecret), shown);
      assert.match(e.awsMessage, /The security token \[redacted\] \/ \[redacted\] is invalid/);
    } finally {
      session.close();
    }
  });

  test('AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_STS are honoured by the SDK itself', async () => {
    process.env.AWS_ENDPOINT_URL_IAM = endpoint.url;
    process.env.AWS_ENDPOINT_URL_STS = endpoint.url;
    const session = await openAwsSession({ region: 'us-east-1', credentials: { ...FAKE_CREDENTIALS }, maxAttempts: 1 });
    try {
      assert.equal(session.endpoint, undefined);
      const plan = await planRoles({ model: { kind: 'precreated', folder: '.ufo/precreated_iam_roles', nameTemplate: '{app}-{role}-{env}-{logicalId}' }, roles: [role], blockers: [] }, session);
      assert.equal(plan.account, '123456789012');
      assert.deepEqual(
        endpoint.requests.map((r) => `${r.service}:${r.action}`),
        ['sts:GetCallerIdentity', 'iam:GetRole'],
      );
    } finally {
      session.close();
    }
  });

  test('credentials from the environment never appear in errors, results or progress', async () => {
    process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = FAKE_CREDENTIALS.sessionToken;
    const session = await openAwsSession({ endpoint: endpoint.url, region: 'us-east-1', maxAttempts: 1 });
    try {
      assert.deepEqual([...new Set(endpoint.requests.map((r) => r.accessKeyId))], []);
      const plan = await planRoles({ model: { kind: 'precreated', folder: '.ufo/precreated_iam_roles', nameTemplate: '{app}-{role}-{env}-{logicalId}' }, roles: [role], blockers: [] }, session);
      assert.equal(endpoint.requests[0].accessKeyId, FAKE_CREDENTIALS.accessKeyId);
      const echo = `Denied for {accessKeyId} with secret ${FAKE_CREDENTIALS.secretAccessKey} and token ${FAKE_CREDENTIALS.sessionToken}: not authorized to perform: iam:AttachRolePolicy`;
      endpoint.inject({ action: 'AttachRolePolicy', error: 'AccessDenied', message: echo });
      const progress: ApplyProgress[] = [];
      const result = await applyPlan(plan, session, { onProgress: (p) => progress.push(p) });
      assert.equal(result.status, 'failed');
      assert.equal(result.failed!.error.details.missingPermission, 'iam:AttachRolePolicy');
      const everything = [result.message, visible(result.failed!.error), JSON.stringify(result), progress.map((p) => p.message).join('\n'), renderPlanText(plan)].join('\n');
      assert.deepEqual(leakedSecrets(everything), []);
      assert.match(result.failed!.error.awsMessage, /Denied for \[redacted\] with secret \[redacted\] and token \[redacted\]/);
    } finally {
      session.close();
    }
  });

  test('no credentials at all is explained before any request', async () => {
    const e = await openAwsSession({ endpoint: endpoint.url, region: 'us-east-1' }).then(
      () => assert.fail('expected a failure'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof AwsOperationError);
    assert.match(e.explanation, /No AWS credentials were found/);
    assert.deepEqual(endpoint.requests, []);
  });

  test('the region falls back to us-east-1 when nothing sets one', async () => {
    const session = await openAwsSession({ endpoint: endpoint.url, credentials: { ...FAKE_CREDENTIALS } });
    try {
      assert.equal(session.region, 'us-east-1');
    } finally {
      session.close();
    }
  });

  test('an unreachable endpoint is explained without credentials', async () => {
    const closed = await startIamEndpoint();
    const url = closed.url;
    await closed.close();
    const session = await openAwsSession({ ...emulatorOptions(endpoint), endpoint: url });
    try {
      const e = await session.identity().then(
        () => assert.fail('expected a failure'),
        (err: unknown) => err,
      );
      assert.ok(e instanceof AwsOperationError);
      assert.match(e.explanation, new RegExp(`Could not reach ${url.replace(/\./g, '\\.')}`));
      assert.deepEqual(leakedSecrets(visible(e)), []);
    } finally {
      session.close();
    }
  });

  test('redactSecrets removes known values and anything shaped like a key or signature', () => {
    const text = `key AKIAABCDEFGHIJKLMNOP, Credential=AKIAX/20260101/us-east-1/iam/aws4_request, Signature=abc123, secret s3cr3t-value-long`;
    assert.equal(
      redactSecrets(text, ['s3cr3t-value-long']),
      'key [redacted access key id], Credential=[redacted], Signature=[redacted], secret [redacted]',
    );
  });

  test('importing the AWS modules does not load the SDK', () => {
    const root = path.resolve(__dirname, '../..');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "require('./server/src/aws/index.ts'); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@aws-sdk') || k.includes('@smithy'))))"],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!), []);
  });
});
