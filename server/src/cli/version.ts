// `ufo-iam --version`: the package version and the provenance of the IAM data it ships.
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const __UFO_IAM_VERSION__: string | undefined;

export function VERSION_TEXT(): string {
  const version = typeof __UFO_IAM_VERSION__ === 'string' ? __UFO_IAM_VERSION__ : readPackageVersion();
  const lines = [`ufo-iam ${version}`];
  try {
    const index = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'iam-index.json'), 'utf8'));
    const p = index.provenance;
    if (p) for (const [k, v] of Object.entries(p)) lines.push(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
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
