// `ufoIam/status`: what the status bar shows for a role file or template: the IAM data's date, source and age, the project's UFO
// version and apply target, and the count of the file's findings by severity (the diagnostics' own findings, so the
// two cannot disagree).
import type { RoleFileAnalysis, Severity } from '../core';
import type { StatusRequest } from '../lsp/protocol';
import { describeTarget } from '../project/planProject';
import type { FileContext } from '../project/fileContext';
import type { Settings } from '../settings';
import { describeIamData } from '../project/iamInstance';
import { computeFindings, iamOrUndefined } from './diagnostics';

export function provideStatus(analysis: RoleFileAnalysis | undefined, ctx: FileContext, settings: Settings): StatusRequest.Result {
  const iam = iamOrUndefined();
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  if (analysis) for (const f of computeFindings(analysis, ctx, settings, iam)) counts[f.severity ?? 'error']++;
  return {
    ...(iam
      ? { dataDate: iam.provenance.dataDate, dataSource: iam.provenance.source, dataText: describeIamData(iam.provenance.dataDate, iam.provenance.serviceReference?.url, Date.now()) }
      : {}),
    ...(ctx.project ? { ufoVersion: ctx.project.version, target: ctx.project.target.target ?? 'unchosen', targetText: describeTarget(ctx.project) } : {}),
    counts,
  };
}
