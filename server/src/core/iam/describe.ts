// Markdown descriptions of IAM things: actions, wildcards, services, managed policies, condition operators and keys,
// statement elements, Effect values and the two DSL methods. Hover shows them; completion shows them as the
// documentation of its items. Every description ends with the date of the data it comes from, because stale IAM
// data is the most common complaint about IAM tooling (docs/checks.md, "The data").
import { compareAccessLevels, GLOBAL_CONDITION_KEYS_DOC_URL, type ActionSummary, type IamKnowledge } from './iamKnowledge';
import { hasWildcard } from './wildcard';
import { resourceMatchesArnTemplate } from './arnPattern';
import { suggest } from './suggest';
import {
  CONDITION_OPERATORS,
  CONDITION_OPERATORS_DOC_URL,
  EFFECT_VALUES,
  findConditionOperator,
  findStatementElement,
  operatorExplanation,
  STATEMENT_ELEMENTS,
} from './policyLanguage';

/** How many names a list shows before it says "and N more". */
const LIST_LIMIT = 8;
const KEY_LIST_LIMIT = 16;
const UFO_DOCS = 'https://github.com/boltops-tools/ufo';

const MD_SPECIAL = /[\\`*_[\]<>#|]/g;

/** Escapes text from the data (descriptions) so markdown shows it as written. */
export function escapeMarkdown(s: string): string {
  return s.replace(MD_SPECIAL, '\\$&');
}

function code(s: string): string {
  // A code span must be fenced by more backticks than it contains; IAM names never contain any.
  return '`' + s.replace(/`/g, "'") + '`';
}

/** A count with thousands separators (`22,091`); not toLocaleString, whose first call loads ICU data. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The footer naming the IAM action data's date. */
export function iamDataFooter(iam: IamKnowledge): string {
  const p = iam.provenance;
  if (p.serviceReference) return `_IAM data of ${p.dataDate} (downloaded from ${p.serviceReference.url}; descriptions of ${p.iamData.package} ${p.iamData.version})_`;
  return `_IAM data of ${p.dataDate} (${p.iamData.package} ${p.iamData.version})_`;
}

/** The footer naming the managed policy data's date (and the action data's, used to expand its actions). */
export function managedPolicyFooter(iam: IamKnowledge): string {
  const p = iam.provenance;
  return `_Managed policies as of ${p.managedPoliciesDate} (${p.managedPolicies.package} ${p.managedPolicies.version}); IAM data of ${p.dataDate}_`;
}

const memos = new WeakMap<IamKnowledge, Map<string, string>>();
const MEMO_LIMIT = 512;

/** Descriptions are pure functions of the data: each is built once (hovering the same action again is free). */
function memo(iam: IamKnowledge, key: string, make: () => string): string {
  let m = memos.get(iam);
  if (!m) memos.set(iam, (m = new Map()));
  let v = m.get(key);
  if (v === undefined) {
    if (m.size >= MEMO_LIMIT) m.clear();
    v = make();
    m.set(key, v);
  }
  return v;
}

function withFooter(parts: string[], footer: string): string {
  return [...parts.filter((p) => p.length > 0), '---', footer].join('\n\n');
}

function nameList(names: readonly string[], limit = LIST_LIMIT): string {
  const shown = names.slice(0, limit).map(code).join(', ');
  return names.length > limit ? `${shown}, … and ${names.length - limit} more` : shown;
}

// --- Actions, wildcards, services ---------------------------------------------------------------------------------

/** An action (`s3:GetObject`): service, access level, description, resource types, keys, dependent actions. */
export function describeAction(iam: IamKnowledge, action: string, notAction = false): string {
  return memo(iam, `a${notAction ? '!' : ''}:${action}`, () => buildActionDescription(iam, action, notAction));
}

function buildActionDescription(iam: IamKnowledge, action: string, notAction: boolean): string {
  const d = iam.actionDetails(action);
  if (!d) return describeUnknownAction(iam, action);
  const parts: string[] = [];
  parts.push(`**${d.fullName}** — ${escapeMarkdown(d.serviceName)} · ${d.accessLevel}`);
  if (d.description) parts.push(escapeMarkdown(d.description));
  if (notAction) parts.push('In `NotAction`: the statement applies to every action **except** this one.');
  if (d.isWildcardOnly) {
    parts.push('**Resource:** only `"*"` (the action has no resource-level permissions).');
  } else {
    const rows = d.resourceTypes.map((r) => `| ${code(r.name)}${r.required ? ' (required)' : ''} | ${r.arn ? code(r.arn) : '—'} |`);
    parts.push(['| Resource type | ARN |', '|---|---|', ...rows].join('\n'));
  }
  if (d.conditionKeys.length > 0) parts.push(`**Condition keys:** ${nameList(d.conditionKeys, KEY_LIST_LIMIT)}`);
  if (d.dependentActions.length > 0) parts.push(`**Dependent actions** (also needed): ${nameList(d.dependentActions, KEY_LIST_LIMIT)}`);
  if (d.docUrl) parts.push(`[${escapeMarkdown(d.serviceName)} in the Service Authorization Reference](${d.docUrl})`);
  return withFooter(parts, iamDataFooter(iam));
}

