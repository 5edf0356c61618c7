// Starts the IAM Query-API emulator (test/support/iamEndpoint.ts, run with tsx) on 127.0.0.1 for the
// real-VS-Code runs, and builds the environment that points the extension host, and whatever it
// spawns, at it with dummy credentials, so nothing can reach a real AWS account.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { repoRoot } from './compileSuite.mjs';
import { killGroup, onShutdown, spawnGroup } from './processes.mjs';

const START_TIMEOUT_MS = 15_000;

/**
 * Starts the emulator when test/support/iamEndpoint.ts exists; resolves its URL, or undefined (with a
 * warning) when it is missing or does not start. It is stopped by processes.mjs's shutdown.
 */
export async function startIamEmulator({ log = console.warn } = {}) {
  const source = path.join(repoRoot, 'test', 'support', 'iamEndpoint.ts');
  if (!fs.existsSync(source)) return undefined;
  const tsxCli = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawnGroup(process.execPath, [tsxCli, source, '--port', '0', '--host', '127.0.0.1'], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  // The emulator prints its URL on the first line of stdout.
  const url = await Promise.race([
    new Promise((resolve) => readline.createInterface({ input: child.stdout }).once('line', (l) => resolve(l.trim()))),
    new Promise((resolve) => child.on('exit', () => resolve(undefined))),
    new Promise((resolve) => setTimeout(() => resolve(undefined), START_TIMEOUT_MS)),
  ]);
  if (!url || !/^http:\/\//.test(url)) {
    log(`warning: the IAM emulator did not start (tests that need UFO_IAM_E2E_IAM_ENDPOINT will fail): ${stderr.trim() || `no URL printed within ${START_TIMEOUT_MS / 1000} s`}`);
    await killGroup(child);
    return undefined;
  }
  child.stdout.resume();
  onShutdown(() => killGroup(child));
  return url;
}

/**
 * AWS settings for the test extension host: dummy credentials, a fixed region, no profile or config
 * file, and every endpoint at the emulator when it runs. Undefined values remove inherited variables.
 */
export function awsTestEnv(iamUrl) {
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIAUFOIAME2ETEST000',
    AWS_SECRET_ACCESS_KEY: 'ufo-iam-e2e-not-a-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (iamUrl) {
    Object.assign(env, {
      UFO_IAM_E2E_IAM_ENDPOINT: iamUrl,
      AWS_ENDPOINT_URL: iamUrl,
      AWS_ENDPOINT_URL_IAM: iamUrl,
      AWS_ENDPOINT_URL_STS: iamUrl,
      AWS_ENDPOINT_URL_CLOUDFORMATION: iamUrl,
    });
  }
  return env;
}
