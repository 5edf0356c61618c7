// JSON → DSL: an IAM policy document written as the `iam_policy` call that UFO compiles back into the same document
// (docs/ufo-semantics.md §3: deep flatten, symbol keys stringified, nothing normalised; §8: the squeeze), and a role
// (its inline and attached policies) written as a whole role file. Pure: values in, Ruby text out. What UFO cannot
// express (another Version, an `Id`, a null that the squeeze drops) is an error result, never dropped in silence.
import { RubyFloat, Unknown, type CMap, type CValue } from '../compile/cvalue';
import { managedPolicyArn, trustPolicy, type UfoVersion } from '../compile/compileRoles';
import { toCompactJson } from '../compile/serialize';
import type { RoleFileModel } from '../model/roleFile';
import type { Value } from '../model/values';

/** `Action:` (symbol keys, what `ufo init` writes) or `"Action" =>` (string keys). */
export type KeyStyle = 'symbol' | 'string';

export interface ConvertOptions {
  readonly keyStyle?: KeyStyle;
  /** The squeeze differs (v5 drops empty arrays from hashes); default 6. */
  readonly ufoVersion?: UfoVersion;
}

export type ConvertResult =
  | { readonly ok: true; readonly text: string; readonly notes: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** The only policy language version UFO writes (docs/ufo-semantics.md §6). */
export const UFO_POLICY_VERSION = '2012-10-17';

class NotExpressible extends Error {}

/** A label key (`Action:`) when Ruby reads the text as one and it gives the same string; else `"…" =>`. */
const LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A Ruby double-quoted literal with exactly the value `s`: `"` and `\` escaped, `#` escaped where it would start
 * interpolation (`#{`, `#$`, `#@`), control characters as escapes, everything else (non-ASCII too) as it is.
 */
export function rubyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += c + s[++i];
        continue;
      }
      throw new NotExpressible(`a string holds a lone UTF-16 surrogate (\\u${code.toString(16)}), which no Ruby string can hold`);
    }
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '#' && (s[i + 1] === '{' || s[i + 1] === '$' || s[i + 1] === '@')) out += '\\#';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += c;
  }
  return out + '"';
}

function key(k: string, style: KeyStyle): string {
  return style === 'symbol' && LABEL.test(k) ? `${k}:` : `${rubyString(k)} =>`;
}

function scalar(v: CValue): string | undefined {
  if (typeof v === 'string') return rubyString(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return String(v);
  if (v instanceof RubyFloat) {
    if (!Number.isFinite(v.value)) throw new NotExpressible(`the number ${v.value} has no place in a policy document`);
    return v.toString();
  }
  if (v instanceof Unknown) throw new NotExpressible(`a value is not known (${v.source})`);
  if (v === null) return 'nil';
  return undefined;
}

const INLINE_WIDTH = 72;

/** A value as Ruby text at `indent`; short arrays of scalars stay on one line. */
function literal(v: CValue, indent: string, style: KeyStyle, version: UfoVersion, where: string): string {
  const s = scalar(v);
  if (s !== undefined) return s;
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    v.forEach((x, i) => {
      if (x === null && version === 6) throw new NotExpressible(`${where}[${i}] is null, and UFO v6 drops nil elements from arrays`);
    });
    const items = v.map((x, i) => literal(x, inner, style, version, `${where}[${i}]`));
    const oneLine = `[${items.join(', ')}]`;
    if (v.every((x) => !Array.isArray(x) && !(x instanceof Map)) && oneLine.length + indent.length <= INLINE_WIDTH && v.length <= 3) return oneLine;
    return `[\n${items.map((t) => inner + t).join(',\n')}\n${indent}]`;
  }
  const m = v as CMap;
  if (m.size === 0) return '{}';
  return `{\n${entries(m, inner, style, version, where)}\n${indent}}`;
}

/** The `key value` lines of a hash at `indent`, joined by commas. */
function entries(m: CMap, indent: string, style: KeyStyle, version: UfoVersion, where: string): string {
  const lines: string[] = [];
  for (const [k, x] of m) {
    const at = `${where}.${k}`;
    if (x === null) throw new NotExpressible(`${at} is null, and UFO drops nil values from hashes`);
    if (version === 5 && Array.isArray(x) && x.length === 0) throw new NotExpressible(`${at} is an empty array, and UFO v5 drops empty arrays from hashes`);
    lines.push(`${indent}${key(k, style)} ${literal(x, indent, style, version, at)}`);
  }
  return lines.join(',\n');
}

/** The statements of a document, or why UFO cannot write that document. */
function statementsOf(document: CValue, notes: string[]): CMap[] {
  if (!(document instanceof Map)) throw new NotExpressible('the JSON is not an object, so it is not a policy document');
  for (const k of document.keys()) {
    if (k === 'Version' || k === 'Statement') continue;
    throw new NotExpressible(`the document has a top-level "${k}", which UFO cannot write: it builds only Version and Statement`);
  }
  const version = document.get('Version');
  if (version === undefined) notes.push(`the document has no Version; UFO adds "Version": "${UFO_POLICY_VERSION}"`);
  else if (version !== UFO_POLICY_VERSION) {
    throw new NotExpressible(`the document's Version is ${typeof version === 'string' ? JSON.stringify(version) : 'not a string'}; UFO always writes "${UFO_POLICY_VERSION}"`);
  }
  if (document.size === 2 && [...document.keys()][0] === 'Statement') notes.push('UFO writes Version before Statement');
  const statement = document.get('Statement');
  if (statement === undefined) throw new NotExpressible('the document has no Statement');
  if (statement instanceof Map) {
    notes.push('UFO writes Statement as an array (the document has a single statement object)');
    return [statement];
  }
  if (!Array.isArray(statement)) throw new NotExpressible('Statement is neither an object nor an array of objects');
  if (statement.length === 0) throw new NotExpressible('Statement is empty; a policy needs at least one statement');
  return statement.map((s, i) => {
    if (!(s instanceof Map)) throw new NotExpressible(`Statement[${i}] is not an object (UFO flattens arrays of statements, so only objects keep their place)`);
    return s;
  });
}