function describeUnknownAction(iam: IamKnowledge, action: string): string {
  const colon = action.indexOf(':');
  const service = colon > 0 ? action.slice(0, colon) : action;
  const known = iam.findService(service);
  const parts: string[] = [];
  if (colon <= 0) {
    parts.push(`${code(action)} is not an action: write \`service:Action\`, e.g. \`s3:GetObject\`.`);
  } else if (!known) {
    const s = iam.suggestServices(service);
    parts.push(`**${code(action)}** — unknown service ${code(service)}`);
    parts.push(`No service has the prefix ${code(service)} in the IAM data.${s.length ? ` Did you mean ${s.map(code).join(', ')}?` : ''}`);
  } else {
    const s = iam.suggestActions(action);
    parts.push(`**${code(action)}** — unknown action`);
    parts.push(`${escapeMarkdown(known.name)} has no action ${code(action.slice(colon + 1))} in the IAM data.${s.length ? ` Did you mean ${s.map(code).join(', ')}?` : ''} If AWS added it recently, the data may predate it.`);
  }
  return withFooter(parts, iamDataFooter(iam));
}

/** A table of actions grouped by access level: count and the first names of each group. */
/** Actions by access level; each row names the actions AWS's own managed policies grant most often first. */
function accessLevelTable(iam: IamKnowledge, actions: readonly ActionSummary[], shortNames: boolean): string {
  const groups = new Map<string, ActionSummary[]>();
  for (const a of iam.byGrantRank(actions)) {
    let g = groups.get(a.accessLevel);
    if (!g) groups.set(a.accessLevel, (g = []));
    g.push(a);
  }
  const order = [...groups.keys()].sort(compareAccessLevels);
  const rows = order.map((level) => {
    const list = groups.get(level)!;
    return `| ${level} | ${formatCount(list.length)} | ${nameList(list.map((a) => (shortNames ? a.name : a.fullName)), 6)} |`;
  });
  return ['| Access level | Actions | |', '|---|--:|---|', ...rows].join('\n');
}

/** A wildcard pattern (`s3:Get*`, `*`): how many actions it grants, by access level. */
export function describeWildcard(iam: IamKnowledge, pattern: string, notAction = false): string {
  return memo(iam, `w${notAction ? '!' : ''}:${pattern}`, () => buildWildcardDescription(iam, pattern, notAction));
}

function buildWildcardDescription(iam: IamKnowledge, pattern: string, notAction: boolean): string {
  const x = iam.expandWildcard(pattern);
  const parts: string[] = [];
  if (x.actions.length === 0) {
    parts.push(`**${code(pattern)}** — wildcard that matches no action`);
    parts.push('No action in the IAM data matches this pattern; it grants nothing.');
    return withFooter(parts, iamDataFooter(iam));
  }
  const single = x.services.length === 1 ? iam.findService(x.services[0]) : undefined;
  const where = single ? `of ${escapeMarkdown(single.name)}` : `in ${plural(x.services.length, 'service')}`;
  parts.push(`**${code(pattern)}** — wildcard: ${plural(x.actions.length, 'action')} ${where}`);
  if (notAction) parts.push('In `NotAction`: the statement applies to every action **except** these.');
  parts.push(accessLevelTable(iam, x.actions, single !== undefined));
  if (!single && x.services.length > 1) parts.push(`**Services:** ${nameList(x.services, 12)}`);
  return withFooter(parts, iamDataFooter(iam));
}

/** A service prefix (`s3`): name, actions by access level, link. */
export function describeService(iam: IamKnowledge, prefix: string): string {
  return memo(iam, `s:${prefix}`, () => buildServiceDescription(iam, prefix));
}

