// Statement shape: what IAM requires of each statement of a role's inline policy (an identity policy).
// UFO copies statements verbatim and adds nothing: no default Effect or Resource, no
// key normalisation, so every one of these reaches IAM as written.
import type { Finding } from '../findings';
import type { HashEntry, Value } from '../model/values';
import { suggest } from '../iam/suggest';
import type { CallCheckContext, CallRef, CheckFamily } from './index';
import {
  POLICY_ELEMENTS,
  entryKey,
  keySpan,
  listItems,
  statementAnchor,
  type StatementRef,
} from './statements';

const ELEMENT_BY_LOWER = new Map<string, string>(POLICY_ELEMENTS.map((e) => [e.toLowerCase(), e]));
const DOCUMENT_KEYS = new Set(['Version', 'Statement', 'Id']);
const LIST_ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'];
const SID = /^[A-Za-z0-9]*$/;

/** The IAM element a misspelt key most likely means (`action` → `Action`, `Resources` → `Resource`). */
export function intendedElement(key: string): string | undefined {
  const exact = ELEMENT_BY_LOWER.get(key.toLowerCase());
  if (exact) return exact;
  return suggest(key, POLICY_ELEMENTS, 1)[0];
}

function describe(v: Value): string {
  switch (v.kind) {
    case 'hash':
      return 'a hash';
    case 'array':
      return 'an array';
    case 'integer':
    case 'float':
      return 'a number';
    case 'boolean':
      return `${v.value}`;
    case 'nil':
      return 'nil';
    case 'string':
      return 'a string';
    default:
      return v.kind;
  }
}

export const shapeChecks: CheckFamily = { call: checkShape };

function checkShape(ref: CallRef, ctx: CallCheckContext): Finding[] {
  const out: Finding[] = [];
  const all = ref.statements;
  for (const s of all) {
    if (!s.hash) {
      checkNonHashStatement(s, ctx, out);
      continue;
    }
    checkKeys(s, out);
    checkRequired(s, ctx, out);
    checkValues(s, ctx, out);
  }
  checkSids(all, out);
  return out;
}

function checkNonHashStatement(s: StatementRef, ctx: CallCheckContext, out: Finding[]): void {
  const v = s.value;
  // Dynamic: unknown. Symbol: SYMBOL_VALUE says it. nil: v6 compacts nil statements away (§3.4).
  if (v.kind === 'dynamic' || v.kind === 'symbol' || (v.kind === 'nil' && ctx.version === 6)) return;
  out.push({
    code: 'DATA_TYPE_MISMATCH',
    span: v.span,
    message: `A statement must be a hash such as { Effect: "Allow", Action: [...], Resource: "*" }; UFO writes ${describe(v)} into Statement as it is and IAM rejects the policy.`,
  });
}

function checkKeys(s: StatementRef, out: Finding[]): void {
  for (const e of s.hash!.entries) {
    const key = entryKey(e);
    if (key === undefined || s.dropped.get(key) === e) continue;
    if ((POLICY_ELEMENTS as readonly string[]).includes(key)) {
      if (key === 'Principal' || key === 'NotPrincipal') {
        out.push({
          code: 'UNSUPPORTED_PRINCIPAL',
          span: keySpan(e),
          message: `${key} has no place in a role's inline policy (an identity policy: the role is the principal) and IAM rejects it. Remove it; who may assume the role is UFO's fixed trust policy (ecs-tasks.amazonaws.com).`,
        });
      }
      continue;
    }
    if (DOCUMENT_KEYS.has(key)) {
      out.push({
        code: 'INVALID_POLICY_ELEMENT',
        span: keySpan(e),
        message: `${key} is a key of a whole policy document, not of a statement: UFO wraps the statements in { Version, Statement } itself. Pass the statements only: iam_policy("name", [{ Effect: ..., Action: ..., Resource: ... }]).`,
      });
      continue;
    }
    const intended = intendedElement(key);
    const target = e.key.kind === 'string' || e.key.kind === 'symbol' ? e.key.contentSpan : undefined;
    if (intended && intended.toLowerCase() === key.toLowerCase()) {
      out.push({
        code: 'INVALID_POLICY_ELEMENT',
        span: keySpan(e),
        message: `IAM element names are case-sensitive and UFO copies keys verbatim, so "${key}" is not ${intended}: write ${intended}.`,
        data: target ? { replacements: [intended], target } : undefined,
      });
    } else {
      out.push({
        code: 'INVALID_POLICY_ELEMENT',
        span: keySpan(e),
        message: `"${key}" is not an IAM policy element${intended ? `: did you mean ${intended}?` : ''} A statement has ${POLICY_ELEMENTS.filter((x) => x !== 'Principal' && x !== 'NotPrincipal').join(', ')}.`,
        data: intended && target ? { replacements: [intended], target } : undefined,
      });
    }
  }
}

