// Conditions: operators, keys and values of each statement's `Condition` block. Keys resolve through the
// bundled data (global `aws:` keys, service keys, templated keys such as `aws:ResourceTag/team`); the type
// checks are lenient where AWS itself is (string operators work on ARN keys, numeric ones on aws:EpochTime).
import type { Finding } from '../findings';
import type { IamKnowledge } from '../iam/iamKnowledge';
import { suggest } from '../iam/suggest';
import { CONDITION_OPERATORS, operatorKind, type OperatorKind } from '../iam/policyLanguage';
import type { HashEntry, Value } from '../model/values';
import type { CallCheckContext, CallRef, CheckFamily } from './index';
import { entryKey, keySpan } from './statements';

type Category = OperatorKind;

/** Every spelling IAM accepts, for case fixes and did-you-mean (the one table, core/iam/policyLanguage.ts). */
const ALL_OPERATORS: string[] = CONDITION_OPERATORS.map((o) => o.name);
const OPERATOR_BY_LOWER = new Map(ALL_OPERATORS.map((o) => [o.toLowerCase(), o]));

/** Key types (the data's, without `ArrayOf`) that an operator category cannot compare. */
const INCOMPATIBLE: Partial<Record<Category, readonly string[]>> = {
  Numeric: ['Bool', 'IPAddress', 'ARN'],
  Date: ['Bool', 'IPAddress', 'ARN'],
  Bool: ['Numeric', 'Date', 'IPAddress', 'ARN'],
  IpAddress: ['Bool', 'Numeric', 'Date', 'ARN'],
  Arn: ['Bool', 'Numeric', 'Date', 'IPAddress'],
};

const OPERATORS_FOR_TYPE: Readonly<Record<string, string>> = {
  String: 'a String operator (StringEquals, StringLike, ...)',
  ARN: 'ArnLike / ArnEquals (or a String operator)',
  Bool: 'Bool',
  Numeric: 'a Numeric operator (NumericEquals, NumericLessThan, ...)',
  Date: 'a Date operator (DateGreaterThan, ...)',
  IPAddress: 'IpAddress / NotIpAddress',
};

export interface ParsedOperator {
  readonly set?: 'ForAllValues' | 'ForAnyValue';
  readonly base: string;
  readonly ifExists: boolean;
  readonly category?: Category;
}

const operatorCache = new Map<string, ParsedOperator>();

export function parseOperator(op: string): ParsedOperator {
  let parsed = operatorCache.get(op);
  if (!parsed) {
    parsed = parseOperatorText(op);
    if (operatorCache.size > 1000) operatorCache.clear();
    operatorCache.set(op, parsed);
  }
  return parsed;
}