function buildServiceDescription(iam: IamKnowledge, prefix: string): string {
  const d = iam.serviceDetails(prefix);
  if (!d) {
    const s = iam.suggestServices(prefix);
    return withFooter([`${code(prefix)} is not a service prefix in the IAM data.${s.length ? ` Did you mean ${s.map(code).join(', ')}?` : ''}`], iamDataFooter(iam));
  }
  const parts = [`**${d.prefix}** — ${escapeMarkdown(d.name)}`];
  parts.push(`${plural(d.actionCount, 'action')}: ${d.accessLevelCounts.map((c) => `${c.accessLevel} ${c.count}`).join(' · ')}`);
  parts.push(`${plural(d.resourceTypes.length, 'resource type')}, ${plural(d.conditionKeys.length, 'condition key')}.`);
  if (d.docUrl) parts.push(`[${escapeMarkdown(d.name)} in the Service Authorization Reference](${d.docUrl})`);
  return withFooter(parts, iamDataFooter(iam));
}

// --- Managed policies -----------------------------------------------------------------------------------------------

interface Grants {
  readonly actions: readonly ActionSummary[];
  /** The Action entries of the Allow statements as written (unique, in order). */
  readonly patterns: readonly string[];
  readonly notActionStatements: number;
  readonly denyStatements: number;
  readonly unmatched: readonly string[];
}

const grantsCache = new WeakMap<IamKnowledge, Map<string, Grants>>();

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** What a policy document's Allow statements grant, expanded against the action data. */
function grantsOf(iam: IamKnowledge, name: string, document: unknown): Grants {
  let cache = grantsCache.get(iam);
  if (!cache) grantsCache.set(iam, (cache = new Map()));
  const hit = cache.get(name);
  if (hit) return hit;
  const doc = document as { Statement?: unknown };
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  const granted = new Map<string, ActionSummary>();
  const patterns = new Set<string>();
  const unmatched: string[] = [];
  let notActionStatements = 0;
  let denyStatements = 0;
  for (const s of statements as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object') continue;
    if (s.Effect !== 'Allow') {
      denyStatements++;
      continue;
    }
    if (s.NotAction !== undefined) notActionStatements++;
    for (const pattern of asList(s.Action)) {
      patterns.add(pattern);
      const found = hasWildcard(pattern) ? iam.matchActions(pattern) : [iam.findAction(pattern)].filter((a): a is ActionSummary => !!a);
      if (found.length === 0) unmatched.push(pattern);
      for (const a of found) granted.set(a.fullName, a);
    }
  }
  const actions = [...granted.values()].sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
  const result = { actions, patterns: [...patterns], notActionStatements, denyStatements, unmatched };
  cache.set(name, result);
  return result;
}

/**
 * An AWS managed policy as `managed_iam_policy` is given it (`Name`, `path/Name` or an ARN): ARN, path,
 * description, status, and what its latest document grants by access level.
 */
export function describeManagedPolicy(iam: IamKnowledge, input: string): string {
  return memo(iam, `p:${input}`, () => buildManagedPolicyDescription(iam, input));
}

function buildManagedPolicyDescription(iam: IamKnowledge, input: string): string {
  const m = iam.findManagedPolicy(input);
  if (!m) {
    const s = iam.suggestManagedPolicies(input);
    const parts = [`**${code(input)}** — not an AWS managed policy`];
    parts.push(
      `No AWS managed policy has this name in the data. UFO would attach ${code(input.includes('iam::aws:policy') ? input : `arn:aws:iam::aws:policy/${input}`)}, which CloudFormation rejects at deploy time.${s.length ? ` Did you mean ${s.map(code).join(', ')}?` : ''}`,
    );
    return withFooter(parts, managedPolicyFooter(iam));
  }
  const p = m.policy;
  const parts: string[] = [];
  parts.push(`**${p.name}** — AWS managed policy${p.retired ? ' (retired)' : p.deprecated ? ' (deprecated)' : ''}`);
  parts.push(code(p.arn));
  if (p.description) parts.push(escapeMarkdown(p.description));
  if (p.path) parts.push(`**Path:** ${code(p.path)}`);
  if (!m.pathMatches) {
    parts.push(
      `**Wrong path:** UFO builds ${code(`arn:aws:iam::aws:policy/${m.givenPath ?? ''}${p.name}`)}; this policy is ${code(p.arn)}. Write ${code(m.canonical)}.`,
    );
  }
  if (p.retired) parts.push('**Status:** no longer in AWS\'s list of managed policies (possibly retired); attaching it may fail.');
  else if (p.deprecated) parts.push('**Status:** AWS has put this policy on a deprecation path; prefer its replacement.');
  const doc = iam.managedPolicyDocument(p.name);
  if (doc) {
    const g = grantsOf(iam, p.name, doc.document);
    const version = `version ${doc.versionId}${doc.updatedDate ? `, updated ${doc.updatedDate.slice(0, 10)}` : ''}`;
    if (g.actions.length > 0) {
      const services = new Set(g.actions.map((a) => a.service));
      parts.push(`**Grants** ${plural(g.actions.length, 'action')} in ${plural(services.size, 'service')} (${version}):`);
      parts.push(accessLevelTable(iam, g.actions, false));
      parts.push(`**Action as written:** ${nameList(g.patterns, 10)}`);
    } else {
      parts.push(`**Grants** no action by name (${version}).`);
    }
    if (g.notActionStatements > 0) parts.push(`Plus ${plural(g.notActionStatements, 'statement')} with \`NotAction\`: every action except the ones listed.`);
    if (g.denyStatements > 0) parts.push(`${plural(g.denyStatements, 'Deny statement')} (not counted above).`);
    if (g.unmatched.length > 0) parts.push(`Not in the IAM data: ${nameList(g.unmatched, 6)}.`);
  }
  return withFooter(parts, managedPolicyFooter(iam));
}

