// What the extension starts the server with (client/src/serverOptions.ts): both configurations fork the launcher in
// serverProcessEnv's environment, NODE_EXTRA_CA_CERTS forwarded rather than loaded at the server's start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageServerOptions } from '../../client/src/serverOptions';
import { FORWARDED_CA_CERTS } from '../../server/src/project/extraCaCerts';
import { ROOT } from '../support/core';

const IPC = 1; // TransportKind.ipc: vscode-languageclient/node cannot be loaded outside VS Code.

test('run and debug get NODE_EXTRA_CA_CERTS emptied and forwarded; debug keeps its inspector flags', () => {
  const env = Object.freeze({ PATH: '/usr/bin', NODE_EXTRA_CA_CERTS: '/etc/corp/ca.pem' });
  const o = languageServerOptions('/ext/dist/server.js', IPC, env);
  const expected = { PATH: '/usr/bin', NODE_EXTRA_CA_CERTS: '', [FORWARDED_CA_CERTS]: '/etc/corp/ca.pem' };
  assert.deepEqual(o.run, { module: '/ext/dist/server.js', transport: IPC, options: { env: expected } });
  assert.deepEqual(o.debug, { module: '/ext/dist/server.js', transport: IPC, options: { env: expected, execArgv: ['--nolazy', '--inspect=6019'] } });
  assert.equal(env.NODE_EXTRA_CA_CERTS, '/etc/corp/ca.pem');
});

test("without NODE_EXTRA_CA_CERTS the server gets the extension host's environment as it is", () => {
  const o = languageServerOptions('/ext/dist/server.js', IPC, { PATH: '/usr/bin' });
  assert.deepEqual(o.run.options?.env, { PATH: '/usr/bin' });
  assert.deepEqual(o.debug.options?.env, { PATH: '/usr/bin' });
});

test('by default, the extension host\'s own environment', () => {
  const saved = process.env.NODE_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
  try {
    const env = languageServerOptions('/ext/dist/server.js', IPC).run.options?.env;
    assert.equal(env?.NODE_EXTRA_CA_CERTS, '');
    assert.equal(env?.[FORWARDED_CA_CERTS], '/etc/ssl/certs/ca-certificates.crt');
    assert.equal(env?.PATH, process.env.PATH);
  } finally {
    if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = saved;
  }
});

test('the extension starts its LanguageClient with these options', () => {
  // extension.ts needs vscode to run; what it passes is read from its text.
  const text = fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
  assert.match(text, /const serverOptions: ServerOptions = languageServerOptions\(serverModule, TransportKind\.ipc\);/);
  assert.match(text, /new LanguageClient\('ufoIam', 'UFO IAM', serverOptions, clientOptions\)/);
});