function parseOperatorText(op: string): ParsedOperator {
  let rest = op;
  let set: ParsedOperator['set'];
  for (const p of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(`${p}:`)) {
      set = p;
      rest = rest.slice(p.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  return { set, base, ifExists, category: operatorKind(base) };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

export const conditionChecks: CheckFamily = { call: checkConditions };

function checkConditions(ref: CallRef, ctx: CallCheckContext): Finding[] {
  const out: Finding[] = [];
  for (const s of ref.statements) {
    const c = s.elements.get('Condition');
    if (!c || c.value.kind !== 'hash') continue;
    for (const opEntry of c.value.entries) {
      const op = entryKey(opEntry);
      if (op === undefined) continue;
      const parsed = parseOperator(op);
      if (parsed.base === 'Null' && parsed.ifExists) {
        out.push({
          code: 'NULL_WITH_IF_EXISTS',
          span: keySpan(opEntry),
          message: `Null checks whether a key is present; it takes no IfExists suffix. Write ${parsed.set ? `${parsed.set}:` : ''}Null.`,
          data: replaceKey(opEntry, `${parsed.set ? `${parsed.set}:` : ''}Null`),
        });
      } else if (!parsed.category) {
        const fixed = OPERATOR_BY_LOWER.get(op.toLowerCase());
        const close = fixed ? [fixed] : suggest(op, ALL_OPERATORS, 2);
        out.push({
          code: 'INVALID_CONDITION_OPERATOR',
          span: keySpan(opEntry),
          message: fixed
            ? `Condition operators are case-sensitive: IAM does not know "${op}". Write ${fixed}.`
            : `"${op}" is not a condition operator${close.length > 0 ? `: did you mean ${close.join(' or ')}?` : '.'}`,
          data: close.length > 0 ? replaceKey(opEntry, ...close) : undefined,
        });
        continue;
      }
      const block = opEntry.value;
      if (block.kind === 'dynamic' || block.kind === 'symbol') continue;
      if (block.kind !== 'hash') {
        out.push({
          code: 'DATA_TYPE_MISMATCH',
          span: block.span,
          message: `${op} takes a hash of condition keys to values ({ "aws:RequestedRegion": "us-east-1" }); IAM rejects this.`,
        });
        continue;
      }
      for (const keyEntry of block.entries) checkKey(op, parsed, keyEntry, ctx, out);
    }
  }
  return out;
}

function replaceKey(e: HashEntry, ...replacements: string[]): Record<string, unknown> | undefined {
  const target = e.key.kind === 'string' || e.key.kind === 'symbol' ? e.key.contentSpan : undefined;
  return target ? { replacements, target } : undefined;
}

function checkKey(op: string, parsed: ParsedOperator, e: HashEntry, ctx: CallCheckContext, out: Finding[]): void {
  const key = entryKey(e);
  if (key === undefined) return;
  if (key.indexOf(':') <= 0) {
    out.push({
      code: 'INVALID_CONDITION_KEY_FORMAT',
      span: keySpan(e),
      message: `"${key}" is not a condition key: keys are prefix:name, such as aws:SourceIp or s3:prefix.`,
    });
    return;
  }
  const iam = ctx.iam;
  let type: string | undefined;
  if (iam) {
    const resolved = resolveConditionKey(iam, key);
    if (!resolved) {
      unknownKey(key, e, iam, out);
    } else type = resolved.type;
  }
  if (type && parsed.category) {
    const base = type.replace(/^ArrayOf/, '');
    if (INCOMPATIBLE[parsed.category]?.includes(base)) {
      out.push({
        code: 'TYPE_MISMATCH',
        span: keySpan(e),
        message: `${op} compares ${parsed.category === 'IpAddress' ? 'IP addresses' : parsed.category === 'Arn' ? 'ARNs' : `${parsed.category} values`}, but ${key} is of type ${type}; use ${OPERATORS_FOR_TYPE[base] ?? 'an operator of that type'}.`,
      });
    }
    if (parsed.set === 'ForAllValues' && !type.startsWith('ArrayOf')) {
      out.push({
        code: 'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
        span: keySpan(e),
        message: `Security: ${key} is single-valued, and ForAllValues is also true when the request lacks the key, so this condition can allow more than meant. Drop "ForAllValues:" (or use ForAnyValue only for multivalued keys).`,
      });
    }
  }
  checkValues(op, parsed, e.value, ctx, out);
}

/**
 * A key resolved through the data. Two service tables write their tag-key template the way the global list does,
 * as a literal `tag-key` (`secretsmanager:ResourceTag/tag-key`, `ssm:resourceTag/tag-key`), which the data layer
 * does not treat as a template; a concrete key under such a prefix resolves to it here.
 */
function resolveConditionKey(iam: IamKnowledge, key: string): { type: string | undefined } | undefined {
  let cache = keyCache.get(iam);
  if (!cache) keyCache.set(iam, (cache = new Map()));
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let found: { type: string | undefined } | undefined = iam.findConditionKey(key);
  const slash = key.indexOf('/');
  if (!found && slash > 0 && slash < key.length - 1) found = iam.findConditionKey(`${key.slice(0, slash + 1)}tag-key`);
  if (cache.size >= 5000) cache.clear();
  cache.set(key, found ? { type: found.type } : null);
  return found;
}

const keyCache = new WeakMap<IamKnowledge, Map<string, { type: string | undefined } | null>>();

function unknownKey(key: string, e: HashEntry, iam: IamKnowledge, out: Finding[]): void {
  const colon = key.indexOf(':');
  const prefix = key.slice(0, colon);
  const date = iam.provenance.dataDate;
  if (prefix.toLowerCase() === 'aws') {
    const candidates = iam.globalConditionKeys().map((k) => (k.templated ? k.key.slice(0, k.key.indexOf('/') + 1) : k.key));
    const close = suggest(key, candidates, 2).filter((c) => !c.endsWith('/'));
    out.push({
      code: 'INVALID_GLOBAL_CONDITION_KEY',
      span: keySpan(e),
      message: `${key} is not a global condition key${close.length > 0 ? `: did you mean ${close.join(' or ')}?` : ` (the IAM data of ${date} lists them all).`}`,
      data: close.length > 0 ? replaceKey(e, ...close) : undefined,
    });
    return;
  }
  // Keys of identity providers (`accounts.google.com:aud`, OIDC URLs) belong to trust policies; not judged here.
  if (prefix.includes('.') || prefix.includes('/')) return;
  out.push({
    code: 'INVALID_SERVICE_CONDITION_KEY',
    span: keySpan(e),
    message: iam.serviceExists(prefix)
      ? `${key} is not a condition key of ${prefix} in the IAM data of ${date}; the condition never matches if the service does not set it.`
      : `There is no service "${prefix}" with condition keys in the IAM data of ${date}; ${key} never matches if no service sets it.`,
  });
}

function checkValues(op: string, parsed: ParsedOperator, v: Value, ctx: CallCheckContext, out: Finding[]): void {
  if (v.kind === 'dynamic' || v.kind === 'symbol') return;
  if (v.kind === 'hash') {
    out.push({ code: 'DATA_TYPE_MISMATCH', span: v.span, message: `A condition value is a string, number, boolean or an array of them; IAM rejects a hash here.` });
    return;
  }
  const items = v.kind === 'array' ? v.elements : [v];
  for (const item of items) {
    if (item.kind === 'hash' || item.kind === 'array') {
      out.push({ code: 'DATA_TYPE_MISMATCH', span: item.span, message: `Condition values must be strings, numbers or booleans; IAM rejects a nested ${item.kind}.` });
      continue;
    }
    const text = item.kind === 'string' ? item.value : item.kind === 'integer' ? item.value.toString() : item.kind === 'float' ? String(item.value) : item.kind === 'boolean' ? String(item.value) : undefined;
    if (text === undefined || text.includes('${')) continue;
    const finding = valueFinding(op, parsed, item, text);
    if (finding) out.push(finding);
  }
}

function valueFinding(op: string, parsed: ParsedOperator, item: Value, text: string): Finding | undefined {
  switch (parsed.category) {
    case 'Bool':
    case 'Null':
      if (item.kind === 'boolean' || /^(true|false)$/i.test(text)) return undefined;
      return { code: 'TYPE_MISMATCH_BOOLEAN', span: item.span, message: `${op} takes true or false; "${text}" is neither.` };
    case 'Numeric':
      if (item.kind === 'integer' || item.kind === 'float' || NUMBER.test(text)) return undefined;
      return { code: 'TYPE_MISMATCH_NUMBER', span: item.span, message: `${op} compares numbers; "${text}" is not one.` };
    case 'Date':
      if (item.kind === 'integer' || ISO_DATE.test(text) || /^\d+$/.test(text)) return undefined;
      return {
        code: 'TYPE_MISMATCH_DATE',
        span: item.span,
        message: `${op} compares dates; "${text}" is neither an ISO 8601 date (2026-01-31T00:00:00Z) nor epoch seconds.`,
      };
    case 'IpAddress':
      if (IPV4.test(text) || (text.includes(':') && IPV6.test(text))) return undefined;
      return {
        code: 'TYPE_MISMATCH_IP_RANGE',
        span: item.span,
        message: `${op} takes IPv4 or IPv6 addresses or CIDR ranges (203.0.113.0/24); "${text}" is not one.`,
      };
    default:
      return undefined;
  }
}
