// In-process runs of the CLI's subcommands for AWS tests: a CliIo that keeps what they print, and the fixture
// projects of both apply targets (docs/apply.md) made from the stock ones by moving their role files.
import { afterEach, beforeEach } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../server/src/cli/io';
import { startIamEndpoint, type IamEndpoint } from './iamEndpoint';
import { isolateAwsEnvironment, useFakeCredentials } from './iamTestEnv';

const FIXTURES = path.resolve(__dirname, '../fixtures/aws/projects');

/** A CliIo in `cwd` with an empty environment, collecting stdout and stderr. */
export function captureIo(cwd: string): CliIo & { out: string; err: string } {
  const io = { cwd, env: {} as NodeJS.ProcessEnv, out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

/** Moves files inside a project (project-relative paths), making the folders they go to. */
export function moveFiles(root: string, moves: Record<string, string>): void {
  for (const [from, to] of Object.entries(moves)) {
    fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    fs.renameSync(path.join(root, from), path.join(root, to));
  }
}

const PRE = '.ufo/precreated_iam_roles';

/**
 * Beside copies of test/fixtures/aws/projects in `work`: `precreated-v6` and `precreated-v5` (demo-v6's and
 * v5-project's role files in the pre-created folder) and `both-v6` (demo-v6 with only its execution role moved there).
 */
export function addTargetFixtures(work: string): void {
  const derive = (from: string, to: string, moves: Record<string, string>) => {
    fs.cpSync(path.join(work, from), path.join(work, to), { recursive: true });
    moveFiles(path.join(work, to), moves);
  };
  const V6 = '.ufo/resources/iam_roles';
  derive('demo-v6', 'precreated-v6', { [`${V6}/task_role.rb`]: `${PRE}/task_role.rb`, [`${V6}/execution_role.rb`]: `${PRE}/execution_role.rb` });
  derive('v5-project', 'precreated-v5', { '.ufo/iam_roles/execution_role.rb': `${PRE}/execution_role.rb` });
  derive('demo-v6', 'both-v6', { [`${V6}/execution_role.rb`]: `${PRE}/execution_role.rb` });
}

/**
 * Each test of the calling file gets an isolated AWS environment with fake credentials in it (as a user's default
 * chain would read them), a fresh local endpoint, and a scratch copy of the fixture projects with the target fixtures.
 * Read the fields inside tests (they change per test).
 */
export function cliAwsWorkspace(): { endpoint: IamEndpoint; work: string; ep: () => string[] } {
  const ctx = { endpoint: undefined as unknown as IamEndpoint, work: '', ep: () => ['--endpoint', ctx.endpoint.url, '--region', 'us-east-1'] };
  let env: ReturnType<typeof isolateAwsEnvironment>;
  beforeEach(async () => {
    env = isolateAwsEnvironment();
    useFakeCredentials();
    ctx.endpoint = await startIamEndpoint();
    ctx.work = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-cli-'));
    fs.cpSync(FIXTURES, ctx.work, { recursive: true });
    addTargetFixtures(ctx.work);
  });
  afterEach(async () => {
    await ctx.endpoint.close();
    fs.rmSync(ctx.work, { recursive: true, force: true });
    env.restore();
  });
  return ctx;
}
