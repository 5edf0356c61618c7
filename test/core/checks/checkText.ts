// Runs the checks over a text the way the editor and the CLI do (runChecks with the real IAM data), in a
// project context given by a fixture header.
import { analyze } from '../../support/core';
import { runChecks, type SeverityOverrides } from '../../../server/src/core/checks';
import type { Finding } from '../../../server/src/core/findings';
import type { RoleFileAnalysis } from '../../../server/src/core/analysis';
import { classifyFile, resolveLayout } from '../../../server/src/core/layout/projectLayout';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import type { FixtureHeader } from './annotations';

export interface Located extends Finding {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly endLine: number;
}

export function roleFilePath(header: FixtureHeader): string {
  const role = header.role ?? 'task_role';
  return header.path ?? ((header.version ?? 6) === 5 ? `.ufo/iam_roles/${role}.rb` : `.ufo/resources/iam_roles/${role}.rb`);
}

export function checkText(text: string, header: FixtureHeader, iam: IamKnowledge | undefined, severities?: SeverityOverrides): { analysis: RoleFileAnalysis; findings: Located[] } {
  const analysis = analyze(text);
  const path = roleFilePath(header);
  const layout = resolveLayout({ files: [path], version: header.version ?? 6 });
  const fileRole = classifyFile(path, layout);
  const findings = runChecks({
    analysis,
    fileRole,
    version: layout.version,
    iam,
    severities,
  });
  return {
    analysis,
    findings: findings.map((f) => {
      const s = analysis.lineIndex.positionOfByte(f.span.start);
      const e = analysis.lineIndex.positionOfByte(f.span.end);
      return { ...f, line: s.line, start: s.character, endLine: e.line, end: e.character };
    }),
  };
}
