// `ufoIam/updateData` ("UFO: Update IAM Data"): runs the update of `ufo-iam update-data` (project/iamDataUpdate.ts)
// in the server and, when it stored new data, switches the process's IamKnowledge to it without a restart. The
// caches of findings, completion lists and descriptions are keyed by the IamKnowledge instance, so they fall away
// with the old one; the caller re-publishes the open documents' diagnostics (`afterSwitch`).
import type { UpdateDataRequest } from '../lsp/protocol';
import { describeUpdate, updateIamData } from '../project/iamDataUpdate';
import { describeIamData, getIam, reloadIam } from '../project/iamInstance';
import { resetIamFailure } from './diagnostics';

export interface UpdateDataHooks {
  readonly onProgress: (done: number, total: number) => void;
  readonly afterSwitch: () => void;
}

export async function provideUpdateData(params: UpdateDataRequest.Params, hooks: UpdateDataHooks): Promise<UpdateDataRequest.Result> {
  if (params.from !== undefined && typeof params.from !== 'string') return { ok: false, reason: 'from must be a string', lines: ['from must be a string'], dataText: dataText() };
  const result = await updateIamData({
    ...(params.from ? { from: params.from } : {}),
    dryRun: params.dryRun === true,
    onProgress: hooks.onProgress,
  });
  if (result.ok && result.stored) {
    reloadIam();
    resetIamFailure();
    hooks.afterSwitch();
  }
  return { ok: result.ok, ...(result.ok ? {} : { reason: result.reason }), lines: describeUpdate(result), dataText: dataText() };
}

function dataText(): string {
  const p = getIam().provenance;
  return describeIamData(p.dataDate, p.serviceReference?.url, Date.now());
}
