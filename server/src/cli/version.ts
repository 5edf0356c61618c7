// `ufo-iam --version`: the package version, which IAM data the CLI uses (bundled, or downloaded by
// `ufo-iam update-data`) and how old it is, and that data's provenance.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeIamData, getIam, iamDataInfo } from '../project/iamInstance';

declare const __UFO_IAM_VERSION__: string | undefined;

export function VERSION_TEXT(now = Date.now()): string {
  const version = typeof __UFO_IAM_VERSION__ === 'string' ? __UFO_IAM_VERSION__ : readPackageVersion();
  const lines = [`ufo-iam ${version}`];
  try {
    const p = getIam().provenance;
    const info = iamDataInfo();
    lines.push(`  ${describeIamData(p.dataDate, p.serviceReference?.url, now)}`);
    if (info.note) lines.push(`  note: ${info.note}`);
    lines.push(`  data folder: ${info.dir}`);
    for (const [k, v] of Object.entries(p)) {
      if (k === 'dataDate' || k === 'managedPoliciesDate' || k === 'source') continue;
      lines.push(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    }
  } catch {
    lines.push('  IAM data: not found beside the CLI');
  }
  return lines.join('\n');
}

function readPackageVersion(): string {
  for (const p of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      return JSON.parse(fs.readFileSync(p, 'utf8')).version;
    } catch {
      /* try the next */
    }
  }
  return 'unknown';
}
