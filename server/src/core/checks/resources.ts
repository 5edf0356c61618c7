// Resources: the form of each ARN in `Resource` / `NotResource`, and whether the statement's resources suit its
// actions. The latter is information only and fires only when NO resource matches ANY action's ARN formats:
// reporting per action or per resource was the top noise complaint about cfn-lint I3510 (#4031) and
// Parliament RESOURCE_MISMATCH (duo-labs/parliament issues #48 and #208; docs/checks.md).
import type { Finding } from '../findings';
import type { IamKnowledge, ResourceTypeUse } from '../iam/iamKnowledge';
import { hasWildcard } from '../iam/wildcard';
import type { StringValue } from '../model/values';
import type { CallCheckContext, CallRef, CheckFamily } from './index';
import { PARTITIONS, isVariable, resourceMatchesArnTemplate, splitArn } from '../iam/arnPattern';
import { keySpan, listItems, literalStrings, type StatementRef } from './statements';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;

export const resourceChecks: CheckFamily = { call: checkResources };

function checkResources(ref: CallRef, ctx: CallCheckContext): Finding[] {
  const out: Finding[] = [];
  for (const s of ref.statements) {
    let malformed = false;
    for (const element of ['Resource', 'NotResource'] as const) {
      const e = s.elements.get(element);
      if (!e) continue;
      for (const v of listItems(e.value, ctx.version) ?? []) {
        if (v.kind !== 'string' || !v.closed) continue;
        const f = checkArn(v, element);
        if (f) {
          out.push(f);
          malformed = true;
        }
      }
    }
    // A malformed ARN has its own finding; whether it suits the actions is then beside the point.
    if (ctx.iam && !malformed) checkMismatch(s, ctx, ctx.iam, out);
  }
  return out;
}

function checkArn(v: StringValue, element: string): Finding | undefined {
  const r = v.value;
  if (r === '*') return undefined;
  if (!r.startsWith('arn:')) {
    if (r.startsWith('${') || r.startsWith('*')) return undefined; // A variable or wildcard may stand for the whole ARN.
    return {
      code: 'INVALID_ARN_PREFIX',
      span: v.span,
      message: `${element} entries must be "*" or ARNs starting with "arn:"; IAM rejects "${r}".${/^arn:/i.test(r) ? ' Write "arn:" in lower case.' : ''}`,
    };
  }
  const f = splitArn(r);
  if (!('partition' in f)) {
    // A wildcard can stand for the missing fields only at the end (`arn:aws:s3:*`); IAM still wants six fields.
    return {
      code: 'MISSING_ARN_FIELD',
      span: v.span,
      message: `"${r}" has ${f.fieldCount} of the six ARN fields (arn:partition:service:region:account:resource); leave a field empty (::) rather than out.`,
    };
  }
  if (!isVariable(f.partition) && !PARTITIONS.includes(f.partition)) {
    return {
      code: 'INVALID_PARTITION',
      span: v.span,
      message: `"${f.partition}" is not an AWS partition (${PARTITIONS.slice(0, 3).join(', ')}, ...); IAM rejects the ARN.`,
    };
  }
  if (!isVariable(f.service) && f.service !== f.service.toLowerCase()) {
    const fixed = `arn:${f.partition}:${f.service.toLowerCase()}:${f.region}:${f.account}:${f.resource}`;
    return {
      code: 'INVALID_ARN_SERVICE_CASE',
      span: v.span,
      message: `Service names in ARNs are lower case, so "${f.service}" matches nothing; write "${f.service.toLowerCase()}".`,
      data: v.contentSpan ? { replacements: [fixed], target: v.contentSpan } : undefined,
    };
  }
  if (f.region !== '' && !isVariable(f.region) && !REGION.test(f.region)) {
    return {
      code: 'INVALID_ARN_REGION',
      span: v.span,
      message: `"${f.region}" is not a region name (such as us-east-1), so this ARN matches nothing. Use a region, "*", or leave it empty for global services.`,
    };
  }
  if (f.account !== '' && f.account !== 'aws' && !isVariable(f.account) && !ACCOUNT.test(f.account)) {
    return {
      code: 'INVALID_ARN_ACCOUNT',
      span: v.span,
      message: `"${f.account}" is not a 12-digit account ID, so this ARN matches nothing. Use the account ID, "*", or leave it empty where the service's ARNs have none (S3).`,
    };
  }
  return undefined;
}

const usesCache = new WeakMap<IamKnowledge, Map<string, readonly ResourceTypeUse[]>>();

/** The resource types the actions accept, kept per action list: statements repeat their action lists. */
function resourceTypesOf(iam: IamKnowledge, names: readonly string[]): readonly ResourceTypeUse[] {
  let cache = usesCache.get(iam);
  if (!cache) usesCache.set(iam, (cache = new Map()));
  const key = names.join('\n').toLowerCase();
  let uses = cache.get(key);
  if (!uses) {
    uses = iam.resourceTypesForActions(names);
    if (cache.size >= 2000) cache.clear();
    cache.set(key, uses);
  }
  return uses;
}

function checkMismatch(s: StatementRef, ctx: CallCheckContext, iam: IamKnowledge, out: Finding[]): void {
  const actionEntry = s.elements.get('Action');
  const resourceEntry = s.elements.get('Resource');
  if (!actionEntry || !resourceEntry || s.elements.has('NotAction') || s.elements.has('NotResource')) return;
  const actionItems = listItems(actionEntry.value, ctx.version);
  const resourceItems = listItems(resourceEntry.value, ctx.version);
  if (!actionItems || !resourceItems || actionItems.length === 0 || resourceItems.length === 0) return;
  const actions = literalStrings(actionItems);
  const resources = literalStrings(resourceItems);
  // Anything unknown (a computed value, an unknown action) and the check cannot decide: it stays silent.
  if (!actions.complete || !resources.complete) return;
  const names: string[] = [];
  for (const a of actions.strings) {
    const colon = a.value.indexOf(':');
    if (a.value === '*' || colon <= 0 || hasWildcard(a.value.slice(0, colon))) return;
    if (hasWildcard(a.value) ? iam.matchActions(a.value).length === 0 : !iam.findAction(a.value)) return;
    names.push(a.value);
  }
  const arns: string[] = [];
  for (const r of resources.strings) {
    if (r.value === '*' || !r.value.startsWith('arn:')) return;
    if (!('partition' in splitArn(r.value))) return;
    arns.push(r.value);
  }
  const uses = resourceTypesOf(iam, names);
  if (uses.some((u) => u.arn === undefined)) return;
  // An action that lists no resource type supports only "*"; it matches no ARN.
  // The same engine as hover's list of the resource types a resource names (core/iam/arnPattern.ts).
  for (const text of arns) for (const u of uses) if (resourceMatchesArnTemplate(text, u.arn!)) return;
  const list = names.length === 1 ? names[0] : `the ${names.length} actions of this statement`;
  const formats = [...new Set(uses.map((u) => u.arn!))];
  out.push({
    code: 'RESOURCE_MISMATCH',
    span: keySpan(resourceEntry),
    message:
      formats.length === 0
        ? `${names.length === 1 ? `${names[0]} supports` : `The actions of this statement support`} only Resource "*"; the ARN${arns.length === 1 ? '' : 's'} given here match${arns.length === 1 ? 'es' : ''} nothing they act on.`
        : `No resource here has a format that ${list} accept${names.length === 1 ? 's' : ''}: ${formats.slice(0, 3).join(', ')}${formats.length > 3 ? `, and ${formats.length - 3} more` : ''}.`,
  });
}
