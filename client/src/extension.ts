// The extension's entry point: starts the bundled language server and registers the UI (commands,
// the preview document). It knows nothing of the DSL; the server does all the analysis.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { languageServerOptions } from './serverOptions';
import { registerPreview } from './commands/showPreview';
import { registerApplyRoles } from './commands/applyRoles';
import { registerUpdateTaskDefinitionArns } from './commands/updateTaskDefinitionArns';
import { registerPasteAsPolicy } from './commands/pasteAsPolicy';
import { registerStatusBar } from './commands/statusBar';
import { registerInsertPolicyFromJson } from './commands/insertPolicyFromJson';
import { registerImportRole } from './commands/importRole';
import { registerMoveRoles } from './commands/moveRoles';
import { registerCompareWithAws } from './commands/compareWithAws';
import { registerFixAccessDenied } from './commands/fixAccessDenied';
import { registerCanRole } from './commands/canRole';
import { registerUpdateIamData } from './commands/updateIamData';
import { registerPermissionsView, type PermissionsTree } from './commands/permissionsView';

/** Role files of both layouts and of the default pre-created folder, in any Ruby-aware editor (docs/ufo-semantics.md §1, docs/apply.md). */
export const ROLE_FILE_GLOB = '**/.ufo/{iam_roles,resources/iam_roles,precreated_iam_roles}/**/*.rb';

/** The role file globs: the fixed ones, and the pre-created folder the settings name when it is another one. */
function roleFileGlobs(): string[] {
  const folder = vscode.workspace.getConfiguration('ufoIam').get<string>('precreated.folder', '').replace(/\/+$/, '');
  const extra = folder && folder !== '.ufo/precreated_iam_roles' && /^\.ufo\/[\w./-]+$/.test(folder) ? [`**/${folder}/**/*.rb`] : [];
  return [ROLE_FILE_GLOB, ...extra];
}
/** Task-definition templates of both layouts (docs/ufo-semantics.md §12): the server checks their role ARNs. */
export const TEMPLATE_GLOBS = ['**/.ufo/templates/*.json.erb', '**/.ufo/resources/task_definitions/*.{json,yml}'];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient; permissions: PermissionsTree }> {
  const output = vscode.window.createOutputChannel('UFO IAM', { log: true });
  context.subscriptions.push(output);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = languageServerOptions(serverModule, TransportKind.ipc);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...roleFileGlobs(), ...TEMPLATE_GLOBS].map((pattern) => ({ scheme: 'file', pattern })),
    outputChannel: output,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.ufo/**'),
    },
  };
  client = new LanguageClient('ufoIam', 'UFO IAM', serverOptions, clientOptions);
  await client.start();
  registerPreview(context, client);
  registerApplyRoles(context, client, output);
  registerUpdateTaskDefinitionArns(context, client, output);
  registerPasteAsPolicy(context, client, roleFileGlobs().map((pattern) => ({ scheme: 'file', pattern })));
  registerStatusBar(context, client, roleFileGlobs().map((pattern) => ({ scheme: 'file', pattern })));
  registerInsertPolicyFromJson(context, client);
  registerImportRole(context, client, output);
  registerMoveRoles(context, client, output);
  registerCompareWithAws(context, client, output);
  registerFixAccessDenied(context, client, output);
  registerCanRole(context, client, output);
  registerUpdateIamData(context, client, output);
  // The Explorer's permissions tree; its provider is part of the API so that tests can read what it shows.
  const permissions = registerPermissionsView(context, client, ROLE_FILE_GLOB, output);
  output.info(`UFO IAM started (extension ${context.extension.packageJSON.version})`);
  return { client, permissions };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
