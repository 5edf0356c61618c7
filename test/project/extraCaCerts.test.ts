// NODE_EXTRA_CA_CERTS forwarded to the server instead of loaded at its start (server/src/project/extraCaCerts.ts):
// the environment the client gives the server, and, in processes started with it, that the forwarded CA is trusted
// by fetch, https agents and the AWS SDK only once trustForwardedCaCerts has run, that a connection naming its own
// `ca` keeps it, and that the processes the server starts see the user's variable again. A throwaway CA made with
// `openssl` signs a server on 127.0.0.1; nothing else trusts it, and nothing leaves the machine.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { FORWARDED_CA_CERTS, installExtraCaCerts, pemCertificates, serverProcessEnv, type TlsModule } from '../../server/src/project/extraCaCerts';
import { ROOT } from '../support/core';
import { startIamEndpoint, type IamEndpoint } from '../support/iamEndpoint';
import { isolateAwsEnvironment } from '../support/iamTestEnv';
import { hasOpenssl, makeTestCa, type TestCa } from '../support/testCa';

describe('serverProcessEnv', () => {
  test('NODE_EXTRA_CA_CERTS set: emptied (the client merges over its own environment), its path forwarded', () => {
    const env = Object.freeze({ PATH: '/usr/bin', NODE_EXTRA_CA_CERTS: '/etc/corp/ca.pem' });
    const out = serverProcessEnv(env);
    assert.deepEqual(out, { PATH: '/usr/bin', NODE_EXTRA_CA_CERTS: '', [FORWARDED_CA_CERTS]: '/etc/corp/ca.pem' });
    assert.equal(FORWARDED_CA_CERTS, 'UFO_IAM_EXTRA_CA_CERTS');
    assert.deepEqual(env, { PATH: '/usr/bin', NODE_EXTRA_CA_CERTS: '/etc/corp/ca.pem' });
  });

  test('unset or empty: the environment as it is, in a copy', () => {
    for (const env of [{ PATH: '/usr/bin' }, { PATH: '/usr/bin', NODE_EXTRA_CA_CERTS: '' }]) {
      const before = { ...env };
      const out = serverProcessEnv(Object.freeze(env));
      assert.deepEqual(out, before);
      assert.notEqual(out, env);
      assert.ok(!(FORWARDED_CA_CERTS in out));
    }
  });
});

describe('installExtraCaCerts', () => {
  const pem = (body: string): string => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;

  test('where Node can set its default store, the default roots plus the new certificates, the known ones once', () => {
    let set: string[] | undefined;
    const fake: TlsModule = {
      createSecureContext: () => assert.fail('not wrapped, not called'),
      rootCertificates: [],
      getCACertificates: (type) => (assert.equal(type, 'default'), [pem('QUFB'), pem('QkJC')]),
      setDefaultCACertificates: (certs) => void (set = certs),
    };
    const before = fake.createSecureContext;
    installExtraCaCerts(fake, [pem('Q0ND'), `-----BEGIN CERTIFICATE-----\nQk\nJC\n-----END CERTIFICATE-----`]);
    assert.deepEqual(set, [pem('QUFB'), pem('QkJC'), pem('Q0ND')]);
    assert.equal(fake.createSecureContext, before);
  });

  test('Node 20: contexts without `ca` get the certificates the bundled roots lack; contexts with `ca` nothing', () => {
    const added: string[] = [];
    const fake: TlsModule = {
      createSecureContext: () => ({ context: { addCACert: (p: string) => void added.push(p) } }) as never,
      rootCertificates: [pem('QUFB')],
    };
    const original = fake.createSecureContext;
    installExtraCaCerts(fake, [`-----BEGIN CERTIFICATE-----\nQU\nFB\n-----END CERTIFICATE-----`, pem('Q0ND')]);
    assert.notEqual(fake.createSecureContext, original);
    fake.createSecureContext();
    fake.createSecureContext({ ca: undefined, minVersion: 'TLSv1.2' });
    assert.deepEqual(added, [pem('Q0ND'), pem('Q0ND')]);
    fake.createSecureContext({ ca: pem('RERE') });
    fake.createSecureContext({ ca: [] });
    assert.equal(added.length, 2);
    // Nothing the bundled roots lack: nothing wrapped.
    const plain: TlsModule = { createSecureContext: original, rootCertificates: [pem('QUFB')] };
    installExtraCaCerts(plain, [pem('QUFB')]);
    assert.equal(plain.createSecureContext, original);
  });

  test('the PEM blocks of a file, whatever lies between them', () => {
    assert.deepEqual(pemCertificates(`# a bundle\n${pem('QUFB')}\nsubject=x\n${pem('QkJC')}\n-----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----\n`), [pem('QUFB'), pem('QkJC')]);
    assert.deepEqual(pemCertificates(''), []);
  });
});