/**
 * `iam_policy(name, …)` for a policy document (parsed with `fromJsonText` so nothing the text says is lost). One
 * statement is written in the keyword form `iam_policy("Name", Action: […], Effect: "Allow", Resource: "*")`, several
 * (or an empty one) as an array of hashes; both compile to `{"Version": "2012-10-17", "Statement": [...]}`.
 */
export function policyToDsl(document: CValue, name: string, options: ConvertOptions = {}): ConvertResult {
  const style = options.keyStyle ?? 'symbol';
  const version = options.ufoVersion ?? 6;
  const notes: string[] = [];
  try {
    const statements = statementsOf(document, notes);
    const head = `iam_policy(${rubyString(name)},`;
    if (statements.length === 1 && statements[0].size > 0) {
      return { ok: true, text: `${head}\n${entries(statements[0], '  ', style, version, 'Statement[0]')}\n)\n`, notes };
    }
    const items = statements.map((s, i) => (s.size === 0 ? '  {}' : `  {\n${entries(s, '    ', style, version, `Statement[${i}]`)}\n  }`));
    return { ok: true, text: `${head} [\n${items.join(',\n')}\n])\n`, notes };
  } catch (e) {
    if (e instanceof NotExpressible) return { ok: false, message: e.message };
    throw e;
  }
}

/** The prefix UFO puts before a managed policy name (docs/ufo-semantics.md §4). */
const AWS_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

/**
 * What to give `managed_iam_policy` for an attached policy's ARN: an AWS managed policy of the `aws` partition as its
 * `path/Name` (UFO puts the prefix back), any other ARN as it is. A customer-managed ARN is mangled by UFO; the note says so.
 */
export function managedPolicyName(arn: string): { name: string; note?: string } {
  if (arn.startsWith(AWS_POLICY_PREFIX) && managedPolicyArn(arn.slice(AWS_POLICY_PREFIX.length)) === arn) return { name: arn.slice(AWS_POLICY_PREFIX.length) };
  if (managedPolicyArn(arn) === arn) return { name: arn };
  return {
    name: arn,
    note: `${arn} is a customer-managed policy: UFO turns it into ${managedPolicyArn(arn)} (it prefixes every name without "iam::aws:policy"), so the deployed role would not get it (MANAGED_POLICY_ARN_MANGLED)`,
  };
}

export interface RoleToDslInput {
  /** A comment for the top of the file (each line gets `# `). */
  readonly header?: readonly string[];
  readonly inlinePolicies: ReadonlyArray<{ readonly name: string; readonly document: CValue }>;
  readonly managedPolicyArns: readonly string[];
}

/** A whole role file: `managed_iam_policy` first, then one `iam_policy` per inline policy, in the given order. */
export function roleToDsl(input: RoleToDslInput, options: ConvertOptions = {}): ConvertResult {
  const parts: string[] = [];
  const notes: string[] = [];
  if (input.header && input.header.length > 0) parts.push(input.header.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n') + '\n');
  if (input.managedPolicyArns.length > 0) {
    const names: string[] = [];
    for (const arn of input.managedPolicyArns) {
      const m = managedPolicyName(arn);
      if (m.note) notes.push(m.note);
      names.push(rubyString(m.name));
    }
    parts.push(names.length === 1 ? `managed_iam_policy(${names[0]})\n` : `managed_iam_policy(\n${names.map((n) => `  ${n}`).join(',\n')}\n)\n`);
  }
  for (const p of input.inlinePolicies) {
    const r = policyToDsl(p.document, p.name, options);
    if (!r.ok) return { ok: false, message: `inline policy ${p.name}: ${r.message}` };
    for (const n of r.notes) notes.push(`inline policy ${p.name}: ${n}`);
    parts.push(r.text);
  }
  return { ok: true, text: parts.join('\n'), notes };
}

/** The key style a role file already uses (its statements' hash keys), undefined when it has none. */
export function keyStyleOf(model: RoleFileModel): KeyStyle | undefined {
  let symbols = 0;
  let strings = 0;
  const visit = (v: Value): void => {
    if (v.kind === 'hash') {
      for (const e of v.entries) {
        if (e.key.kind === 'symbol') symbols++;
        else if (e.key.kind === 'string' && LABEL.test(e.key.value)) strings++;
        visit(e.value);
      }
    } else if (v.kind === 'array') v.elements.forEach(visit);
  };
  for (const call of model.calls) if (call.method === 'iam_policy') call.statements.forEach(visit);
  if (symbols === 0 && strings === 0) return undefined;
  return strings > symbols ? 'string' : 'symbol';
}

/** Whether a live trust policy is the one UFO gives every role (docs/ufo-semantics.md §6), key order aside. */
export function isUfoTrustPolicy(document: CValue): boolean {
  return toCompactJson(document, { sortKeys: true }) === toCompactJson(trustPolicy(), { sortKeys: true });
}
