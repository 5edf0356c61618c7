// "UFO: Update IAM Data" (`ufoIam.updateIamData`): asks the server to download AWS's service reference and switch to it
// (`ufoIam/updateData`, the same update as `ufo-iam update-data`, docs/data.md), with the download's progress in a
// notification, the outcome in a message and its details (services and actions added and removed, where the data
// went) in the output channel. It only downloads public data from AWS, so it is allowed in Restricted Mode; the
// other service list that `ufoIam.iamData.serviceReferenceUrl` may name is a restricted, machine-scoped setting,
// which VS Code never takes from an untrusted workspace.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { UpdateDataProgressNotification, UpdateDataRequest } from '../../../server/src/lsp/protocol';

export const UPDATE_IAM_DATA_COMMAND = 'ufoIam.updateIamData';

export interface UpdateIamDataOutcome {
  readonly ok: boolean;
  readonly message: string;
  readonly lines: readonly string[];
}

export function registerUpdateIamData(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  let report: ((done: number, total: number) => void) | undefined;
  context.subscriptions.push(
    client.onNotification(UpdateDataProgressNotification.method, (p: UpdateDataProgressNotification.Params) => report?.(p.done, p.total)),
    vscode.commands.registerCommand(UPDATE_IAM_DATA_COMMAND, async (args?: { dryRun?: boolean }): Promise<UpdateIamDataOutcome> => {
      const from = vscode.workspace.getConfiguration('ufoIam').get<string>('iamData.serviceReferenceUrl', '').trim();
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'UFO: Updating the IAM data', cancellable: false },
        async (progress) => {
          let last = 0;
          report = (done, total) => {
            progress.report({ message: `${done}/${total} services`, increment: ((done - last) / total) * 100 });
            last = done;
          };
          try {
            return await client.sendRequest<UpdateDataRequest.Result>(UpdateDataRequest.method, { ...(from ? { from } : {}), ...(args?.dryRun ? { dryRun: true } : {}) });
          } finally {
            report = undefined;
          }
        },
      );
      for (const line of result.lines) (result.ok ? output.info : output.warn).call(output, line);
      const message = result.ok ? `UFO: ${result.lines[0] ?? 'IAM data updated.'} Now using ${result.dataText}.` : `UFO: IAM data not updated: ${result.reason}. Still using ${result.dataText}.`;
      if (result.ok) void vscode.window.showInformationMessage(message);
      else void vscode.window.showErrorMessage(message);
      return { ok: result.ok, message, lines: result.lines };
    }),
  );
}
