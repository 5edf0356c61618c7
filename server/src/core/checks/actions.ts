// Actions: every `Action` / `NotAction` entry against the bundled IAM data (indexed lookups; a wildcard's
// matches are computed once per pattern and cached by IamKnowledge). Unknown actions are warnings, not errors,
// and their message names the data's date: IAM accepts unknown actions, and most "unknown action" reports in
// other tools come from stale data (docs/checks.md, "The data").
import type { Finding } from '../findings';
import type { IamKnowledge } from '../iam/iamKnowledge';
import { createWildcardMatcher, hasWildcard } from '../iam/wildcard';
import type { StringValue } from '../model/values';
import type { CallCheckContext, CallRef, CheckFamily } from './index';
// AWS's policies name actions the Service Authorization Reference lacks (retired services such as DeepLens,
// undocumented actions such as payments:*); such a name is no typo, so it is reported as information.
import { AWS_GRANTED_UNKNOWN_ACTIONS, AWS_GRANTED_UNKNOWN_SERVICES } from './awsGranted';
import { listItems } from './statements';

export const actionChecks: CheckFamily = { call: checkActions };

function checkActions(ref: CallRef, ctx: CallCheckContext): Finding[] {
  const iam = ctx.iam;
  if (!iam) return [];
  const out: Finding[] = [];
  for (const s of ref.statements) {
    for (const element of ['Action', 'NotAction'] as const) {
      const e = s.elements.get(element);
      if (!e) continue;
      const items = listItems(e.value, ctx.version);
      if (!items) continue;
      if (e.value.kind === 'array' && e.value.elements.length === 0) {
        out.push({
          code: 'EMPTY_ARRAY_ACTION',
          span: e.value.span,
          message: `An empty ${element} array ${element === 'Action' ? 'grants nothing' : 'excludes nothing'}; list actions or remove the statement.`,
        });
        continue;
      }
      const invalid = new Set<StringValue>();
      for (const v of items) {
        // A string still being typed (no closing quote) is not judged yet; the syntax error says enough.
        if (v.kind !== 'string' || !v.closed) continue;
        const f = checkAction(v, iam);
        if (f) {
          out.push(f);
          if (f.code !== 'WILDCARD_IN_SERVICE_NAME') invalid.add(v);
        }
      }
      if (element === 'Action') out.push(...redundantActions(items.filter((v): v is StringValue => v.kind === 'string' && !invalid.has(v))));
    }
  }
  return out;
}

type ActionVerdict = Omit<Finding, 'span' | 'data'> & { readonly replacements?: readonly string[] };

const verdictCache = new WeakMap<IamKnowledge, Map<string, ActionVerdict | null>>();
const VERDICT_CACHE_LIMIT = 5000;

/**
 * The finding for one action string, if any. The verdict depends on the text alone, so it is kept per
 * IamKnowledge: a file names the same actions again and again, and did-you-mean costs edit distances.
 */
export function checkAction(v: StringValue, iam: IamKnowledge): Finding | undefined {
  let cache = verdictCache.get(iam);
  if (!cache) verdictCache.set(iam, (cache = new Map()));
  let verdict = cache.get(v.value);
  if (verdict === undefined) {
    const f = computeAction(v, iam);
    const replacements = (f?.data as { replacements?: string[] } | undefined)?.replacements;
    verdict = f ? { code: f.code, message: f.message, severity: f.severity, replacements } : null;
    if (cache.size >= VERDICT_CACHE_LIMIT) cache.clear();
    cache.set(v.value, verdict);
  }
  if (!verdict) return undefined;
  const { replacements, ...rest } = verdict;
  return { ...rest, span: v.span, data: replacements && v.contentSpan ? { replacements, target: v.contentSpan } : undefined };
}

