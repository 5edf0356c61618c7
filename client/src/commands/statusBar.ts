// The status bar item of role files: the project's UFO version and apply target, the date of the IAM data, and the
// file's findings (errors and warnings); a click opens the preview. Everything shown comes from the server
// (`ufoIam/status`), refreshed when the active editor changes, when its diagnostics change, and when the settings
// change.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusRequest } from '../../../server/src/lsp/protocol';

export function registerStatusBar(context: vscode.ExtensionContext, client: LanguageClient, selector: vscode.DocumentSelector): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('ufoIam.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'UFO IAM';
  let pending: NodeJS.Timeout | undefined;
  let generation = 0;

  async function refresh(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || vscode.languages.match(selector, doc) === 0 || !/\.rb$/.test(doc.uri.path)) {
      item.hide();
      return;
    }
    const mine = ++generation;
    let status: StatusRequest.Result;
    try {
      status = await client.sendRequest<StatusRequest.Result>(StatusRequest.method, { textDocument: { uri: doc.uri.toString() } });
    } catch {
      return;
    }
    if (mine !== generation) return; // a newer refresh is under way
    const parts = [status.ufoVersion ? `UFO v${status.ufoVersion}` : 'not a UFO project'];
    if (status.target) parts.push(status.target === 'unchosen' ? 'target?' : status.target);
    const c = status.counts;
    const findings = `$(error) ${c.error} $(warning) ${c.warning}`;
    item.text = `$(shield) ${parts.join(' · ')} · ${findings}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**UFO IAM** — ${status.ufoVersion ? `UFO v${status.ufoVersion} project` : 'not in a UFO project'}\n\n`);
    if (status.targetText) tip.appendText(`${status.targetText}\n\n`);
    tip.appendText(`${status.dataText ?? `IAM data of ${status.dataDate ?? '(not loaded)'}`}. Findings in this file: ${c.error} errors, ${c.warning} warnings, ${c.information + c.hint} notes.\n\n`);
    tip.appendMarkdown('Click to preview the compiled roles.');
    item.tooltip = tip;
    item.command = { title: 'Preview', command: 'ufoIam.previewRoles', arguments: [doc.uri] };
    item.show();
  }
  const soon = () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => void refresh(), 150);
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(soon),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) soon();
    }),
    // Not ufoIam/projectChanged: a client has one handler per notification, and the preview owns that one; the
    // server publishes the file's diagnostics before it announces a project change, so this follows it anyway.
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('ufoIam') && soon()),
    { dispose: () => pending && clearTimeout(pending) },
  );
  soon();
  return item;
}