/** Whether some key of the statement is a misspelling of `element` (then the key's own finding says it all). */
function misspelt(s: StatementRef, element: string): boolean {
  for (const [key, e] of s.elements) {
    if (entryKey(e) !== undefined && key !== element && intendedElement(key) === element) return true;
  }
  return false;
}

function droppedNote(s: StatementRef, keys: string[], ctx: CallCheckContext): string {
  for (const k of keys) {
    const d = s.dropped.get(k);
    if (!d) continue;
    return d.value.kind === 'nil'
      ? ` (UFO drops ${k}: nil before IAM sees it)`
      : ` (UFO v${ctx.version} drops the empty ${k} array: its squeezer removes empty arrays)`;
  }
  return '';
}

function checkRequired(s: StatementRef, ctx: CallCheckContext, out: Finding[]): void {
  // A whole policy document passed as a statement has its own finding (on Version / Statement).
  if (s.open || s.elements.has('Statement') || s.elements.has('Version')) return;
  const anchor = statementAnchor(s, ctx.sameLine);
  const statementRef = { statement: s.value.span.start };
  if (!s.elements.has('Effect') && !misspelt(s, 'Effect')) {
    out.push({
      code: 'MISSING_EFFECT',
      span: anchor,
      message: `This statement has no Effect${droppedNote(s, ['Effect'], ctx)}; UFO adds no default and IAM rejects the policy. Add Effect: "Allow" (or "Deny").`,
      data: statementRef,
    });
  }
  if (!s.elements.has('Action') && !s.elements.has('NotAction') && !misspelt(s, 'Action') && !misspelt(s, 'NotAction')) {
    out.push({
      code: 'MISSING_ACTION',
      span: anchor,
      message: `This statement has no Action (or NotAction)${droppedNote(s, ['Action', 'NotAction'], ctx)}; IAM rejects the policy. Add Action: ["service:Action", ...].`,
    });
  }
  if (!s.elements.has('Resource') && !s.elements.has('NotResource') && !misspelt(s, 'Resource') && !misspelt(s, 'NotResource')) {
    out.push({
      code: 'MISSING_RESOURCE',
      span: anchor,
      message: `This statement has no Resource (or NotResource)${droppedNote(s, ['Resource', 'NotResource'], ctx)}; a role's inline policy needs one and UFO adds no default. Add Resource: "*" or the ARNs it applies to.`,
      data: statementRef,
    });
  }
  for (const [a, b] of [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
  ]) {
    const ea = s.elements.get(a);
    const eb = s.elements.get(b);
    if (!ea || !eb) continue;
    const later = ea.span.start > eb.span.start ? ea : eb;
    out.push({
      code: 'UNSUPPORTED_ELEMENT_COMBINATION',
      span: keySpan(later),
      message: `A statement takes ${a} or ${b}, not both; IAM rejects the policy. Keep one of them (split the statement if you need both).`,
    });
  }
}