// --- Conditions -----------------------------------------------------------------------------------------------------

export function describeConditionOperator(iam: IamKnowledge, name: string): string {
  const op = findConditionOperator(name);
  if (!op) {
    const s = suggest(name, CONDITION_OPERATORS.map((o) => o.name));
    return withFooter(
      [`**${code(name)}** — not an IAM condition operator`, `IAM rejects the policy.${s.length ? ` Did you mean ${s.map(code).join(', ')}?` : ''}`, `[Condition operators](${CONDITION_OPERATORS_DOC_URL})`],
      iamDataFooter(iam),
    );
  }
  const parts = [`**${op.name}** — condition operator`];
  if (op.name !== name) parts.push(`IAM operator names are case-sensitive: write ${code(op.name)}.`);
  parts.push(...operatorExplanation(op), `[Condition operators](${CONDITION_OPERATORS_DOC_URL})`);
  return withFooter(parts, iamDataFooter(iam));
}

/**
 * A condition key as written (`aws:SourceIp`, `aws:PrincipalTag/team`, `s3:prefix`): type, description, scope,
 * and which of the statement's actions list it.
 */
export function describeConditionKey(iam: IamKnowledge, key: string, statementActions: readonly string[] = []): string {
  const k = iam.findConditionKey(key);
  if (!k) {
    return withFooter([`**${code(key)}** — unknown condition key`, 'No global or service condition key has this name in the IAM data; the condition can never match.'], iamDataFooter(iam));
  }
  const parts: string[] = [];
  const scope = k.scope === 'global' ? `global condition key${k.category ? ` (${k.category})` : ''}` : `condition key of ${k.service}`;
  parts.push(`**${key}** — ${k.type ? `${k.type} · ` : ''}${scope}`);
  if (k.viaTemplate) parts.push(`Matches ${code(k.key)}.`);
  if (k.description) parts.push(escapeMarkdown(k.description));
  const exact = statementActions.filter((a) => !hasWildcard(a) && iam.findAction(a));
  if (exact.length > 0 && k.scope === 'service') {
    const listing = exact.filter((a) => iam.actionSupportsConditionKey(a, key));
    const missing = exact.filter((a) => !listing.includes(a));
    if (missing.length === 0) parts.push(`Listed by every action of this statement.`);
    else if (listing.length === 0) parts.push(`None of this statement's actions list this key (${nameList(missing, 4)}): for them the key is absent from the request.`);
    else parts.push(`Listed by ${nameList(listing, 4)}; not by ${nameList(missing, 4)}.`);
  }
  if (k.scope === 'global') parts.push(`[Global condition keys](${GLOBAL_CONDITION_KEYS_DOC_URL})`);
  else {
    const d = k.service ? iam.serviceDetails(k.service) : undefined;
    if (d?.docUrl) parts.push(`[${escapeMarkdown(d.name)} in the Service Authorization Reference](${d.docUrl})`);
  }
  return withFooter(parts, iamDataFooter(iam));
}

// --- Resources --------------------------------------------------------------------------------------------------------

/**
 * A Resource (or NotResource) value: which resource types of the statement's actions it names, and which of those
 * actions cannot apply to it.
 */
