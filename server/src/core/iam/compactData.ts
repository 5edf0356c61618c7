// The compaction of IAM data into the files of dist/data (shapes in dataFormat.ts, docs/data.md), shared by the build
// (scripts/buildIamData.mjs, which bundles this file with esbuild and maps the pinned packages into an IamDataSource)
// and by "UFO: Update IAM Data" / `ufo-iam update-data` (serviceReference.ts maps AWS's service reference into one).
// One function for both, so downloaded data has exactly the shape, order and bytes the bundled data has.
//
// Pure: it takes parsed inputs and returns file texts; reading the sources and writing the files is the callers' job.

import {
  DATA_FORMAT,
  INDEX_FILE,
  MANAGED_POLICY_DOCUMENTS_FILE,
  POLICY_FIELD_SEPARATOR,
  POLICY_RECORD_SEPARATOR,
  serviceFile,
  type ManagedPolicyDocumentData,
  type StoredManagedPolicyDocument,
  type ProvenanceData,
} from './dataFormat';

/** Separates action names inside one string of the index; action names are [A-Za-z0-9_-]+ (checked below). */
const ACTION_SEPARATOR = ',';

/** Base of the AWS Service Authorization Reference pages (one page per service). */
const SAR_BASE = 'https://docs.aws.amazon.com/service-authorization/latest/reference/';

/**
 * Pages whose file name is not the current display name: AWS kept the old file names when it renamed
 * "AWS IAM Identity Center (successor to AWS Single Sign-On)", and iam-data carries the new display name.
 */
const SAR_PAGE_OVERRIDES: Readonly<Record<string, string>> = {
  sso: 'list_awsiamidentitycentersuccessortoawssinglesign-on.html',
  'sso-directory': 'list_awsiamidentitycentersuccessortoawssinglesign-ondirectory.html',
};

export interface SourceActionResourceType {
  readonly name: string;
  readonly required: boolean;
  readonly conditionKeys?: readonly string[];
  readonly dependentActions?: readonly string[];
}

export interface SourceAction {
  readonly name: string;
  readonly description?: string;
  readonly accessLevel: string;
  readonly resourceTypes: readonly SourceActionResourceType[];
  readonly conditionKeys?: readonly string[];
  readonly dependentActions?: readonly string[];
}

export interface SourceService {
  readonly prefix: string;
  /** Display name ("Amazon S3"); absent when the source has none: the prefix stands in and no page URL is derived. */
  readonly name?: string;
  readonly actions: readonly SourceAction[];
  readonly resourceTypes: readonly { readonly key: string; readonly arn?: string; readonly conditionKeys?: readonly string[] }[];
  readonly conditionKeys: readonly { readonly key: string; readonly type?: string; readonly description?: string }[];
}

export interface SourceManagedPolicy {
  readonly name: string;
  /** '' or 'service-role/' style. */
  readonly path: string;
  readonly description: string;
  readonly retired: boolean;
  readonly deprecated: boolean;
}

export interface IamDataSource {
  readonly services: readonly SourceService[];
  /** Condition key prefixes that are no service (`saml`, ...) → the services whose tables hold their keys. */
  readonly unassociatedConditions: Readonly<Record<string, readonly string[]>>;
  readonly globalConditionKeys: readonly { readonly key: string; readonly type: string; readonly category: string; readonly description?: string }[];
  readonly managedPolicies: readonly SourceManagedPolicy[];
  /** The latest document of each managed policy, by bare name. */
  readonly documents: Readonly<Record<string, ManagedPolicyDocumentData>>;
  readonly provenance: ProvenanceData;
  readonly generatedBy: string;
}

export interface CompactCounts {
  readonly services: number;
  readonly actions: number;
  readonly resourceTypes: number;
  readonly serviceConditionKeys: number;
  readonly globalConditionKeys: number;
  readonly managedPolicies: number;
  readonly managedPoliciesCurrent: number;
  readonly managedPoliciesRetired: number;
  readonly managedPoliciesDeprecated: number;
  readonly managedPolicyDocuments: number;
}

export interface CompactedData {
  /** Relative path (`iam-index.json`, `services/s3.json`, ...) → minified JSON text, in writing order. */
  readonly files: ReadonlyMap<string, string>;
  readonly counts: CompactCounts;
}