const openssl = hasOpenssl();

describe('a process started with serverProcessEnv', { skip: !openssl && 'the openssl command is not installed' }, () => {
  let dir: string;
  let ca: TestCa;
  let server: https.Server;
  let url: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-ca-'));
    ca = makeTestCa(dir);
    server = https.createServer({ key: ca.key, cert: ca.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the child script in `env` (asynchronously: this process serves its requests); its JSON answer. */
  const child = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', 'test/support/extraCaCertsChild.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Record<string, unknown>),
      );
    });

  test('fetch and https agents trust the forwarded CA after trustForwardedCaCerts, not before; an explicit `ca` is kept; children see NODE_EXTRA_CA_CERTS', async () => {
    const r = await child(serverProcessEnv({ ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile }), 'server', url, ca.caFile);
    assert.deepEqual(r.atStart, { NODE_EXTRA_CA_CERTS: '', UFO_IAM_EXTRA_CA_CERTS: ca.caFile });
    assert.deepEqual(r.restored, { NODE_EXTRA_CA_CERTS: ca.caFile, UFO_IAM_EXTRA_CA_CERTS: null });
    assert.deepEqual(r.child, { NODE_EXTRA_CA_CERTS: ca.caFile, UFO_IAM_EXTRA_CA_CERTS: null });
    assert.equal(r.fetchBefore, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(r.fetchAfter, 'ok');
    assert.equal(r.agentAfter, 'ok');
    assert.equal(r.explicitCaWithout, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(r.explicitCaWith, 'ok');
    assert.equal(r.wrappedOnce, true, 'a second call changes nothing');
    assert.deepEqual(r.warnings, []);
  });

  test('a bundle of the usual roots plus the CA, as corporate files are: the CA is trusted, no warning', async () => {
    const bundle = path.join(dir, 'bundle.pem');
    fs.writeFileSync(bundle, [...tls.rootCertificates, ca.caPem].join('\n'));
    const r = await child(serverProcessEnv({ ...process.env, NODE_EXTRA_CA_CERTS: bundle }), 'server', url, ca.caFile);
    assert.equal(r.fetchBefore, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(r.fetchAfter, 'ok');
    assert.equal(r.agentAfter, 'ok');
    assert.equal(r.explicitCaWithout, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.deepEqual(r.warnings, []);
  });

  test('a forwarded file that cannot be read: one warning, no crash, the default roots', async () => {
    const missing = path.join(dir, 'no-such-ca.pem');
    const r = await child(serverProcessEnv({ ...process.env, NODE_EXTRA_CA_CERTS: missing }), 'server', url, ca.caFile);
    assert.equal(r.fetchAfter, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(r.explicitCaWith, 'ok');
    assert.equal((r.warnings as string[]).length, 1, String(r.warnings));
    assert.match((r.warnings as string[])[0]!, /ignoring extra certs from `.*no-such-ca\.pem` \(NODE_EXTRA_CA_CERTS\), load failed: ENOENT/);
  });

  test('the CLI, started by a shell with NODE_EXTRA_CA_CERTS: nothing forwarded, nothing wrapped, Node trusts the file itself', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile };
    delete env[FORWARDED_CA_CERTS];
    assert.deepEqual(await child(env, 'cli', url), { unchanged: true, fetch: 'ok', warnings: [] });
  });

  test("the IAM data update's downloads trust the forwarded CA: the answer is read (and is not a service list)", async () => {
    const r = await child(serverProcessEnv({ ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile }), 'update', url);
    assert.match(String(r.reason), /is not valid JSON/);
  });

  describe('the AWS SDK', () => {
    let aws: ReturnType<typeof isolateAwsEnvironment>;
    let endpoint: IamEndpoint;
    before(async () => {
      aws = isolateAwsEnvironment();
      endpoint = await startIamEndpoint({ tls: { key: ca.key, cert: ca.cert }, managedPolicyArns: [] });
    });
    after(async () => {
      await endpoint.close();
      aws.restore();
    });

    test('openAwsSession trusts the forwarded CA: STS over HTTPS answers', async () => {
      assert.match(endpoint.url, /^https:\/\/127\.0\.0\.1:/);
      const r = await child(serverProcessEnv({ ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile }), 'aws', endpoint.url);
      assert.deepEqual(r, { identity: '123456789012' });
    });

    test('without the forwarded variable the same call fails on the certificate: the CA is trusted through it alone', async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: '' };
      delete env[FORWARDED_CA_CERTS];
      const r = await child(env, 'aws', endpoint.url);
      assert.match(String(r.error), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate/i);
    });
  });
});
