// `ufoIam.previewRoles`: a read-only JSON document beside the editor (scheme `ufo-iam-preview`)
// showing both roles as the server's compiler builds them; it follows every edit (debounced).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PreviewRequest, ProjectChangedNotification } from '../../../server/src/lsp/protocol';

export const PREVIEW_SCHEME = 'ufo-iam-preview';

/** The preview URI of a project: one preview per project root, remembering the role file it came from. */
function previewUri(root: string, source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `${root}/UFO IAM roles.jsonc`, query: source.toString() });
}

export function registerPreview(context: vscode.ExtensionContext, client: LanguageClient): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const open = new Map<string, vscode.Uri>(); // root → preview uri
  const timers = new Map<string, NodeJS.Timeout>();

  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    async provideTextDocumentContent(uri) {
      try {
        const result = await client.sendRequest<PreviewRequest.Result>(PreviewRequest.method, { uri: uri.query });
        return result.text;
      } catch (e) {
        return `// The preview could not be built: ${e instanceof Error ? e.message : String(e)}\n{}\n`;
      }
    },
  };
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider), changed);

  client.onNotification(ProjectChangedNotification.method, (p: ProjectChangedNotification.Params) => {
    const uri = open.get(p.root);
    if (!uri) return;
    const prev = timers.get(p.root);
    if (prev) clearTimeout(prev);
    timers.set(
      p.root,
      setTimeout(() => {
        timers.delete(p.root);
        changed.fire(uri);
      }, 150),
    );
  });

  context.subscriptions.push(
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme !== PREVIEW_SCHEME) return;
      for (const [root, u] of open) if (u.toString() === d.uri.toString()) open.delete(root);
    }),
    vscode.commands.registerCommand('ufoIam.previewRoles', async (arg?: vscode.Uri | string) => {
      const source =
        typeof arg === 'string' ? vscode.Uri.parse(arg) : arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!source || source.scheme !== 'file') {
        void vscode.window.showInformationMessage('Open a UFO role file (.ufo/iam_roles/*.rb or .ufo/resources/iam_roles/*.rb) to preview its roles.');
        return undefined;
      }
      const result = await client.sendRequest<PreviewRequest.Result>(PreviewRequest.method, { uri: source.toString() });
      if (!result.root) {
        void vscode.window.showWarningMessage('This file is not part of a UFO project (no .ufo folder above it).');
        return undefined;
      }
      const uri = previewUri(result.root, source);
      open.set(result.root, uri);
      changed.fire(uri);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'jsonc');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
      return uri.toString();
    }),
  );
}
