// `--format sarif`: SARIF 2.1.0 for code scanning (GitHub uploads it with github/codeql-action/upload-sarif).
// The rules come from the rule table with their help URIs; locations are relative to the working directory
// (`%SRCROOT%`), with columns in UTF-16 code units as the run declares.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Severity, CODES, RULES, type Code } from '../../core';
import type { Problem } from './problem';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function level(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function ruleName(code: string): string {
  return code
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

export function formatSarif(problems: readonly Problem[], options: { cwd: string; version: string }): string {
  const index = new Map<string, number>(CODES.map((c, i) => [c, i]));
  const rules = CODES.map((code: Code) => {
    const r = RULES[code] as (typeof RULES)[Code] & { docs?: string };
    const rule: Record<string, unknown> = {
      id: code,
      name: ruleName(code),
      shortDescription: { text: r.summary },
      defaultConfiguration: { level: level(r.severity) },
      properties: { tags: r.family === 'security' || r.summary.startsWith('Security:') ? [r.family, 'security'] : [r.family] },
    };
    if (r.docs) rule.helpUri = r.docs;
    return rule;
  });
  const results = problems.map((p) => ({
    ruleId: p.code,
    ruleIndex: index.get(p.code),
    level: level(p.severity),
    message: { text: p.message },
    locations: [
      {
        physicalLocation: {
          // A file outside the working directory keeps its absolute URI.
          artifactLocation: path.isAbsolute(p.file) ? { uri: pathToFileURL(p.file).href } : { uri: encodeURI(p.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
        },
      },
    ],
  }));
  const root = pathToFileURL(options.cwd).href;
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ufo-iam', version: options.version, informationUri: 'https://github.com/boltops-tools/ufo', rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: root.endsWith('/') ? root : `${root}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
