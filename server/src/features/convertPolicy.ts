// `ufoIam/convertPolicy` (paste as `iam_policy`, insert from a JSON file) and `ufoIam/importRole` (import a role from
// AWS): the conversion is the core's (core/convert/policyToDsl.ts), the target file and its text the project layer's
// (project/importRole.ts); the client only pastes, inserts or writes what comes back.
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fromJsonText, keyStyleOf, policyToDsl, type CValue } from '../core';
import type { ConvertPolicyRequest, ImportRoleRequest } from '../lsp/protocol';
import { loadAws } from '../project/awsLoader';
import { importTarget, importText } from '../project/importRole';
import { awsOptionsOf, type Settings } from '../settings';
import type { Workspace } from '../workspace';
import type { AwsRequests } from './awsContext';

export const CONVERT_FAILED: ConvertPolicyRequest.Result = { kind: 'notPolicy', message: 'The conversion failed unexpectedly; see the UFO IAM output channel.' };
export const IMPORT_FAILED: ImportRoleRequest.Result = { kind: 'error', message: 'The import failed unexpectedly; see the UFO IAM output channel.' };

/** The document's first Sid, when it is a usable policy name. */
function firstSid(doc: CValue): string | undefined {
  if (!(doc instanceof Map)) return undefined;
  const s = doc.get('Statement');
  const first = Array.isArray(s) ? s[0] : s;
  const sid = first instanceof Map ? first.get('Sid') : undefined;
  return typeof sid === 'string' && /^[\w+=,.@-]{1,128}$/.test(sid) ? sid : undefined;
}

export function provideConvertPolicy(workspace: Workspace, documents: TextDocuments<TextDocument>, settings: Settings, params: ConvertPolicyRequest.Params): ConvertPolicyRequest.Result {
  let doc: CValue;
  try {
    doc = fromJsonText(params.json.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { kind: 'notPolicy', message: `The text is not JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  const open = documents.get(params.uri);
  const keyStyle = (open ? keyStyleOf(workspace.analyze(open).model) : undefined) ?? 'symbol';
  const ufoVersion = workspace.contextOf(params.uri, settings).layout?.version ?? 6;
  const name = params.name ?? firstSid(doc) ?? 'Policy';
  const r = policyToDsl(doc, name, { keyStyle, ufoVersion });
  if (!r.ok) return { kind: 'notPolicy', message: `Not a policy document UFO can write: ${r.message}.` };
  return { kind: 'converted', text: r.text, name, notes: r.notes };
}

export async function provideImportRole(requests: AwsRequests, params: ImportRoleRequest.Params): Promise<ImportRoleRequest.Result> {
  if (params.roleType !== 'task_role' && params.roleType !== 'execution_role') return { kind: 'refused', message: `The role type must be task_role or execution_role, not ${String(params.roleType)}.` };
  const opened = await requests.projectOf(params.uri);
  if (!opened) return { kind: 'refused', message: 'This is not part of a UFO project (no .ufo folder above it).' };
  const { project, settings } = opened;
  const target = importTarget(project, params.roleType);
  let read;
  try {
    read = await loadAws().readRoleForImport(awsOptionsOf(settings), params.roleName);
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  if (!read.role) return { kind: 'error', message: `IAM has no role named ${params.roleName}.` };
  const out = importText(read.role, target, project);
  if (!out.ok) return { kind: 'error', message: `${params.roleName} cannot be written as UFO's DSL: ${out.message}.` };
  return { kind: 'import', fileUri: pathToFileURL(target.file).href, file: target.rel, exists: target.exists, text: out.text, notes: out.notes };
}
