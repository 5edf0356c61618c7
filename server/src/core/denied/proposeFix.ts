// The smallest edit of a role file that allows one denied request (docs/access-denied.md): the action added to an
// Allow statement of the file whose Resource is exactly the denied resource and that has no Condition, else a new
// `iam_policy` call appended at the end of the file, written by policyToDsl in the file's key style. Exactly that
// action on exactly that resource: `Resource: "*"` only when asked (`wildcard`) or when the message names no resource.
// No edit when the file already allows the request: the evaluator (core/eval) over the file's compiled role says
// `allowed`, with no context (so a statement with a Condition never counts). Pure: the file's analysis in, byte-span
// edits out.
import type { RoleFileAnalysis } from '../analysis';
import { compileRoles, type UfoVersion } from '../compile/compileRoles';
import type { CMap } from '../compile/cvalue';
import { evaluate } from '../eval/evaluate';
import { roleStatements } from '../eval/statements';
import type { IamKnowledge } from '../iam/iamKnowledge';
import { keyStyleOf, policyToDsl, rubyString } from '../convert/policyToDsl';
import type { ByteEdit } from '../fixes/fix';
import { isMultiLineArray, indentationAt } from '../fixes/edits';
import type { IamPolicyCall } from '../model/roleFile';
import { keyText, type ArrayValue, type HashValue, type Value } from '../model/values';

export interface ProposeFixOptions {
  /** Allow the action on every resource (`Resource: "*"`) instead of the denied one. */
  readonly wildcard?: boolean;
  readonly ufoVersion?: UfoVersion;
  /** The IAM data: with it, the "already allowed" check also counts the file's AWS managed policies. */
  readonly iam?: IamKnowledge;
}

export type ProposedFix =
  | {
      readonly ok: true;
      /** `appendAction`: the action joins an existing statement; `newPolicy`: a new iam_policy call at the end. */
      readonly kind: 'appendAction' | 'newPolicy';
      readonly edits: readonly ByteEdit[];
      /** One line for a title or a confirmation. */
      readonly title: string;
      /** The inline policy that allows it after the edit. */
      readonly policyName: string;
      /** The Resource the statement names. */
      readonly resource: string;
      readonly notes: readonly string[];
    }
  | {
      /** ALREADY_ALLOWED: the evaluator says the file's role allows this already (unconditionally); SYNTAX_ERRORS; BAD_ACTION; NOT_EXPRESSIBLE. */
      readonly ok: false;
      readonly code: 'ALREADY_ALLOWED' | 'SYNTAX_ERRORS' | 'BAD_ACTION' | 'NOT_EXPRESSIBLE';
      readonly message: string;
    };

/** An IAM action as the messages print it: `service:Action`. */
const ACTION = /^[a-z0-9][a-z0-9-]*:[A-Za-z0-9]+$/;

interface Entries {
  readonly hash: HashValue;
  readonly get: (k: string) => Value | undefined;
  readonly has: (k: string) => boolean;
}

function entriesOf(v: Value): Entries | undefined {
  if (v.kind !== 'hash') return undefined;
  const map = new Map<string, Value>();
  for (const e of v.entries) {
    const k = keyText(e.key);
    if (k !== undefined) map.set(k, e.value);
    else return undefined; // a computed key: the statement is not known
  }
  return { hash: v, get: (k) => map.get(k), has: (k) => map.has(k) };
}

/** The strings of a string or an array of string literals; undefined when any part is not a literal string. */
function strings(v: Value | undefined): string[] | undefined {
  if (!v) return undefined;
  if (v.kind === 'string') return [v.value];
  if (v.kind === 'array' && v.closed && v.elements.every((e) => e.kind === 'string')) return v.elements.map((e) => (e as { value: string }).value);
  return undefined;
}

/** The file's inline policy names, for a new unique one. */
function policyNames(calls: readonly IamPolicyCall[]): Set<string> {
  const names = new Set<string>();
  for (const c of calls) {
    const n = c.policyName;
    if (n && (n.kind === 'string' || n.kind === 'symbol')) names.add(n.value);
  }
  return names;
}

