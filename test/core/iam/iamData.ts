// Shared by the IAM data tests: the dist/data directory of `npm run build`, built here when it is missing.
// Building goes to a temporary folder that is then renamed into place, so two test files that start at the same
// time cannot read each other's half-written output.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IamKnowledge, type DataLoader } from '../../../server/src/core/iam/iamKnowledge';

export const ROOT = path.resolve(__dirname, '../../..');
export const DATA_DIR = path.join(ROOT, 'dist/data');

export interface BuildSummary {
  millis: number;
  counts: Record<string, number>;
  files: { file: string; bytes: number }[];
}

/** Runs scripts/buildIamData.mjs into `outDir`. */
export async function runBuild(outDir: string): Promise<BuildSummary> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'scripts/buildIamData.mjs')).href)) as {
    buildIamData(o: { root: string; outDir: string; quiet?: boolean }): Promise<BuildSummary>;
  };
  return mod.buildIamData({ root: ROOT, outDir, quiet: true });
}

let ready: Promise<string> | undefined;

/** dist/data, built first if `npm run build` has not made it. */
export function ensureDataDir(): Promise<string> {
  ready ??= (async () => {
    if (fs.existsSync(path.join(DATA_DIR, 'iam-index.json'))) return DATA_DIR;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-data-'));
    await runBuild(tmp);
    fs.mkdirSync(path.dirname(DATA_DIR), { recursive: true });
    try {
      fs.renameSync(tmp, DATA_DIR);
    } catch {
      // Another test process put its build there first; both came from the same inputs.
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return DATA_DIR;
  })();
  return ready;
}

/** A loader over a data directory that counts what it loads. */
export function fileLoader(dir: string, loaded: string[] = []): DataLoader {
  return (relativePath) => {
    loaded.push(relativePath);
    return JSON.parse(fs.readFileSync(path.join(dir, relativePath), 'utf8'));
  };
}

let shared: IamKnowledge | undefined;

/** One IamKnowledge over dist/data for the tests of one file. */
export async function knowledge(): Promise<IamKnowledge> {
  const dir = await ensureDataDir();
  shared ??= new IamKnowledge(fileLoader(dir));
  return shared;
}