function checkValues(s: StatementRef, ctx: CallCheckContext, out: Finding[]): void {
  const effect = s.elements.get('Effect');
  if (effect) checkEffect(effect, out);
  const sid = s.elements.get('Sid');
  if (sid) {
    const v = sid.value;
    if (v.kind === 'string') {
      if (!SID.test(v.value))
        out.push({
          code: 'UNSUPPORTED_SID',
          span: v.span,
          message: `A Sid in a role's policy may hold only ASCII letters and digits; IAM rejects "${v.value}". Write ${JSON.stringify(v.value.replace(/[^A-Za-z0-9]/g, '')) || 'a name such as "ReadBucket"'}.`,
        });
    } else if (v.kind !== 'dynamic' && v.kind !== 'symbol') {
      out.push({ code: 'DATA_TYPE_MISMATCH', span: v.span, message: `Sid must be a string; UFO writes ${describe(v)} and IAM rejects the policy.` });
    }
  }
  for (const name of LIST_ELEMENTS) {
    const e = s.elements.get(name);
    if (e) checkList(name, e, ctx, out);
  }
  const condition = s.elements.get('Condition');
  if (condition && condition.value.kind !== 'hash' && condition.value.kind !== 'dynamic' && condition.value.kind !== 'symbol') {
    out.push({
      code: 'DATA_TYPE_MISMATCH',
      span: condition.value.span,
      message: `Condition must be a hash of operators to hashes of keys ({ StringEquals: { "aws:RequestedRegion": "us-east-1" } }); UFO writes ${describe(condition.value)} and IAM rejects the policy.`,
    });
  }
}

function checkEffect(e: HashEntry, out: Finding[]): void {
  const v = e.value;
  if (v.kind === 'dynamic' || v.kind === 'symbol') return;
  if (v.kind !== 'string') {
    out.push({ code: 'DATA_TYPE_MISMATCH', span: v.span, message: `Effect must be the string "Allow" or "Deny"; UFO writes ${describe(v)} and IAM rejects the policy.` });
    return;
  }
  if (v.value === 'Allow' || v.value === 'Deny') return;
  const lower = v.value.trim().toLowerCase();
  const fixed = lower === 'allow' ? 'Allow' : lower === 'deny' ? 'Deny' : undefined;
  out.push({
    code: 'INVALID_EFFECT',
    span: v.span,
    message: fixed
      ? `Effect is case-sensitive: IAM rejects "${v.value}". Write "${fixed}".`
      : `Effect must be "Allow" or "Deny"; IAM rejects "${v.value}".`,
    data: fixed && v.contentSpan ? { replacements: [fixed], target: v.contentSpan } : undefined,
  });
}

function checkList(name: string, e: HashEntry, ctx: CallCheckContext, out: Finding[]): void {
  const v = e.value;
  const items = listItems(v, ctx.version);
  if (!items) {
    out.push({
      code: 'DATA_TYPE_MISMATCH',
      span: v.span,
      message: `${name} must be a string or an array of strings; UFO writes ${describe(v)} and IAM rejects the policy.`,
    });
    return;
  }
  if (v.kind !== 'array') return;
  for (const item of v.elements) {
    if (item.kind === 'string' || item.kind === 'dynamic' || item.kind === 'symbol') continue;
    if (item.kind === 'nil' && ctx.version === 6) continue; // v6 compacts nil array elements away (§3.4).
    out.push({
      code: 'DATA_TYPE_MISMATCH',
      span: item.span,
      message:
        item.kind === 'array'
          ? `${name} takes a flat list of strings; UFO does not flatten arrays inside a statement, so IAM gets a nested array and rejects the policy. Remove the inner brackets.`
          : `${name} items must be strings; UFO writes ${describe(item)}${item.kind === 'nil' ? ' (null: UFO v5 keeps nil array elements)' : ''} and IAM rejects the policy.`,
    });
  }
}

function checkSids(all: readonly StatementRef[], out: Finding[]): void {
  const byCall = new Map<unknown, Map<string, true>>();
  for (const s of all) {
    const v = s.elements.get('Sid')?.value;
    if (v?.kind !== 'string' || v.value === '') continue;
    let seen = byCall.get(s.call);
    if (!seen) byCall.set(s.call, (seen = new Map()));
    if (seen.has(v.value)) {
      out.push({
        code: 'UNIQUE_SIDS_REQUIRED',
        span: v.span,
        message: `Another statement of this policy already has Sid "${v.value}"; Sids must be unique within a policy. Rename this one.`,
      });
    } else seen.set(v.value, true);
  }
}
