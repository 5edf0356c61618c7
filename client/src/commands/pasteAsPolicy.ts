// "Paste as iam_policy": when JSON text pasted into a role file is a policy document, a paste edit offers the
// `iam_policy` call the server converts it into (`ufoIam/convertPolicy`; named after the document's first Sid, else
// `Policy`). The client only asks and pastes: it never parses the JSON or writes Ruby itself.
//
// The document paste API (`registerDocumentPasteEditProvider`) became stable in VS Code 1.97; this extension's
// engine is older (@types/vscode 1.91 has no types for it), so the few members used are typed here after the stable
// API (https://code.visualstudio.com/api/references/vscode-api#DocumentPasteEditProvider) and the provider is
// registered only where the editor has the function. Older editors keep the plain paste and the command
// "UFO: Insert iam_policy from JSON File…".
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ConvertPolicyRequest } from '../../../server/src/lsp/protocol';

/** The stable API's members this provider uses. */
interface PasteEditKind {
  append(...parts: string[]): PasteEditKind;
}
interface PasteApi {
  DocumentPasteEditKind: { readonly Empty: PasteEditKind };
  DocumentPasteEdit: new (insertText: string, title: string, kind: PasteEditKind) => unknown;
  registerDocumentPasteEditProvider(
    selector: vscode.DocumentSelector,
    provider: {
      provideDocumentPasteEdits(document: vscode.TextDocument, ranges: readonly vscode.Range[], dataTransfer: vscode.DataTransfer, context: unknown, token: vscode.CancellationToken): Promise<unknown[] | undefined>;
    },
    metadata: { providedPasteEditKinds: readonly PasteEditKind[]; pasteMimeTypes: readonly string[] },
  ): vscode.Disposable;
}

/** The paste API, when this editor has it. */
function pasteApi(): PasteApi | undefined {
  const v = vscode as unknown as { DocumentPasteEditKind?: PasteApi['DocumentPasteEditKind']; DocumentPasteEdit?: PasteApi['DocumentPasteEdit'] };
  const register = (vscode.languages as unknown as Partial<PasteApi>).registerDocumentPasteEditProvider;
  if (!v.DocumentPasteEditKind || !v.DocumentPasteEdit || typeof register !== 'function') return undefined;
  return { DocumentPasteEditKind: v.DocumentPasteEditKind, DocumentPasteEdit: v.DocumentPasteEdit, registerDocumentPasteEditProvider: register.bind(vscode.languages) };
}

/** Pasted text worth asking about: it starts like a JSON object. */
const LOOKS_LIKE_JSON_OBJECT = /^\s*\{/;

export function registerPasteAsPolicy(context: vscode.ExtensionContext, client: LanguageClient, selector: vscode.DocumentSelector): void {
  const api = pasteApi();
  if (!api) return;
  const kind = api.DocumentPasteEditKind.Empty.append('text', 'ufoIam', 'iamPolicy');
  context.subscriptions.push(
    api.registerDocumentPasteEditProvider(
      selector,
      {
        async provideDocumentPasteEdits(document, _ranges, dataTransfer, _context, token) {
          const json = await dataTransfer.get('text/plain')?.asString();
          if (!json || !LOOKS_LIKE_JSON_OBJECT.test(json) || token.isCancellationRequested) return undefined;
          const r = await client.sendRequest<ConvertPolicyRequest.Result>(ConvertPolicyRequest.method, { uri: document.uri.toString(), json } satisfies ConvertPolicyRequest.Params, token);
          if (r.kind !== 'converted') return undefined;
          return [new api.DocumentPasteEdit(r.text, `Paste as iam_policy("${r.name}")`, kind)];
        },
      },
      { providedPasteEditKinds: [kind], pasteMimeTypes: ['text/plain'] },
    ),
  );
}