export function describeResource(iam: IamKnowledge, resource: string, statementActions: readonly string[], notResource = false): string {
  const parts: string[] = [];
  const uses = iam.resourceTypesForActions(statementActions);
  const exact = [...new Set(statementActions.filter((a) => !hasWildcard(a) && iam.findAction(a)).map((a) => iam.findAction(a)!.fullName))];
  if (resource === '*') {
    parts.push(`**${code('*')}** — all resources`);
    if (notResource) parts.push('In `NotResource`: the statement applies to **no** resource by ARN, only to actions without resource-level permissions.');
    const scopable = exact.filter((a) => (iam.actionDetails(a)?.resourceTypes.length ?? 0) > 0);
    if (scopable.length > 0) parts.push(`These actions of the statement have resource-level permissions and could be narrowed to ARNs: ${nameList(scopable, 8)}.`);
    return withFooter(parts, iamDataFooter(iam));
  }
  parts.push(`**${code(resource)}** — ${notResource ? 'every resource except this one' : 'resource'}`);
  if (!resource.startsWith('arn:')) parts.push('A resource is an ARN (`arn:partition:service:region:account:resource`) or `"*"`.');
  const matching = uses.filter((u) => u.arn && resourceMatchesArnTemplate(resource, u.arn));
  if (matching.length > 0) {
    const rows = matching.map((u) => `| ${code(`${u.service} ${u.name}`)} | ${code(u.arn!)} | ${nameList(u.actions, 3)} |`);
    parts.push(['| Resource type | ARN | For |', '|---|---|---|', ...rows].join('\n'));
  } else if (uses.length > 0) {
    parts.push("Names no resource type of this statement's actions.");
  }
  const cannot = exact.filter((a) => iam.actionAcceptsResource(a, resource) === false);
  if (cannot.length > 0 && !notResource) parts.push(`Cannot apply to it: ${nameList(cannot, 8)}.`);
  return withFooter(parts, iamDataFooter(iam));
}

// --- Statement elements, Effect, DSL methods -------------------------------------------------------------------------

export function describeStatementKey(iam: IamKnowledge, key: string): string {
  const e = findStatementElement(key);
  if (!e) {
    const s = suggest(key, STATEMENT_ELEMENTS.map((x) => x.name));
    return withFooter(
      [`**${code(key)}** — not an IAM policy element`, `UFO copies the key verbatim into the policy, and IAM rejects it.${s.length ? ` Did you mean ${s.map(code).join(', ')}?` : ''}`],
      iamDataFooter(iam),
    );
  }
  const parts = [`**${e.name}** — IAM policy element`];
  if (e.name !== key) parts.push(`IAM element names are case-sensitive and UFO copies keys verbatim: write ${code(e.name)}.`);
  parts.push(e.summary, `[${e.name} in the IAM User Guide](${e.doc})`);
  return withFooter(parts, iamDataFooter(iam));
}

export function describeEffect(iam: IamKnowledge, value: string): string {
  const e = EFFECT_VALUES.find((x) => x.name.toLowerCase() === value.toLowerCase());
  if (!e) return withFooter([`${code(value)} is not an Effect: write \`"Allow"\` or \`"Deny"\`.`], iamDataFooter(iam));
  const parts = [`**${e.name}** — Effect`];
  if (e.name !== value) parts.push(`IAM compares the Effect case-sensitively: write ${code(e.name)}.`);
  parts.push(e.summary);
  return withFooter(parts, iamDataFooter(iam));
}

export function describeDslMethod(iam: IamKnowledge, name: string): string {
  if (name === 'iam_policy') {
    return withFooter(
      [
        '**iam_policy**(name, statements) — UFO DSL',
        'Adds an inline policy to this role. `statements` is one statement (keyword arguments or a hash) or an array of them; arrays are flattened. Exactly two arguments, else UFO raises ArgumentError. Keys are copied verbatim; there is no default Effect or Resource.',
        '```ruby\niam_policy("S3Read", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n```',
        `[UFO](${UFO_DOCS})`,
      ],
      iamDataFooter(iam),
    );
  }
  return withFooter(
    [
      '**managed_iam_policy**(*names) — UFO DSL',
      'Attaches AWS managed policies. Each name becomes `arn:aws:iam::aws:policy/<name>`, so a policy under a path needs it (`service-role/AmazonECSTaskExecutionRolePolicy`); a string containing `iam::aws:policy` is kept as is. Customer managed policy ARNs do not work.',
      `[UFO](${UFO_DOCS})`,
    ],
    managedPolicyFooter(iam),
  );
}
