// Runs the checks over one analyzed role file. Each family checks every call alone and, where it must, the file as a
// whole (names and quotas that several calls share); findings come back with codes from the rule table. The model's
// own findings (syntax, DSL) come first. Then the severities the user configured apply, and the inline suppressions.
// The editor (diagnostics, code actions) and the CLI (`ufo-iam check`) both call runChecks, so they show the same
// findings.
//
// A call's own findings depend only on its text and on the version, role type and IAM data (a call check sees
// nothing else: CallCheckContext), so they are kept per call text, relative to the call's start, and an edit of one
// call of a large file checks that call again and reuses the others' wherever they have moved.
import type { RoleFileAnalysis } from '../analysis';
import type { Finding, Severity } from '../findings';
import { roleTypeOf, type FileRole } from '../layout/projectLayout';
import type { RoleType, UfoVersion } from '../compile/compileRoles';
import type { IamKnowledge } from '../iam/iamKnowledge';
import type { DslCall } from '../model/roleFile';
import { shiftFinding } from '../model/shift';
import { callFacts } from '../model/callFacts';
import { RULES, type Code } from './rules';
import { dslChecks } from './dsl';
import { shapeChecks } from './shape';
import { actionChecks } from './actions';
import { resourceChecks } from './resources';
import { conditionChecks } from './conditions';
import { securityChecks } from './security';
import { ufoChecks } from './ufo';
import { applySuppressions, parseDirectives } from './suppressions';
import { callsWithSyntaxErrors, statementsOfCall, type StatementRef } from './statements';

/** A configured severity per code; `off` drops the code. */
export type SeverityOverrides = Readonly<Partial<Record<string, Severity | 'off'>>>;

/** What the checks of a file are run with. */
export interface CheckInput {
  readonly analysis: RoleFileAnalysis;
  readonly fileRole: FileRole;
  readonly version: UfoVersion;
  /** The IAM data. Without it, the checks that need it stay silent (they cannot decide). */
  readonly iam?: IamKnowledge;
  /** `ufoIam.diagnostics.<CODE>` as configured. */
  readonly severities?: SeverityOverrides;
  /** Check every call again instead of reusing its findings (for the tests that compare the two). */
  readonly fresh?: boolean;
}

/** What a check family sees: the input and the role the file feeds, when UFO reads it. */
export interface CheckContext extends CheckInput {
  readonly roleType?: RoleType;
}

/** What a check of one call sees: the context of the file's role, and nothing of the file around the call. */
export interface CallCheckContext {
  readonly version: UfoVersion;
  readonly roleType?: RoleType;
  readonly iam?: IamKnowledge;
  /** Whether two byte offsets inside the call are on one line. */
  sameLine(a: number, b: number): boolean;
}

/** A call as its checks see it. */
export interface CallRef {
  readonly call: DslCall;
  /** Its statements (none for managed_iam_policy, nor for a call with a syntax error in it). */
  readonly statements: readonly StatementRef[];
  /** It holds a syntax error: the user is typing it, and its values are the parser's recovery. */
  readonly broken: boolean;
}

export interface CheckFamily {
  /** Findings about one call, from the call alone. */
  readonly call?: (ref: CallRef, ctx: CallCheckContext) => Finding[];
  /** Findings about the file or about several calls together. */
  readonly file?: (ctx: CheckContext) => Finding[];
}

/** The check families, in reporting order. */
export const CHECK_FAMILIES: readonly CheckFamily[] = [dslChecks, shapeChecks, actionChecks, resourceChecks, conditionChecks, securityChecks, ufoChecks];

/** Calls' findings per call text, relative to the call's start, for each version, role type and IAM data. */
const callCache = new WeakMap<object, Map<string, Map<string, readonly (readonly Finding[])[]>>>();
const NO_IAM = {};
/** Enough for the calls of the largest files people edit, and the versions of the calls being typed. */
export const CALL_CACHE_LIMIT = 4096;
const decoder = new TextDecoder();

function callStore(ctx: CheckContext): Map<string, readonly (readonly Finding[])[]> {
  let byContext = callCache.get(ctx.iam ?? NO_IAM);
  if (!byContext) callCache.set(ctx.iam ?? NO_IAM, (byContext = new Map()));
  const key = `${ctx.version}|${ctx.roleType ?? ''}`;
  let store = byContext.get(key);
  if (!store) byContext.set(key, (store = new Map()));
  return store;
}

/**
 * What decides a call's values besides its text, in its cache key: the local variables assigned before it (a name is
 * then a variable, not a method call) and, for `__LINE__`, its line. Only for calls core/incremental.ts can parse
 * alone (top-level statements, with their own parentheses, no heredoc), in a file without syntax errors: others are
 * checked every time.
 */