function computeAction(v: StringValue, iam: IamKnowledge): Finding | undefined {
  const a = v.value;
  const date = iam.provenance.dataDate;
  if (a === '*') return undefined;
  const colon = a.indexOf(':');
  if (colon <= 0 || colon === a.length - 1 || a.indexOf(':', colon + 1) >= 0) {
    const trimmed = a.trim();
    const known = trimmed !== a ? iam.canonicalAction(trimmed) : undefined;
    return {
      code: 'INVALID_ACTION_FORMAT',
      span: v.span,
      message: known
        ? `"${a}" has blanks around the action; write "${known}".`
        : `"${a}" is not an IAM action: write service:Action (for example "s3:GetObject"), or "*". IAM rejects the policy as malformed.`,
      data: known ? { replacements: [known] } : undefined,
    };
  }
  const service = a.slice(0, colon);
  const name = a.slice(colon + 1);
  if (hasWildcard(service)) {
    if (iam.matchActions(a).length === 0)
      return { code: 'UNMATCHED_ACTION_WILDCARD', span: v.span, message: `"${a}" matches no action in the IAM data of ${date}, so it grants nothing.` };
    return {
      code: 'WILDCARD_IN_SERVICE_NAME',
      span: v.span,
      message: `"${a}" has a wildcard in the service name, so it grants ${iam.matchActions(a).length} actions across ${new Set(iam.matchActions(a).map((x) => x.service)).size} services. Name the services.`,
    };
  }
  if (!iam.serviceExists(service)) {
    const trimmed = a.trim();
    if (trimmed !== a && iam.canonicalAction(trimmed)) return blanks(v, a, iam.canonicalAction(trimmed)!);
    const granted = AWS_GRANTED_UNKNOWN_SERVICES.get(service.toLowerCase());
    if (granted) {
      return {
        code: 'INVALID_SERVICE_IN_ACTION',
        span: v.span,
        severity: 'information',
        message: `The service "${service}" is not in the IAM data of ${date}, though AWS's managed policy ${granted} still names it: the service may be retired or undocumented.`,
      };
    }
    const services = iam.suggestServices(service, 5);
    const withAction = hasWildcard(name) ? services.filter((p) => iam.matchActions(`${p}:${name}`).length > 0) : services.filter((p) => iam.canonicalAction(`${p}:${name}`));
    const replacements = (withAction.length > 0 ? withAction : services).slice(0, 3).map((p) => `${p}:${name}`);
    return {
      code: 'INVALID_SERVICE_IN_ACTION',
      span: v.span,
      message: `The service "${service}" is not in the IAM data of ${date}.${replacements.length > 0 ? ` Did you mean ${replacements.join(' or ')}?` : ''}`,
      data: replacements.length > 0 ? { replacements } : undefined,
    };
  }
  if (hasWildcard(name)) {
    if (iam.matchActions(a).length > 0) return undefined;
    return {
      code: 'UNMATCHED_ACTION_WILDCARD',
      span: v.span,
      message: `"${a}" matches no ${service} action in the IAM data of ${date}, so it grants nothing.`,
    };
  }
  if (iam.findAction(a)) return undefined;
  const trimmed = a.trim();
  if (trimmed !== a && iam.canonicalAction(trimmed)) return blanks(v, a, iam.canonicalAction(trimmed)!);
  const granted = AWS_GRANTED_UNKNOWN_ACTIONS.get(a.toLowerCase());
  if (granted) {
    return {
      code: 'INVALID_ACTION',
      span: v.span,
      severity: 'information',
      message: `${a} is not in the IAM data of ${date}, though AWS's managed policy ${granted} grants it: it may be undocumented or retired.`,
    };
  }
  const replacements = iam.suggestActions(a, 3);
  return {
    code: 'INVALID_ACTION',
    span: v.span,
    message: `${a} is not in the IAM data of ${date}.${replacements.length > 0 ? ` Did you mean ${replacements.join(' or ')}?` : ' Check the spelling, or the Service Authorization Reference if the action is newer than the data.'}`,
    data: replacements.length > 0 ? { replacements } : undefined,
  };
}

function blanks(v: StringValue, a: string, known: string): Finding {
  return {
    code: 'INVALID_ACTION',
    span: v.span,
    message: `"${a}" has blanks around the action; write "${known}".`,
    data: { replacements: [known] },
  };
}

/** Whether pattern `c` (lower case) grants everything `e` (lower case) grants, judged on the text (not the data, which changes). */
function covers(c: { lower: string; matches: (t: string) => boolean }, e: string): boolean {
  if (c.lower === '*') return true;
  if (!hasWildcard(e)) return c.matches(e);
  // Pattern under pattern: a trailing-star prefix (`s3:Get*`, `s3:*`) covers every pattern that starts with it.
  const star = c.lower.search(/[*?]/);
  return star === c.lower.length - 1 && c.lower.endsWith('*') && e.startsWith(c.lower.slice(0, -1));
}

/** Duplicates and entries covered by another entry of the same Action list. */
export function redundantActions(items: readonly StringValue[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, StringValue>();
  const unique: { v: StringValue; lower: string }[] = [];
  for (const v of items) {
    const lower = v.value.toLowerCase();
    const first = seen.get(lower);
    if (first) {
      out.push({
        code: 'REDUNDANT_ACTION',
        span: v.span,
        message: `${v.value} is already listed in this statement; remove the duplicate.`,
        data: { remove: true },
      });
      continue;
    }
    seen.set(lower, v);
    unique.push({ v, lower });
  }
  // Patterns by service, so an entry is compared with the patterns of its own service (and the few that span
  // services) only: AWS's ReadOnlyAccess has a thousand patterns over three thousand entries.
  type Pattern = { v: StringValue; lower: string; matches: (t: string) => boolean };
  const byService = new Map<string, Pattern[]>();
  const anyService: Pattern[] = [];
  for (const u of unique) {
    if (!hasWildcard(u.lower)) continue;
    const p: Pattern = { ...u, matches: createWildcardMatcher(u.lower) };
    const colon = u.lower.indexOf(':');
    const service = colon > 0 ? u.lower.slice(0, colon) : '';
    if (service === '' || hasWildcard(service)) anyService.push(p);
    else {
      let list = byService.get(service);
      if (!list) byService.set(service, (list = []));
      list.push(p);
    }
  }
  if (byService.size === 0 && anyService.length === 0) return out;
  for (const u of unique) {
    const colon = u.lower.indexOf(':');
    const own = colon > 0 ? byService.get(u.lower.slice(0, colon)) : undefined;
    const by = own?.find((p) => p.lower !== u.lower && covers(p, u.lower)) ?? anyService.find((p) => p.lower !== u.lower && covers(p, u.lower));
    if (!by) continue;
    out.push({
      code: 'REDUNDANT_ACTION',
      span: u.v.span,
      message: `${u.v.value} is already granted by ${by.v.value} in this statement; remove it.`,
      data: { remove: true },
    });
  }
  return out;
}
