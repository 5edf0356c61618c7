// Helpers for the real-VS-Code suite: the extension under test, the opened workspace (a fresh copy of
// examples/demo per run, so tests may edit it), documents, polling (the language server answers
// asynchronously) and the CLI, which shares the core and serves as the reference for the preview.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'ufo-iam.ufo-iam';
export const DEFAULT_TIMEOUT_MS = 20_000;

/** The extension under test, activated. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the repo root?)`);
  await extension.activate();
  return extension;
}

/** The repository root: the extension under development is loaded from there. */
export function repoRoot(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return extension.extensionPath;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder;
}

/** A URI inside the opened workspace, e.g. `workspaceUri('.ufo/iam_roles/task_role.rb')`. */
export function workspaceUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relativePath.split('/'));
}

/** Opens a workspace file in an editor (language servers see shown documents) and returns it. */
export async function openDocument(relativePath: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relativePath));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined/false/null, and returns that.
 * On timeout it fails with `what` and the last value seen (`describe` formats it).
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  { timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = 100, describe }: WaitOptions & { describe?: () => string | Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = describe ? await describe() : lastError ? String(lastError) : 'nothing yet';
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The diagnostic's code as a string (LSP codes may be numbers or `{ value, target }`). */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** The source of the extension's diagnostics (server/src/lsp/convert.ts). */
export const DIAGNOSTIC_SOURCE = 'ufo-iam';

/** The extension's diagnostics for a document (other extensions' are left out). */
export function ufoDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function formatDiagnostics(list: readonly vscode.Diagnostic[]): string {
  if (list.length === 0) return '(no diagnostics)';
  return list.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${codeOf(d)}] ${d.message}`).join(' | ');
}

/** Waits until the document's diagnostics satisfy `accept`, and returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  accept: (list: vscode.Diagnostic[]) => boolean,
  options?: WaitOptions,
): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const list = ufoDiagnostics(uri);
    return accept(list) ? list : undefined;
  }, { ...options, describe: () => formatDiagnostics(ufoDiagnostics(uri)) });
}

/** Waits for a diagnostic with `code` in the document and returns it. */
export async function waitForCode(uri: vscode.Uri, code: string, options?: WaitOptions): Promise<vscode.Diagnostic> {
  const list = await waitForDiagnostics(uri, `a ${code} diagnostic in ${path.basename(uri.path)}`, (l) => l.some((d) => codeOf(d) === code), options);
  return list.find((d) => codeOf(d) === code)!;
}

/** Applies a WorkspaceEdit built by `build` and fails if VS Code refuses it. The file stays unsaved. */
export async function edit(build: (e: vscode.WorkspaceEdit) => void): Promise<void> {
  const e = new vscode.WorkspaceEdit();
  build(e);
  assert.ok(await vscode.workspace.applyEdit(e), 'VS Code refused the WorkspaceEdit');
}

/** Appends text on a new last line of the document. */
export function appendText(doc: vscode.TextDocument, text: string): Promise<void> {
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const prefix = doc.lineAt(doc.lineCount - 1).text.length > 0 ? '\n' : '';
  return edit((e) => e.insert(doc.uri, end, prefix + text + '\n'));
}

/** Replaces the first occurrence of `search` in the document. */
export function replaceFirst(doc: vscode.TextDocument, search: string, replacement: string): Promise<void> {
  const range = rangeOf(doc, search);
  return edit((e) => e.replace(doc.uri, range, replacement));
}

/** Replaces the whole document text. */
export function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  return edit((e) => e.replace(doc.uri, all, text));
}

/** The range of the first occurrence of `search` (the n-th with `occurrence`). */
export function rangeOf(doc: vscode.TextDocument, search: string, occurrence = 1): vscode.Range {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(search, at + 1);
    assert.ok(at >= 0, `"${search}" (occurrence ${occurrence}) not found in ${path.basename(doc.uri.path)}`);
  }
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + search.length));
}

/** The position just after `search` (the cursor position when a user has typed it). */
export function positionAfter(doc: vscode.TextDocument, search: string, occurrence = 1): vscode.Position {
  return rangeOf(doc, search, occurrence).end;
}

/**
 * Undoes what a test did to the workspace: reverts every dirty document to its saved content and
 * closes all editors. Installed as a root `afterEach` hook by index.ts.
 */
export async function restoreWorkspace(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.isClosed) continue;
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`dist/cli.js`) with the extension host's Node (ELECTRON_RUN_AS_NODE makes an
 * Electron host's binary behave as Node).
 */
export function runCli(args: string[], cwd = workspaceFolder().uri.fsPath): CliResult {
  const cli = path.join(repoRoot(), 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** Completion labels as strings (a label may be `{ label, description }`). */
export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Runs the completion providers at a position, as the suggest widget does. */
export async function completionsAt(doc: vscode.TextDocument, position: vscode.Position, triggerCharacter?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider', doc.uri, position, triggerCharacter);
  return list?.items ?? [];
}

/** The document symbols (outline) of a document, flattened depth-first. */
export async function documentSymbols(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  const roots = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>(
    'vscode.executeDocumentSymbolProvider', uri);
  const out: vscode.DocumentSymbol[] = [];
  const walk = (list: readonly vscode.DocumentSymbol[]) => {
    for (const s of list) {
      out.push(s);
      walk(s.children ?? []);
    }
  };
  walk((roots ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s));
  return out;
}

/** Code actions offered for a range, as the light bulb asks for them. */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const list = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, range, kind);
  return (list ?? []).filter((a): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string'));
}
