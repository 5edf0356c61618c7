// CodeLens ([textDocument/codeLens](https://microsoft.github.io/language-server-protocol/specification#textDocument_codeLens)):
// on line 1 of a role file, a lens that opens the live preview of the compiled roles.
import type { CodeLens } from 'vscode-languageserver';
import type { FileContext } from '../project/fileContext';
import { LOGICAL_IDS } from '../core';

export const PREVIEW_COMMAND = 'ufoIam.previewRoles';

export function provideCodeLenses(uri: string, ctx: FileContext): CodeLens[] {
  if (ctx.fileRole.kind !== 'role' || !ctx.roleType) return [];
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [
    {
      range,
      command: { title: `Preview compiled ${LOGICAL_IDS[ctx.roleType]} (UFO v${ctx.fileRole.version})`, command: PREVIEW_COMMAND, arguments: [uri] },
    },
  ];
}