/** Compacts a source into the files of the data folder. Throws on input that the formats cannot hold. */
export function compactIamData(source: IamDataSource): CompactedData {
  const services = [...source.services].sort((a, b) => compareStrings(a.prefix, b.prefix));
  const seen = new Set<string>();
  const accessLevelSet = new Set<string>();
  const sortedActions = new Map<string, SourceAction[]>();
  for (const s of services) {
    if (seen.has(s.prefix)) throw new Error(`service ${s.prefix} appears twice`);
    seen.add(s.prefix);
    const actions = [...s.actions].sort((a, b) => compareStrings(a.name, b.name));
    for (const a of actions) {
      if (!/^[A-Za-z0-9_-]+$/.test(a.name)) throw new Error(`unexpected action name ${s.prefix}:${a.name}`);
      accessLevelSet.add(String(a.accessLevel));
    }
    sortedActions.set(s.prefix, actions);
  }
  const accessLevels = [...accessLevelSet].sort(compareStrings);
  if (accessLevels.length > 36) throw new Error('more than 36 access levels do not fit one base-36 digit');
  const levelCode = new Map(accessLevels.map((l, i) => [l, i.toString(36)]));

  // The index keeps all action names in one string and all access levels in another, each service pointing at its
  // slice: JSON.parse then makes a few large strings, which V8 allocates outside the young generation, instead of
  // hundreds of medium ones that the first garbage collections would copy (measured: 6 ms instead of 25 ms).
  const indexServices: Record<string, [string, number, number, number, number]> = {};
  const nameChunks: string[] = [];
  let nameOffset = 0;
  let levelChunks = '';
  let actionCount = 0;
  let resourceTypeCount = 0;
  let serviceConditionKeyCount = 0;
  const serviceFiles = new Map<string, object>();
  for (const s of services) {
    const { prefix, resourceTypes, conditionKeys } = s;
    const actions = sortedActions.get(prefix)!;
    const name = s.name ?? prefix;
    const names = actions.map((a) => a.name).join(ACTION_SEPARATOR);
    indexServices[prefix] = [name, nameOffset, nameOffset + names.length, actionCount, actions.length];
    nameChunks.push(names);
    nameOffset += names.length + ACTION_SEPARATOR.length;
    levelChunks += actions.map((a) => levelCode.get(String(a.accessLevel))).join('');
    actionCount += actions.length;
    resourceTypeCount += resourceTypes.length;
    serviceConditionKeyCount += conditionKeys.length;

    const rtByLower = new Map(resourceTypes.map((r) => [r.key.toLowerCase(), r]));
    serviceFiles.set(prefix, {
      prefix,
      name,
      docUrl: s.name === undefined ? undefined : serviceDocUrl(prefix, name),
      actions: Object.fromEntries(
        actions.map((a) => [
          a.name,
          compact({
            description: a.description,
            accessLevel: String(a.accessLevel),
            // [name, required, conditionKeys, dependentActions] per resource type; names use the canonical
            // spelling of the service's resource type table.
            resourceTypes: a.resourceTypes.map((r) => [
              rtByLower.get(r.name.toLowerCase())?.key ?? r.name,
              r.required ? 1 : 0,
              sortedUnique(r.conditionKeys),
              sortedUnique(r.dependentActions),
            ]),
            conditionKeys: sortedUnique(a.conditionKeys),
            dependentActions: sortedUnique(a.dependentActions),
          }),
        ]),
      ),
      resourceTypes: Object.fromEntries(
        [...resourceTypes]
          .sort((a, b) => compareStrings(a.key, b.key))
          .map((r) => [r.key, compact({ arn: r.arn, conditionKeys: sortedUnique(r.conditionKeys ?? []) })]),
      ),
      conditionKeys: Object.fromEntries(
        [...conditionKeys]
          .sort((a, b) => compareStrings(a.key, b.key))
          .map((c) => [c.key, compact({ type: c.type, description: c.description })]),
      ),
    });
  }

  // --- Global condition keys ----------------------------------------------------------------------------------
  // Their descriptions may be empty in the source, so the description used most often for the same key in the
  // service tables (aws:RequestTag/${TagKey} for aws:RequestTag/tag-key) fills in.
  const descriptionVotes = new Map<string, Map<string, number>>();
  for (const s of services) {
    for (const c of s.conditionKeys) {
      if (!c.description) continue;
      const id = globalKeyId(c.key);
      const votes = descriptionVotes.get(id) ?? new Map<string, number>();
      votes.set(c.description, (votes.get(c.description) ?? 0) + 1);
      descriptionVotes.set(id, votes);
    }
  }
  const indexGlobalKeys = source.globalConditionKeys
    .map((g) => [g.key, g.type, g.category, g.description || mostVoted(descriptionVotes.get(globalKeyId(g.key))) || ''] as const)
    .sort((a, b) => compareStrings(a[0], b[0]));

  // Condition key prefixes whose keys (also) live in the table of another service, each with those services:
  // prefixes that are no service (saml:, token.actions.githubusercontent.com:), and keys that a service lists under
  // another service's prefix (ec2:osuser in ec2-instance-connect's table).
  const prefixServices = new Map(Object.entries(source.unassociatedConditions).map(([k, list]) => [k, new Set(list)]));
  for (const s of services) {
    for (const c of s.conditionKeys) {
      const colon = c.key.indexOf(':');
      const keyPrefix = c.key.slice(0, colon);
      if (colon <= 0 || keyPrefix.toLowerCase() === 'aws' || keyPrefix.toLowerCase() === s.prefix) continue;
      if (!prefixServices.has(keyPrefix)) prefixServices.set(keyPrefix, new Set());
      prefixServices.get(keyPrefix)!.add(s.prefix);
    }
  }
  const conditionKeyPrefixes = Object.fromEntries(
    [...prefixServices.keys()].sort(compareStrings).map((k) => [k, sortedUnique([...prefixServices.get(k)!])]),
  );

  // --- Managed policies ---------------------------------------------------------------------------------------
  const policyList = [...source.managedPolicies].sort((a, b) => compareStrings(a.name, b.name));
  for (const p of policyList) {
    if (/[\t\n]/.test(p.name + p.path + p.description)) throw new Error(`managed policy ${p.name}: tab or newline in a field`);
  }
  // How often AWS's own current managed policies grant each action by name (not through a wildcard): the order in which
  // a wildcard's hover lists its actions, and completion's tiebreak between items of equal match. One base-36 digit
  // per action, in the order of actionLevels: 0 for none, else 1 + ⌊4·log2(count)⌋ (at most 35).
  const actionIndex = new Map<string, number>();
  {
    let i = 0;
    for (const s of services) for (const a of sortedActions.get(s.prefix)!) actionIndex.set(`${s.prefix}:${a.name}`.toLowerCase(), i++);
  }
  const grants = new Array<number>(actionCount).fill(0);
  for (const p of policyList) {
    if (p.retired) continue;
    const doc = source.documents[p.name]?.document as { Statement?: unknown } | undefined;
    const named = new Set<number>();
    const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
    for (const st of statements as { Effect?: unknown; Action?: unknown }[]) {
      if (st?.Effect !== 'Allow') continue;
      for (const a of Array.isArray(st.Action) ? st.Action : st.Action ? [st.Action] : []) {
        if (typeof a !== 'string' || a.includes('*') || a.includes('?')) continue;
        const i = actionIndex.get(a.toLowerCase());
        if (i !== undefined) named.add(i);
      }
    }
    for (const i of named) grants[i]++;
  }
  const actionGrants = grants.map((c) => (c === 0 ? 0 : Math.min(35, 1 + Math.floor(4 * Math.log2(c)))).toString(36)).join('');

  // The documents file first: the index gives each policy's byte range in it.
  const { generatedBy } = source;
  const { text: documentsText, ranges: documentRanges } = documentsFile(generatedBy, source.documents);
  const indexPolicies = policyList
    .map((p) => {
      const range = documentRanges.get(p.name);
      return [p.name, p.path, (p.retired ? 1 : 0) | (p.deprecated ? 2 : 0), p.description, range?.[0] ?? '', range?.[1] ?? ''].join(POLICY_FIELD_SEPARATOR);
    })
    .join(POLICY_RECORD_SEPARATOR);

  // --- Files --------------------------------------------------------------------------------------------------
  const index = {
    format: DATA_FORMAT,
    generatedBy,
    provenance: source.provenance,
    accessLevels,
    actionSeparator: ACTION_SEPARATOR,
    services: indexServices,
    actionNames: nameChunks.join(ACTION_SEPARATOR),
    actionLevels: levelChunks,
    actionGrants,
    globalConditionKeys: indexGlobalKeys,
    conditionKeyPrefixes,
    managedPolicies: indexPolicies,
  };
  const files = new Map<string, string>();
  files.set(INDEX_FILE, JSON.stringify(index));
  for (const [prefix, detail] of serviceFiles) files.set(serviceFile(prefix), JSON.stringify({ generatedBy, ...detail }));
  files.set(MANAGED_POLICY_DOCUMENTS_FILE, documentsText);

  return {
    files,
    counts: {
      services: services.length,
      actions: actionCount,
      resourceTypes: resourceTypeCount,
      serviceConditionKeys: serviceConditionKeyCount,
      globalConditionKeys: indexGlobalKeys.length,
      managedPolicies: policyList.length,
      managedPoliciesCurrent: policyList.filter((p) => !p.retired).length,
      managedPoliciesRetired: policyList.filter((p) => p.retired).length,
      managedPoliciesDeprecated: policyList.filter((p) => p.deprecated).length,
      managedPolicyDocuments: Object.keys(source.documents).length,
    },
  };
}

