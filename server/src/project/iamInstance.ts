// The one IamKnowledge of a process, reading the compacted data that ships beside the bundle
// (dist/data/), or the repository's dist/data when running from source (tests). Files are read on
// first use: the index at the first query, a service's details on its first hover or check.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IamKnowledge } from '../core';

let instance: IamKnowledge | undefined;

export function iamDataDir(): string {
  const candidates = [path.join(__dirname, 'data'), path.join(__dirname, '..', '..', '..', 'dist', 'data'), path.join(process.cwd(), 'dist', 'data')];
  const found = candidates.find((c) => fs.existsSync(path.join(c, 'iam-index.json')));
  if (!found) throw new Error(`IAM data not found (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

export function getIam(): IamKnowledge {
  if (!instance) {
    const dir = iamDataDir();
    instance = new IamKnowledge((rel) => JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8')));
  }
  return instance;
}