/** `s3:PutObject` → `AllowS3PutObject`, `kinesis-video:GetMedia` → `AllowKinesisVideoGetMedia`; a number when taken. */
export function policyNameFor(action: string, taken: ReadonlySet<string>): string {
  const [service, name] = action.split(':');
  const camel = service.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  const base = `Allow${camel}${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** The edit that adds `element` (Ruby text) as the last element of a bracket array, in its layout. */
function appendElement(a: RoleFileAnalysis, array: ArrayValue, element: string): ByteEdit {
  const els = array.elements;
  if (els.length === 0) return { span: { start: array.span.start + 1, end: array.span.end - 1 }, text: element };
  const last = els[els.length - 1];
  let after = last.span.end;
  while (after < a.bytes.length && (a.bytes[after] === 0x20 || a.bytes[after] === 0x09)) after++;
  const trailingComma = a.bytes[after] === 0x2c;
  if (isMultiLineArray(a, array)) {
    const indent = indentationAt(a, last.span.start);
    return trailingComma ? { span: { start: after + 1, end: after + 1 }, text: `\n${indent}${element},` } : { span: { start: last.span.end, end: last.span.end }, text: `,\n${indent}${element}` };
  }
  return trailingComma ? { span: { start: after + 1, end: after + 1 }, text: ` ${element},` } : { span: { start: last.span.end, end: last.span.end }, text: `, ${element}` };
}

/** The deciding statements' policies when the evaluator says the file's role allows `action` on `resource`; else undefined. */
function allowedBy(analysis: RoleFileAnalysis, action: string, resource: string, options: ProposeFixOptions): string | undefined {
  const { roles } = compileRoles({ task_role: analysis.model }, options.ufoVersion ?? 6);
  let role = roles.find((r) => r.roleType === 'task_role')?.resource;
  if (!role) return undefined;
  if (!options.iam) {
    // Without the IAM data, the inline policies only: the managed policies' documents are not known here.
    const properties = new Map(role.get('Properties') as CMap);
    properties.delete('ManagedPolicyArns');
    role = new Map(role).set('Properties', properties);
  }
  const statements = roleStatements(role, options.iam as IamKnowledge, { model: analysis.model, version: options.ufoVersion ?? 6 });
  const result = evaluate(statements, { action, resource, context: {} });
  if (result.decision !== 'allowed') return undefined;
  const names = [...new Set(result.deciding.map((m) => (m.statement.source.kind === 'inline' ? `inline policy ${m.statement.source.policyName}` : m.statement.source.kind === 'managed' ? `AWS managed policy ${m.statement.source.policyName}` : m.statement.source.arn)))];
  return names.join(', ');
}

/**
 * The edit that allows `action` on `resource` in the role file of `analysis`. `resource` undefined (the message names
 * none) means `"*"`, as for actions without resource-level permissions.
 */
export function proposeAllowEdit(analysis: RoleFileAnalysis, action: string, resource: string | undefined, options: ProposeFixOptions = {}): ProposedFix {
  if (!ACTION.test(action)) return { ok: false, code: 'BAD_ACTION', message: `"${action}" is not an IAM action (service:Action).` };
  const { model } = analysis;
  if (model.hasSyntaxErrors) return { ok: false, code: 'SYNTAX_ERRORS', message: 'The role file has syntax errors; fix them first, so that the edit lands where UFO reads it.' };
  const notes: string[] = [];
  const wanted = options.wildcard || resource === undefined ? '*' : resource;
  if (resource === undefined && !options.wildcard) notes.push(`the message names no resource, so the statement allows ${action} on "*" (actions without resource-level permissions take only "*")`);
  if (options.wildcard && resource !== undefined && resource !== '*') notes.push(`asked for a wildcard: the statement allows ${action} on every resource, not only ${resource}`);
  const calls = model.calls.filter((c): c is IamPolicyCall => c.method === 'iam_policy');
  const allowing = allowedBy(analysis, action, resource ?? '*', options);
  if (allowing !== undefined) {
    return {
      ok: false,
      code: 'ALREADY_ALLOWED',
      message: `The role file already allows ${action} on ${resource ?? '*'} (${allowing}): the deployed role is older than the file. Apply it (UFO: Apply IAM Roles, ufo-iam apply) or ship again.`,
    };
  }
  let candidate: { call: IamPolicyCall; action: Value } | undefined;
  for (const call of calls) {
    if (call.conditional || !call.registers || call.hasSplat) continue;
    for (const st of call.statements) {
      const e = entriesOf(st);
      if (!e) continue;
      const effect = e.get('Effect');
      if (!effect || keyText(effect) !== 'Allow') continue;
      if (e.has('Condition') || e.has('NotAction') || e.has('NotResource') || e.has('Principal') || e.has('NotPrincipal')) continue;
      const resources = strings(e.get('Resource'));
      if (!resources || resources.length !== 1 || resources[0] !== wanted) continue;
      const actionValue = e.get('Action');
      const actions = strings(actionValue);
      if (!actions || !actionValue) continue;
      candidate ??= { call, action: actionValue };
    }
  }
  const element = rubyString(action);
  if (candidate) {
    const v = candidate.action;
    const name = candidate.call.policyName ? (keyText(candidate.call.policyName) ?? '?') : '?';
    let edit: ByteEdit | undefined;
    if (v.kind === 'array' && v.opening === '[') edit = appendElement(analysis, v, element);
    else if (v.kind === 'array' && v.opening.startsWith('%w')) {
      // `%w[a b]`: one more word before the closing bracket.
      edit = v.elements.length > 0 ? { span: { start: v.elements[v.elements.length - 1].span.end, end: v.elements[v.elements.length - 1].span.end }, text: ` ${action}` } : { span: { start: v.span.end - 1, end: v.span.end - 1 }, text: action };
    } else if (v.kind === 'string') edit = { span: v.span, text: `[${analysis.lineIndex.slice(v.span.start, v.span.end)}, ${element}]` };
    if (edit) return { ok: true, kind: 'appendAction', edits: [edit], title: `Add ${action} to the statement of ${name} that allows ${wanted}`, policyName: name, resource: wanted, notes };
  }
  const policyName = policyNameFor(action, policyNames(calls));
  const document = new Map<string, unknown>([
    ['Version', '2012-10-17'],
    ['Statement', [new Map<string, unknown>([['Action', [action]], ['Effect', 'Allow'], ['Resource', wanted]])]],
  ]);
  const written = policyToDsl(document as never, policyName, { keyStyle: keyStyleOf(model) ?? 'symbol', ...(options.ufoVersion ? { ufoVersion: options.ufoVersion } : {}) });
  if (!written.ok) return { ok: false, code: 'NOT_EXPRESSIBLE', message: written.message };
  const end = analysis.bytes.length;
  const text = analysis.text;
  const lead = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return {
    ok: true,
    kind: 'newPolicy',
    edits: [{ span: { start: end, end }, text: lead + written.text }],
    title: `Add inline policy ${policyName} allowing ${action} on ${wanted}`,
    policyName,
    resource: wanted,
    notes,
  };
}