/**
 * managed-policy-documents.json (dataFormat.ts, `DocumentsFile`): the records in name order, written in ASCII, and
 * each record's range in the text, which, ASCII, is its byte range in the file too.
 */
function documentsFile(generatedBy: string, documents: Readonly<Record<string, ManagedPolicyDocumentData>>): { text: string; ranges: Map<string, readonly [number, number]> } {
  const ranges = new Map<string, readonly [number, number]>();
  let text = `{"generatedBy":${asciiJson(generatedBy)},"policies":{`;
  const names = Object.keys(documents).sort(compareStrings);
  names.forEach((name, i) => {
    const { versionId, createdDate, updatedDate, document } = documents[name]!;
    // JSON.stringify leaves out the dates that are undefined.
    const record: StoredManagedPolicyDocument = { name, versionId, createdDate, updatedDate, document };
    text += `${i === 0 ? '' : ','}${asciiJson(name)}:`;
    const start = text.length;
    text += asciiJson(record);
    ranges.set(name, [start, text.length]);
  });
  text += '}}';
  return { text, ranges };
}

/** JSON.stringify with every character outside ASCII escaped (`\u00e9`): the same value, in ASCII. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The Service Authorization Reference page of a service. AWS names the page after the service's display name:
 * lower case, without spaces and brackets, keeping letters, digits, dots and hyphens
 * ("Amazon AppStream 2.0" → list_amazonappstream2.0.html, "AWS X-Ray" → list_awsx-ray.html,
 * "AWS Identity and Access Management (IAM)" → list_awsidentityandaccessmanagementiam.html).
 * Undefined when the name has characters whose treatment is not known (such as "@").
 */