function callKey(ctx: CheckContext, index: number): string | undefined {
  const { analysis } = ctx;
  const reuse = analysis.reuse;
  if (!reuse || analysis.model.hasSyntaxErrors || !reuse.alone[index]) return undefined;
  const call = analysis.model.calls[index];
  const facts = callFacts(call);
  // A moved call has the key it had (the edit that moved it assigned no variable); `__LINE__` is computed each time.
  if (facts.textKey !== undefined) return facts.textKey;
  const { span } = call;
  const text = decoder.decode(analysis.bytes.subarray(span.start, span.end));
  let key = text;
  if (reuse.locals.length > 0) key += `\0${reuse.locals.filter((l) => l.at < span.start).map((l) => l.name).join(',')}`;
  if (text.includes('__LINE__')) {
    let line = 1;
    for (let k = 0; k < span.start; k++) if (analysis.bytes[k] === 10) line++;
    return `${key}\0${line}`;
  }
  facts.textKey = key;
  return key;
}

/** Each call's findings, by family: reused when the same call was checked before, anywhere in the file. */
function callFindings(ctx: CheckContext): (readonly Finding[])[][] {
  const { model, lineIndex } = ctx.analysis;
  const broken = callsWithSyntaxErrors(model);
  const callCtx: CallCheckContext = {
    version: ctx.version,
    roleType: ctx.roleType,
    iam: ctx.iam,
    sameLine: (a, b) => lineIndex.positionOfByte(a).line === lineIndex.positionOfByte(b).line,
  };
  const store = callStore(ctx);
  return model.calls.map((call, i) => {
    const key = ctx.fresh ? undefined : callKey(ctx, i);
    const start = call.span.start;
    const hit = key === undefined ? undefined : store.get(key);
    if (hit) {
      store.delete(key!);
      store.set(key!, hit);
      return hit.map((fs) => (fs.length === 0 ? fs : fs.map((f) => shiftFinding(f, start)!)));
    }
    const isBroken = broken.has(call);
    const ref: CallRef = { call, statements: call.method === 'iam_policy' && !isBroken ? statementsOfCall(call, ctx.version) : [], broken: isBroken };
    const found = CHECK_FAMILIES.map((f) => (f.call ? f.call(ref, callCtx) : []));
    if (key !== undefined) {
      const relative = found.map((fs) => fs.map((f) => shiftFinding(f, -start)));
      // A finding whose data cannot be moved is not kept: the call is checked again next time.
      if (relative.every((fs) => fs.every((f) => f !== undefined))) {
        if (store.size >= CALL_CACHE_LIMIT) store.delete(store.keys().next().value!);
        store.set(key, relative as Finding[][]);
      }
    }
    return found;
  });
}

/**
 * The severity a finding is shown with. A configured severity wins when it differs from the table's default;
 * otherwise the finding's own degree applies (MANAGED_POLICY_QUOTA is an error above 20) — VS Code sends
 * every setting's default, so "configured as the default" cannot be told from "not configured".
 */
export function resolveSeverity(f: Finding, severities: SeverityOverrides | undefined): Severity | 'off' {
  const def = RULES[f.code].severity;
  const configured = severities?.[f.code];
  if (configured === 'off') return 'off';
  if (configured && configured !== def) return configured;
  return f.severity ?? def;
}

/** The findings of the check families alone, before severities and suppressions (for tests and fixes). */
export function rawFindings(input: CheckInput): Finding[] {
  const ctx: CheckContext = { ...input, roleType: roleTypeOf(input.fileRole) };
  const out: Finding[] = [...ctx.analysis.findings];
  const perCall = callFindings(ctx);
  CHECK_FAMILIES.forEach((family, f) => {
    for (const found of perCall) out.push(...found[f]);
    if (family.file) out.push(...family.file(ctx));
  });
  return out;
}

/**
 * Every finding of the file, each with its final `severity`, sorted by position; codes turned off and
 * suppressed findings are gone, and unused suppressions are reported.
 */
export function runChecks(ctx: CheckInput): Finding[] {
  const seen = new Set<string>();
  const raw: Finding[] = [];
  for (const f of rawFindings(ctx)) {
    // The same finding twice (one value seen through two paths) is shown once.
    const id = `${f.code}:${f.span.start}:${f.span.end}:${f.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    raw.push(f);
  }
  const isOff = (code: string) => ctx.severities?.[code] === 'off';
  const { lineIndex, model } = ctx.analysis;
  const { kept, unused } = applySuppressions(raw, parseDirectives(model.comments, lineIndex), lineIndex, isOff);
  const out: Finding[] = [];
  for (const f of [...kept, ...unused]) {
    const severity = resolveSeverity(f, ctx.severities);
    if (severity === 'off') continue;
    out.push({ ...f, severity });
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export type { Code };