export function serviceDocUrl(prefix: string, name: string): string | undefined {
  const override = SAR_PAGE_OVERRIDES[prefix];
  if (override) return SAR_BASE + override;
  const slug = name.toLowerCase().replace(/[\s()]+/g, '');
  if (!/^[a-z0-9.-]+$/.test(slug)) return undefined;
  return `${SAR_BASE}list_${slug}.html`;
}

/** Identifies a condition key across its spellings: `aws:RequestTag/${TagKey}` and `aws:RequestTag/tag-key` agree. */
function globalKeyId(key: string): string {
  const lower = key.toLowerCase();
  const slash = lower.indexOf('/');
  return slash < 0 ? lower : `${lower.slice(0, slash)}/*`;
}

function mostVoted(votes: Map<string, number> | undefined): string | undefined {
  if (!votes) return undefined;
  let best: string | undefined;
  let bestCount = 0;
  for (const [text, count] of [...votes].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (count > bestCount) [best, bestCount] = [text, count];
  }
  return best;
}

/** Orders by code units, independent of the locale of the machine that builds. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(list: readonly string[] | undefined): string[] {
  return [...new Set(list ?? [])].sort(compareStrings);
}

/** Drops undefined values, empty strings and empty arrays so that absent means empty in every file. */
function compact(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}
