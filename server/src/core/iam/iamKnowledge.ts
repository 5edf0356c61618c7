// The IAM knowledge of ufo-iam: services, actions, resource types, condition keys and AWS managed policies, over
// the files that scripts/buildIamData.mjs writes into dist/data/ (shapes in dataFormat.ts, docs/data.md).
//
// Pure: the caller injects a loader that returns the parsed JSON of a data file. The start-up index
// (iam-index.json) is loaded by the constructor; the details of a service and the managed policy documents are
// loaded on first use and kept. Lookups are indexed: nothing scans all 22k actions unless the pattern asks for
// all services (`*:Get*`), and the per-service tables are built once, on the first use of that service.

import { resourceMatchesArnTemplate } from './arnPattern';
import { conditionKeyPrefix, isTemplatedKey, templateToRegExp } from './conditionKeyTemplate';
import {
  DATA_FORMAT,
  INDEX_FILE,
  MANAGED_POLICY_DOCUMENTS_FILE,
  POLICY_DEPRECATED,
  POLICY_FIELD_SEPARATOR,
  POLICY_RECORD_SEPARATOR,
  POLICY_RETIRED,
  serviceFile,
  type ActionData,
  type ConditionKeyData,
  type DocumentsFile,
  type IndexFile,
  type ProvenanceData,
  type ServiceFile,
  type StoredManagedPolicyDocument,
} from './dataFormat';
import { suggest } from './suggest';
import { createWildcardMatcher, hasWildcard } from './wildcard';

/** Returns the parsed JSON of a file under dist/data (e.g. 'iam-index.json'); throws if it is missing. */
export type DataLoader = (relativePath: string) => unknown;

/**
 * Returns the text of bytes [start, end) of a file under dist/data that is ASCII (managed-policy-documents.json), so
 * that one record is read without the rest of the file; throws if the file is missing or shorter.
 */
export type DataRangeReader = (relativePath: string, start: number, end: number) => string;

/** The AWS page that lists the global condition keys (aws:* and the few service keys usable in any policy). */
export const GLOBAL_CONDITION_KEYS_DOC_URL =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

export interface Provenance extends ProvenanceData {
  /** Day the action data was taken from AWS (YYYY-MM-DD: iam-data's updatedAt, or the day of the download). */
  readonly dataDate: string;
  /** 'bundled': built from the pinned packages; 'downloaded': from AWS's service reference (`serviceReference`). */
  readonly source: 'bundled' | 'downloaded';
  /** Day of the newest managed policy document update in the data (YYYY-MM-DD). */
  readonly managedPoliciesDate: string;
}

export interface ServiceSummary {
  /** Service prefix as used in actions (`s3`). */
  readonly prefix: string;
  /** Display name (`Amazon S3`). */
  readonly name: string;
  readonly actionCount: number;
}

export interface ActionSummary {
  /** Service prefix (`s3`). */
  readonly service: string;
  /** Action name as AWS spells it (`GetObject`). */
  readonly name: string;
  /** `s3:GetObject`. */
  readonly fullName: string;
  /** As the data has it: "Read", "Write", "List", "Tagging, Write", "Permissions management, Write", ... */
  readonly accessLevel: string;
}

export interface ActionResourceType {
  /** Resource type name as the service's table spells it (`object`). */
  readonly name: string;
  /** The action requires this resource type (an asterisk in the AWS table). */
  readonly required: boolean;
  /** ARN template (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`), if the service's table has one. */
  readonly arn: string | undefined;
  /** Condition keys listed on the action's row for this resource type. */
  readonly conditionKeys: readonly string[];
  readonly dependentActions: readonly string[];
}

export interface ActionDetails extends ActionSummary {
  readonly serviceName: string;
  readonly description: string;
  /** Empty when the action supports only `"Resource": "*"`. */
  readonly resourceTypes: readonly ActionResourceType[];
  readonly isWildcardOnly: boolean;
  /** Every condition key of the action: its own and those of its resource type rows (sorted, unique). */
  readonly conditionKeys: readonly string[];
  /** Every dependent action: its own and those of its resource type rows (sorted, unique). */
  readonly dependentActions: readonly string[];
  /** Service Authorization Reference page of the service, when known. */
  readonly docUrl: string | undefined;
}

export interface AccessLevelGroup {
  readonly accessLevel: string;
  readonly actions: readonly ActionSummary[];
}

export interface WildcardExpansion {
  readonly pattern: string;
  /** Sorted by service, then name. */
  readonly actions: readonly ActionSummary[];
  /** Groups in the order List, Read, Write, Permissions management, Tagging, then any other. */
  readonly byAccessLevel: readonly AccessLevelGroup[];
  /** Prefixes of the services with at least one match, sorted. */
  readonly services: readonly string[];
}

export interface ResourceTypeInfo {
  readonly service: string;
  readonly name: string;
  readonly arn: string | undefined;
  /** Condition keys of the resource type's own table row. */
  readonly conditionKeys: readonly string[];
}

/** A resource type together with the given actions that accept it. */
export interface ResourceTypeUse extends ResourceTypeInfo {
  /** Full names of the actions that accept this resource type. */
  readonly actions: readonly string[];
  /** Required by at least one of those actions. */
  readonly required: boolean;
}

export interface ConditionKeyInfo {
  /** As AWS spells it; a template for keys with a variable part (`s3:ExistingObjectTag/<key>`). */
  readonly key: string;
  /** `String`, `ARN`, `Bool`, `Numeric`, `Date`, `IPAddress`, `ArrayOfString`, ..., when known. */
  readonly type: string | undefined;
  readonly description: string | undefined;
  /** Global keys apply to every service; service keys come from one service's table. */
  readonly scope: 'global' | 'service';
  /** Service whose table defines the key (service scope only). */
  readonly service: string | undefined;
  /** Global keys only: principal, session, network, resource or request. */
  readonly category: string | undefined;
  readonly templated: boolean;
}

/** The result of resolving a concrete key written in a policy. */
export interface ResolvedConditionKey extends ConditionKeyInfo {
  /** The key as written (`aws:PrincipalTag/team`). */
  readonly input: string;
  /** Matched through a template (`aws:PrincipalTag/tag-key`), not by name. */
  readonly viaTemplate: boolean;
}

/** A condition key of some of the given actions. */
export interface ConditionKeyUse extends ConditionKeyInfo {
  /** Full names of the given actions that list the key. */
  readonly actions: readonly string[];
}

export interface ManagedPolicy {
  /** Bare name (`AmazonECSTaskExecutionRolePolicy`). */
  readonly name: string;
  /** '' or a path with a trailing slash (`service-role/`). */
  readonly path: string;
  /** `arn:aws:iam::aws:policy/<path><name>`. */
  readonly arn: string;
  readonly description: string;
  /** Known only from the document history: gone from AWS's current list ("possibly retired"). */
  readonly retired: boolean;
  /** AWS's description puts the policy on a deprecation path. */
  readonly deprecated: boolean;
}

export interface ManagedPolicyMatch {
  readonly policy: ManagedPolicy;
  readonly input: string;
  /** The path part of the input (`service-role/`), undefined when the input is a bare name. */
  readonly givenPath: string | undefined;
  /** The input's path (none counts as '') is the policy's path, so the ARN UFO builds from it is right. */
  readonly pathMatches: boolean;
  /** The input names the policy exactly as AWS spells it (path and case). */
  readonly exact: boolean;
  /** `path/Name` as AWS spells it, what `managed_iam_policy` should be given. */
  readonly canonical: string;
}

export interface ManagedPolicyDocument {
  readonly name: string;
  readonly versionId: string;
  readonly createdDate: string | undefined;
  readonly updatedDate: string | undefined;
  /** The policy document (`{ Version, Statement }`). */
  readonly document: unknown;
}

export interface ServiceDetails extends ServiceSummary {
  readonly docUrl: string | undefined;
  /** Action counts per access level, in the order of WildcardExpansion.byAccessLevel. */
  readonly accessLevelCounts: readonly { readonly accessLevel: string; readonly count: number }[];
  readonly resourceTypes: readonly ResourceTypeInfo[];
  readonly conditionKeys: readonly ConditionKeyInfo[];
}

/** A service of the index. Its action tables are built on first use, and action objects only for actions asked for. */
interface ServiceEntry {
  readonly summary: ServiceSummary;
  /** Offsets of the service's names in IndexFile.actionNames. */
  readonly namesStart: number;
  readonly namesEnd: number;
  /** The service's grant-frequency digits (a slice of IndexFile.actionGrants; empty without them). */
  grantsText: string;
  /** The service's access level digits (a slice of IndexFile.actionLevels). */
  readonly levelsText: string;
  names?: readonly string[];
  lowerNames?: readonly string[];
  indexByLower?: Map<string, number>;
  summaries?: (ActionSummary | undefined)[];
  all?: readonly ActionSummary[];
}

interface LoadedService {
  readonly file: ServiceFile;
  readonly conditionKeysByLower: Map<string, string>;
  readonly conditionKeyTemplates: readonly (readonly [RegExp, string])[];
  readonly resourceTypesByLower: Map<string, string>;
}

const ACCESS_LEVEL_ORDER = ['list', 'read', 'write', 'permissions management', 'tagging'];

/** Each access level string's rank, remembered: a role's effective permissions sort thousands of actions by it. */
const levelRanks = new Map<string, number>();

function levelRank(level: string): number {
  let rank = levelRanks.get(level);
  if (rank === undefined) {
    const i = ACCESS_LEVEL_ORDER.indexOf(level.split(',')[0].trim().toLowerCase());
    rank = i < 0 ? ACCESS_LEVEL_ORDER.length : i;
    if (levelRanks.size < 64) levelRanks.set(level, rank);
  }
  return rank;
}

/** Orders access levels as AWS lists them (List, Read, Write, Permissions management, Tagging). */
export function compareAccessLevels(a: string, b: string): number {
  if (a === b) return 0;
  return levelRank(a) - levelRank(b) || (a < b ? -1 : 1);
}

// Patterns whose expansion is remembered: ReadOnlyAccess alone has about 2,900, and a role's effective permissions
// expand all of its patterns on every refresh.
const MATCH_CACHE_LIMIT = 8192;
/** How many condition-key prefixes servicesForConditionPrefix remembers (a few dozen services' prefixes are in use). */
const PREFIX_MEMO_LIMIT = 1024;
const ARN_POLICY_MARKER = 'iam::aws:policy';

/** The memo's answer for `key`, computed and kept when missing; a memo that holds `limit` answers is emptied first. */
function remembered<T>(memo: Map<string, T>, key: string, limit: number, compute: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memo.size >= limit) memo.clear();
  memo.set(key, value);
  return value;
}

export class IamKnowledge {
  readonly provenance: Provenance;
  /** Access levels that occur in the data, in AWS's order. */
  readonly accessLevels: readonly string[];

  private readonly load: DataLoader;
  private readonly levelTable: readonly string[];
  private readonly separator: string;
  private readonly actionNamesText: string;
  private readonly services: readonly ServiceEntry[];
  private readonly serviceSummaries: readonly ServiceSummary[];
  private readonly servicesByLower = new Map<string, ServiceEntry>();
  private readonly globalKeys: readonly ConditionKeyInfo[];
  private readonly globalKeysByLower = new Map<string, ConditionKeyInfo>();
  /** `aws:principaltag` → the info of `aws:PrincipalTag/tag-key`. */
  private readonly globalKeysBySlashPrefix = new Map<string, ConditionKeyInfo>();
  private readonly conditionPrefixServices = new Map<string, readonly string[]>();
  private readonly conditionPrefixTemplates: readonly (readonly [RegExp, readonly string[]])[];
  /**
   * servicesForConditionPrefix's answers by lower-cased prefix: every key of a condition-key list or check asks for its
   * prefix's services, and each answer tries all the templated prefixes' patterns. Prefixes come from the user's text
   * too, so the memo is emptied when it holds PREFIX_MEMO_LIMIT of them.
   */
  private readonly servicesByConditionPrefix = new Map<string, readonly string[]>();
  private readonly policyTable: string;
  /** The index's policy records (one line each), split on the first managed policy query; parsed one by one. */
  private policyRecords: readonly string[] | undefined;
  private readonly policyObjects: (ManagedPolicy | undefined)[] = [];
  private policyList: readonly ManagedPolicy[] | undefined;
  /** Lower-cased name → record index, built for the first name given in another case than AWS's. */
  private policyIndexByLower: Map<string, number> | undefined;
  /** Byte ranges of the parsed policies' records in the documents file, by bare name (the index's policy records). */
  private readonly documentRanges = new Map<string, readonly [number, number]>();
  private readonly readRange: DataRangeReader | undefined;
  private readonly loadedServices = new Map<string, LoadedService>();
  private readonly matchCache = new Map<string, readonly ActionSummary[]>();
  private allActionsCache: readonly ActionSummary[] | undefined;
  private documents: DocumentsFile | undefined;
  /** The stored records read so far, by bare name; null: the data has no document. */
  private readonly storedDocuments = new Map<string, StoredManagedPolicyDocument | null>();

  /**
   * `readRange`, when given, reads the managed policy documents a caller asks for by their byte ranges; without it,
   * the first document asked for loads the whole documents file.
   */
  constructor(load: DataLoader, readRange?: DataRangeReader) {
    this.load = load;
    this.readRange = readRange;
    const index = load(INDEX_FILE) as IndexFile;
    if (!index || typeof index !== 'object' || index.format !== DATA_FORMAT) {
      throw new Error(`${INDEX_FILE}: expected data format ${DATA_FORMAT}, got ${(index as IndexFile | undefined)?.format}`);
    }
    const p = index.provenance;
    this.provenance = {
      ...p,
      dataDate: (p.serviceReference?.retrievedAt ?? p.iamData.updatedAt).slice(0, 10),
      source: p.serviceReference ? 'downloaded' : 'bundled',
      managedPoliciesDate: p.managedPolicies.lastUpdatedDate.slice(0, 10),
    };
    this.levelTable = index.accessLevels;
    this.accessLevels = [...index.accessLevels].sort(compareAccessLevels);
    this.separator = index.actionSeparator;
    this.actionNamesText = index.actionNames;

    const services: ServiceEntry[] = [];
    for (const [prefix, [name, namesStart, namesEnd, firstAction, actionCount]] of Object.entries(index.services)) {
      const entry: ServiceEntry = {
        summary: { prefix, name, actionCount },
        namesStart,
        namesEnd,
        levelsText: index.actionLevels.slice(firstAction, firstAction + actionCount),
        grantsText: index.actionGrants?.slice(firstAction, firstAction + actionCount) ?? '',
      };
      services.push(entry);
      this.servicesByLower.set(prefix.toLowerCase(), entry);
    }
    this.services = services;
    this.serviceSummaries = services.map((s) => s.summary);

    this.globalKeys = index.globalConditionKeys.map(([key, type, category, description]) => ({
      key,
      type: type || undefined,
      description: description || undefined,
      scope: 'global' as const,
      service: undefined,
      category: category || undefined,
      templated: key.includes('/'),
    }));
    for (const info of this.globalKeys) {
      const lower = info.key.toLowerCase();
      this.globalKeysByLower.set(lower, info);
      const slash = lower.indexOf('/');
      // The global list writes the variable part as a literal after the slash (`aws:PrincipalTag/tag-key`).
      if (slash > 0) this.globalKeysBySlashPrefix.set(lower.slice(0, slash), info);
    }

    const prefixTemplates: (readonly [RegExp, readonly string[]])[] = [];
    for (const [prefix, list] of Object.entries(index.conditionKeyPrefixes)) {
      if (isTemplatedKey(prefix)) prefixTemplates.push([templateToRegExp(prefix), list]);
      else this.conditionPrefixServices.set(prefix.toLowerCase(), list);
    }
    this.conditionPrefixTemplates = prefixTemplates;

    this.policyTable = index.managedPolicies;
  }

  // --- Services -----------------------------------------------------------------------------------------------

  /** All services, sorted by prefix. */
  listServices(): readonly ServiceSummary[] {
    return this.serviceSummaries;
  }

  /** The service with this prefix (case-insensitive). */
  findService(prefix: string): ServiceSummary | undefined {
    return this.servicesByLower.get(prefix.toLowerCase())?.summary;
  }

  serviceExists(prefix: string): boolean {
    return this.servicesByLower.has(prefix.toLowerCase());
  }

  /** Hover details of a service; loads its details file. */
  serviceDetails(prefix: string): ServiceDetails | undefined {
    const entry = this.servicesByLower.get(prefix.toLowerCase());
    if (!entry) return undefined;
    const loaded = this.loadService(entry.summary.prefix);
    const counts = new Map<string, number>();
    for (const action of this.actionsOf(entry)) counts.set(action.accessLevel, (counts.get(action.accessLevel) ?? 0) + 1);
    return {
      ...entry.summary,
      docUrl: loaded.file.docUrl,
      accessLevelCounts: [...counts]
        .sort((a, b) => compareAccessLevels(a[0], b[0]))
        .map(([accessLevel, count]) => ({ accessLevel, count })),
      resourceTypes: Object.keys(loaded.file.resourceTypes).map((name) => this.resourceTypeInfo(loaded, name)),
      // The service tables also list the global tag keys (`aws:RequestTag/${TagKey}`) with service-specific
      // descriptions; those keep the description but are global in scope.
      conditionKeys: Object.entries(loaded.file.conditionKeys).map(([key, data]) => {
        const info = this.serviceKeyInfo(entry.summary.prefix, key, data);
        const global = key.toLowerCase().startsWith('aws:') ? this.findConditionKey(key) : undefined;
        return global ? { ...info, scope: 'global' as const, service: undefined, category: global.category } : info;
      }),
    };
  }

  // --- Actions ------------------------------------------------------------------------------------------------

  /** The actions of a service (case-insensitive prefix), sorted by name; empty for an unknown service. */
  listActions(service: string): readonly ActionSummary[] {
    const entry = this.servicesByLower.get(service.toLowerCase());
    return entry ? this.actionsOf(entry) : [];
  }

  /** The action `service:Name` (case-insensitive, no wildcards). */
  findAction(action: string): ActionSummary | undefined {
    const colon = action.indexOf(':');
    if (colon <= 0) return undefined;
    const entry = this.servicesByLower.get(action.slice(0, colon).toLowerCase());
    if (!entry) return undefined;
    const i = this.indexOfName(entry, action.slice(colon + 1));
    return i === undefined ? undefined : this.actionAt(entry, i);
  }

  /**
   * How often AWS's own managed policies grant an action by name, as a rank from 0 (never) to 35: the order in which
   * lists of actions show the most useful first (`s3:Get*` shows GetObject before GetAccelerateConfiguration).
   */
  grantRank(action: string): number {
    const colon = action.indexOf(':');
    const entry = colon > 0 ? this.servicesByLower.get(action.slice(0, colon).toLowerCase()) : undefined;
    if (!entry || entry.grantsText === '') return 0;
    const i = this.indexOfName(entry, action.slice(colon + 1));
    return i === undefined ? 0 : parseInt(entry.grantsText[i], 36);
  }

  /** Sorts actions most granted first, then by name (a stable, useful order for lists that show only a few). */
  byGrantRank<T extends { readonly fullName: string }>(actions: readonly T[]): T[] {
    return [...actions].sort((a, b) => this.grantRank(b.fullName) - this.grantRank(a.fullName) || (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  }

  /** The canonical spelling (`s3:GetObject`) of an existing action given in any case, or undefined. */
  canonicalAction(action: string): string | undefined {
    return this.findAction(action)?.fullName;
  }

  /**
   * The actions an IAM action pattern grants: `*` and `?` anywhere (`*`, `s3:Get*`, `*:Get*`, `s3:Get*Tagging`,
   * `?3:*`), case-insensitive, sorted by service then name. A pattern whose service part has no wildcard looks at
   * that service only. The pattern is matched against the whole `service:Action` name, as IAM does.
   */
  matchActions(pattern: string): readonly ActionSummary[] {
    return remembered(this.matchCache, pattern, MATCH_CACHE_LIMIT, () => this.computeMatches(pattern));
  }

  /** What an action pattern grants, grouped by access level (for hovers over wildcards). */
  expandWildcard(pattern: string): WildcardExpansion {
    const actions = this.matchActions(pattern);
    const groups = new Map<string, ActionSummary[]>();
    const services = new Set<string>();
    for (const a of actions) {
      let group = groups.get(a.accessLevel);
      if (!group) groups.set(a.accessLevel, (group = []));
      group.push(a);
      services.add(a.service);
    }
    return {
      pattern,
      actions,
      byAccessLevel: [...groups]
        .sort((a, b) => compareAccessLevels(a[0], b[0]))
        .map(([accessLevel, list]) => ({ accessLevel, actions: list })),
      services: [...services].sort(),
    };
  }

  /** Everything about one action (no wildcards); loads its service's details file. */
  actionDetails(action: string): ActionDetails | undefined {
    const summary = this.findAction(action);
    if (!summary) return undefined;
    const loaded = this.loadService(summary.service);
    const data = loaded.file.actions[summary.name];
    if (!data) return undefined;
    const resourceTypes = (data.resourceTypes ?? []).map(
      ([name, required, conditionKeys, dependentActions]): ActionResourceType => ({
        name,
        required: required === 1,
        arn: loaded.file.resourceTypes[name]?.arn,
        conditionKeys,
        dependentActions,
      }),
    );
    return {
      ...summary,
      serviceName: loaded.file.name,
      description: data.description ?? '',
      resourceTypes,
      isWildcardOnly: resourceTypes.length === 0,
      conditionKeys: allConditionKeys(data),
      dependentActions: uniqueSorted([
        ...(data.dependentActions ?? []),
        ...(data.resourceTypes ?? []).flatMap((r) => r[3]),
      ]),
      docUrl: loaded.file.docUrl,
    };
  }

  /**
   * ARN templates of the resource types an action accepts; empty when it supports only `"Resource": "*"`,
   * undefined for an unknown action.
   */
  resourceArnPatterns(action: string): readonly string[] | undefined {
    const details = this.actionDetails(action);
    if (!details) return undefined;
    return details.resourceTypes.flatMap((r) => (r.arn ? [r.arn] : []));
  }

  /**
   * The resource types of an action that a Resource pattern of a policy can name (`arn:aws:s3:::my-bucket/*` names
   * s3:GetObject's `object`, not s3:ListBucket's `bucket`); undefined for an unknown action.
   */
  resourceTypesMatching(action: string, resource: string): readonly ActionResourceType[] | undefined {
    const details = this.actionDetails(action);
    if (!details) return undefined;
    return details.resourceTypes.filter((r) => r.arn !== undefined && resourceMatchesArnTemplate(resource, r.arn));
  }

  /**
   * Whether the action can apply to a Resource pattern of a policy; undefined for an unknown action. An action
   * without resource types is authorized against `*` only, so it accepts only `"*"`.
   */
  actionAcceptsResource(action: string, resource: string): boolean | undefined {
    const details = this.actionDetails(action);
    if (!details) return undefined;
    if (resource === '*') return true;
    return details.resourceTypes.some((r) => r.arn !== undefined && resourceMatchesArnTemplate(resource, r.arn));
  }

  /**
   * The resource types that the given actions accept, each with the actions that accept it. Patterns are
   * expanded when their service part has no wildcard (`s3:Get*`); others (`*`, `*:Get*`) and unknown actions
   * are skipped, because they would name most of AWS.
   */
  resourceTypesForActions(actions: Iterable<string>): readonly ResourceTypeUse[] {
    const uses = new Map<string, { info: ResourceTypeInfo; actions: string[]; required: boolean }>();
    for (const summary of this.expandWithinServices(actions)) {
      const loaded = this.loadService(summary.service);
      for (const [name, required] of loaded.file.actions[summary.name]?.resourceTypes ?? []) {
        const id = `${summary.service}:${name}`;
        let use = uses.get(id);
        if (!use) uses.set(id, (use = { info: this.resourceTypeInfo(loaded, name), actions: [], required: false }));
        use.actions.push(summary.fullName);
        if (required === 1) use.required = true;
      }
    }
    return [...uses.values()]
      .map((u) => ({ ...u.info, actions: u.actions, required: u.required }))
      .sort((a, b) => cmp(a.service, b.service) || cmp(a.name, b.name));
  }

  /** A resource type of a service (case-insensitive names). */
  resourceType(service: string, name: string): ResourceTypeInfo | undefined {
    const entry = this.servicesByLower.get(service.toLowerCase());
    if (!entry) return undefined;
    const loaded = this.loadService(entry.summary.prefix);
    const canonical = loaded.resourceTypesByLower.get(name.toLowerCase());
    return canonical === undefined ? undefined : this.resourceTypeInfo(loaded, canonical);
  }

  // --- Condition keys -----------------------------------------------------------------------------------------

  /** The global condition keys (aws:* and the few service keys valid in any policy), sorted. */
  globalConditionKeys(): readonly ConditionKeyInfo[] {
    return this.globalKeys;
  }

  /** The condition keys an action lists (own and per resource type), as AWS spells them; undefined if unknown. */
  conditionKeysForAction(action: string): readonly string[] | undefined {
    const summary = this.findAction(action);
    if (!summary) return undefined;
    const data = this.loadService(summary.service).file.actions[summary.name];
    return data ? allConditionKeys(data) : [];
  }

  /**
   * The union of the condition keys of the given actions, each with its type and description and the actions that
   * list it, sorted by key. Patterns expand as in resourceTypesForActions.
   */
  conditionKeysForActions(actions: Iterable<string>): readonly ConditionKeyUse[] {
    const uses = new Map<string, { key: string; actions: string[] }>();
    for (const summary of this.expandWithinServices(actions)) {
      const data = this.loadService(summary.service).file.actions[summary.name];
      if (!data) continue;
      for (const key of allConditionKeys(data)) {
        const id = key.toLowerCase();
        let use = uses.get(id);
        if (!use) uses.set(id, (use = { key, actions: [] }));
        use.actions.push(summary.fullName);
      }
    }
    return [...uses.values()]
      .map(({ key, actions: list }) => ({ ...this.describeListedKey(key), actions: list }))
      .sort((a, b) => cmp(a.key, b.key));
  }

  /**
   * Resolves a condition key as written in a policy: a global key (`aws:SourceIp`), a concrete key of a global
   * template (`aws:PrincipalTag/team` → `aws:PrincipalTag/tag-key`), a service key (`s3:prefix`), or a concrete
   * key of a service template (`s3:ExistingObjectTag/foo` → `s3:ExistingObjectTag/<key>`). Case-insensitive.
   * Keys of identity providers (`saml:aud`, `token.actions.githubusercontent.com:sub`) resolve through the services
   * whose tables list them (sts). Loads the details file of the key's service.
   */
  findConditionKey(key: string): ResolvedConditionKey | undefined {
    const lower = key.toLowerCase();
    const global = this.globalKeysByLower.get(lower);
    if (global) return { ...global, input: key, viaTemplate: false };
    const slash = lower.indexOf('/');
    if (slash > 0 && slash < lower.length - 1) {
      const template = this.globalKeysBySlashPrefix.get(lower.slice(0, slash));
      if (template) return { ...template, input: key, viaTemplate: true };
    }
    const prefix = conditionKeyPrefix(lower);
    if (prefix === undefined || prefix === 'aws') return undefined;
    for (const service of this.servicesForConditionPrefix(prefix)) {
      const loaded = this.loadService(service);
      const exact = loaded.conditionKeysByLower.get(lower);
      if (exact !== undefined) {
        return { ...this.serviceKeyInfo(service, exact, loaded.file.conditionKeys[exact]), input: key, viaTemplate: false };
      }
      for (const [re, template] of loaded.conditionKeyTemplates) {
        if (re.test(key)) {
          return {
            ...this.serviceKeyInfo(service, template, loaded.file.conditionKeys[template]),
            input: key,
            viaTemplate: true,
          };
        }
      }
    }
    return undefined;
  }

  isValidConditionKey(key: string): boolean {
    return this.findConditionKey(key) !== undefined;
  }

  /** The type of a condition key (`String`, `ARN`, `Bool`, ...), when the key is known and typed. */
  conditionKeyType(key: string): string | undefined {
    return this.findConditionKey(key)?.type;
  }

  /**
   * Whether an action lists the condition key (exactly, or through a template such as `aws:RequestTag/${TagKey}`
   * for `aws:RequestTag/team`); undefined for an unknown action. Global keys that apply to every request
   * (`aws:SourceIp`, `aws:PrincipalArn`) are not listed per action, so callers decide about those themselves.
   */
  actionSupportsConditionKey(action: string, key: string): boolean | undefined {
    const keys = this.conditionKeysForAction(action);
    if (!keys) return undefined;
    const lower = key.toLowerCase();
    for (const listed of keys) {
      if (listed.toLowerCase() === lower) return true;
      if (isTemplatedKey(listed) && cachedTemplate(listed).test(key)) return true;
    }
    return false;
  }

  // --- Managed policies ---------------------------------------------------------------------------------------

  /** All AWS managed policies, current and possibly retired, sorted by name. */
  listManagedPolicies(): readonly ManagedPolicy[] {
    return this.policies();
  }

  /**
   * Looks up a managed policy the way `managed_iam_policy` is given one: `Name`, `path/Name` or an ARN containing
   * `iam::aws:policy` (docs/ufo-semantics.md §4), case-insensitively by name. The match tells whether the input's path and
   * case are right, and gives the canonical `path/Name`.
   */
  findManagedPolicy(input: string): ManagedPolicyMatch | undefined {
    const { name, givenPath } = splitPolicyInput(input);
    const i = this.policyIndexOf(name);
    if (i === undefined) return undefined;
    const policy = this.policyAt(i);
    const pathMatches = (givenPath ?? '') === policy.path;
    return {
      policy,
      input,
      givenPath,
      pathMatches,
      exact: pathMatches && name === policy.name,
      canonical: policy.path + policy.name,
    };
  }

  /**
   * The latest document of a managed policy (by name, `path/Name` or ARN): its record of the documents file, read by
   * its byte range when the loader can, else from the whole file, loaded once.
   */
  managedPolicyDocument(input: string): ManagedPolicyDocument | undefined {
    const match = this.findManagedPolicy(input);
    if (!match) return undefined;
    const { name } = match.policy;
    // Read once per policy: the same document object comes back on every call (the evaluator keys its
    // preparations on it).
    let data = this.storedDocuments.get(name);
    if (data === undefined) {
      data = this.readStoredDocument(name) ?? null;
      this.storedDocuments.set(name, data);
    }
    if (data === null) return undefined;
    return { name, versionId: data.versionId, createdDate: data.createdDate, updatedDate: data.updatedDate, document: data.document };
  }

  /** `name`: a policy that findManagedPolicy found (so its record is parsed and its range known). */
  private readStoredDocument(name: string): StoredManagedPolicyDocument | undefined {
    const range = this.documentRanges.get(name);
    if (this.readRange && range) {
      const text = this.readRange(MANAGED_POLICY_DOCUMENTS_FILE, range[0], range[1]);
      let record: StoredManagedPolicyDocument | undefined;
      try {
        record = JSON.parse(text) as StoredManagedPolicyDocument;
      } catch {
        // Not JSON: the range cuts a record (another build's file).
      }
      if (record?.name !== name) throw new Error(`${MANAGED_POLICY_DOCUMENTS_FILE}: bytes ${range[0]}–${range[1]} are not the record of ${name}; the file does not belong to ${INDEX_FILE}`);
      return record;
    }
    if (this.readRange && !range) return undefined;
    this.documents ??= this.load(MANAGED_POLICY_DOCUMENTS_FILE) as DocumentsFile;
    return this.documents.policies[name];
  }

  // --- Did you mean -------------------------------------------------------------------------------------------

  /** Close service prefixes for an unknown one. */
  suggestServices(prefix: string, max = 3): string[] {
    return suggest(
      prefix,
      this.services.map((s) => s.summary.prefix),
      max,
    );
  }

  /**
   * Close actions for an unknown `service:Action`, as full names: among the service's actions when the service
   * exists, else among the actions of the closest services.
   */
  suggestActions(action: string, max = 3): string[] {
    const colon = action.indexOf(':');
    if (colon <= 0) return [];
    const service = action.slice(0, colon);
    const name = action.slice(colon + 1);
    const known = this.servicesByLower.get(service.toLowerCase());
    const candidates = known ? [known] : this.suggestServices(service, 2).map((p) => this.servicesByLower.get(p)!);
    const out: string[] = [];
    for (const entry of candidates) {
      const names = this.namesOf(entry);
      for (const s of suggest(name, names, max)) out.push(`${entry.summary.prefix}:${s}`);
      if (out.length >= max) break;
    }
    return out.slice(0, max);
  }

  /** Close current (not retired) managed policies for an unknown name, as canonical `path/Name`. */
  suggestManagedPolicies(input: string, max = 3): string[] {
    const { name } = splitPolicyInput(input);
    const current = this.policies().filter((p) => !p.retired);
    return suggest(
      name,
      current.map((p) => p.name),
      max,
    ).map((n) => {
      const p = this.policyAt(this.policyIndexOf(n)!);
      return p.path + p.name;
    });
  }

  // --- Internals ----------------------------------------------------------------------------------------------

  private records(): readonly string[] {
    this.policyRecords ??= this.policyTable.split(POLICY_RECORD_SEPARATOR);
    return this.policyRecords;
  }

  private policies(): readonly ManagedPolicy[] {
    this.policyList ??= this.records().map((_, i) => this.policyAt(i));
    return this.policyList;
  }

  private policyAt(i: number): ManagedPolicy {
    let policy = this.policyObjects[i];
    if (!policy) {
      const [name, path, flagText, description, documentStart, documentEnd] = this.records()[i]!.split(POLICY_FIELD_SEPARATOR);
      const flags = Number(flagText);
      if (documentStart && documentEnd) this.documentRanges.set(name!, [Number(documentStart), Number(documentEnd)]);
      policy = {
        name: name!,
        path: path!,
        arn: `arn:aws:iam::aws:policy/${path}${name}`,
        description: description!,
        retired: (flags & POLICY_RETIRED) !== 0,
        deprecated: (flags & POLICY_DEPRECATED) !== 0,
      };
      this.policyObjects[i] = policy;
    }
    return policy;
  }

  /**
   * The record index of a policy name, in any case. The records are sorted by name (compactData.ts), so AWS's own
   * spelling, what role files mostly give, is found by binary search without parsing the 1,600 records; another
   * spelling builds the case-insensitive index once.
   */
  private policyIndexOf(name: string): number | undefined {
    const records = this.records();
    let lo = 0;
    let hi = records.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const record = records[mid]!;
      const tab = record.indexOf(POLICY_FIELD_SEPARATOR);
      const n = tab < 0 ? record : record.slice(0, tab);
      if (n === name) return mid;
      if (n < name) lo = mid + 1;
      else hi = mid - 1;
    }
    if (!this.policyIndexByLower) {
      const map = new Map<string, number>();
      records.forEach((record, i) => {
        const tab = record.indexOf(POLICY_FIELD_SEPARATOR);
        map.set((tab < 0 ? record : record.slice(0, tab)).toLowerCase(), i);
      });
      this.policyIndexByLower = map;
    }
    return this.policyIndexByLower.get(name.toLowerCase());
  }

  private namesOf(entry: ServiceEntry): readonly string[] {
    entry.names ??=
      entry.namesEnd === entry.namesStart
        ? []
        : this.actionNamesText.slice(entry.namesStart, entry.namesEnd).split(this.separator);
    return entry.names;
  }

  private lowerNamesOf(entry: ServiceEntry): readonly string[] {
    entry.lowerNames ??= this.namesOf(entry).map((n) => n.toLowerCase());
    return entry.lowerNames;
  }

  private actionIndexOf(entry: ServiceEntry): Map<string, number> {
    if (!entry.indexByLower) {
      const map = new Map<string, number>();
      this.lowerNamesOf(entry).forEach((n, i) => map.set(n, i));
      entry.indexByLower = map;
    }
    return entry.indexByLower;
  }

  /**
   * The index of an action name in a service, in any case. The data's own spelling is found by binary search: the
   * names are sorted by code unit (compactData.ts) and the policies that name actions mostly spell them as AWS
   * does, so the case-insensitive index, a Map of lower-cased names, is built only for a service asked for in
   * another spelling (building it for the 300 services ReadOnlyAccess names cost every such CLI run milliseconds of
   * work and of garbage collection).
   */
  private indexOfName(entry: ServiceEntry, name: string): number | undefined {
    const names = this.namesOf(entry);
    let lo = 0;
    let hi = names.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const n = names[mid]!;
      if (n === name) return mid;
      if (n < name) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.actionIndexOf(entry).get(name.toLowerCase());
  }

  private actionAt(entry: ServiceEntry, i: number): ActionSummary {
    const summaries = (entry.summaries ??= new Array(entry.levelsText.length));
    let summary = summaries[i];
    if (!summary) {
      const { prefix } = entry.summary;
      const name = this.namesOf(entry)[i];
      summary = {
        service: prefix,
        name,
        fullName: `${prefix}:${name}`,
        accessLevel: this.levelTable[parseInt(entry.levelsText[i], 36)],
      };
      summaries[i] = summary;
    }
    return summary;
  }

  private actionsOf(entry: ServiceEntry): readonly ActionSummary[] {
    if (!entry.all) {
      const all: ActionSummary[] = [];
      for (let i = 0; i < entry.levelsText.length; i++) all.push(this.actionAt(entry, i));
      entry.all = all;
    }
    return entry.all;
  }

  private allActions(): readonly ActionSummary[] {
    this.allActionsCache ??= this.services.flatMap((s) => this.actionsOf(s));
    return this.allActionsCache;
  }

  /** The actions of the given services whose name (as the data spells it) passes `test`, in order. */
  private filterNames(entries: readonly ServiceEntry[], test: (name: string) => boolean): ActionSummary[] {
    const out: ActionSummary[] = [];
    for (const entry of entries) {
      const names = this.namesOf(entry);
      for (let i = 0; i < names.length; i++) if (test(names[i]!)) out.push(this.actionAt(entry, i));
    }
    return out;
  }

  /** The actions of the given services whose lower-cased name passes `test`, in order. */
  private filterActions(entries: readonly ServiceEntry[], test: (lowerName: string) => boolean): ActionSummary[] {
    const out: ActionSummary[] = [];
    for (const entry of entries) {
      const lower = this.lowerNamesOf(entry);
      for (let i = 0; i < lower.length; i++) if (test(lower[i])) out.push(this.actionAt(entry, i));
    }
    return out;
  }

  private computeMatches(pattern: string): readonly ActionSummary[] {
    if (pattern === '*') return this.allActions();
    const colon = pattern.indexOf(':');
    if (colon < 0) {
      // No service part: IAM matches the pattern against the whole name, so `*Object` would match s3:GetObject.
      if (!hasWildcard(pattern)) return [];
      const matches = createWildcardMatcher(pattern);
      return this.allActions().filter((a) => matches(a.fullName));
    }
    const servicePattern = pattern.slice(0, colon);
    const actionPattern = pattern.slice(colon + 1);
    // Every action name has exactly one colon, so a second one in the pattern can never match.
    if (actionPattern.includes(':')) return [];
    let entries: readonly ServiceEntry[];
    if (hasWildcard(servicePattern)) {
      const matches = createWildcardMatcher(servicePattern);
      entries = this.services.filter((s) => matches(s.summary.prefix));
    } else {
      const entry = this.servicesByLower.get(servicePattern.toLowerCase());
      entries = entry ? [entry] : [];
    }
    if (actionPattern === '*') return entries.flatMap((e) => this.actionsOf(e));
    if (!hasWildcard(actionPattern)) {
      return entries.flatMap((e) => {
        const i = this.indexOfName(e, actionPattern);
        return i === undefined ? [] : [this.actionAt(e, i)];
      });
    }
    const folded = actionPattern.toLowerCase();
    const star = folded.indexOf('*');
    if (star === folded.length - 1 && !folded.includes('?')) {
      // `Get*`, the most common pattern: a case-insensitive prefix test on the names as they are.
      const head = folded.slice(0, -1);
      return this.filterNames(entries, (name) => startsWithFolded(name, head));
    }
    // The names are lower-cased once per service, so the matcher sees folded text and folds nothing itself.
    return this.filterActions(entries, createWildcardMatcher(folded, { caseSensitive: true }));
  }

  /** Exact actions and patterns whose service part has no wildcard, expanded; everything else is skipped. */
  private *expandWithinServices(actions: Iterable<string>): Iterable<ActionSummary> {
    const seen = new Set<string>();
    for (const action of actions) {
      const colon = action.indexOf(':');
      if (colon <= 0 || hasWildcard(action.slice(0, colon))) continue;
      const found = hasWildcard(action) ? this.matchActions(action) : [this.findAction(action)];
      for (const summary of found) {
        if (!summary || seen.has(summary.fullName)) continue;
        seen.add(summary.fullName);
        yield summary;
      }
    }
  }

  private loadService(prefix: string): LoadedService {
    let loaded = this.loadedServices.get(prefix);
    if (loaded) return loaded;
    const file = this.load(serviceFile(prefix)) as ServiceFile;
    if (!file || file.prefix !== prefix) throw new Error(`${serviceFile(prefix)}: not the details of ${prefix}`);
    const conditionKeysByLower = new Map<string, string>();
    const templates: [RegExp, string][] = [];
    for (const key of Object.keys(file.conditionKeys)) {
      conditionKeysByLower.set(key.toLowerCase(), key);
      if (isTemplatedKey(key)) templates.push([templateToRegExp(key), key]);
    }
    const resourceTypesByLower = new Map<string, string>();
    for (const name of Object.keys(file.resourceTypes)) resourceTypesByLower.set(name.toLowerCase(), name);
    loaded = { file, conditionKeysByLower, conditionKeyTemplates: templates, resourceTypesByLower };
    this.loadedServices.set(prefix, loaded);
    return loaded;
  }

  private resourceTypeInfo(loaded: LoadedService, name: string): ResourceTypeInfo {
    const data = loaded.file.resourceTypes[name];
    return { service: loaded.file.prefix, name, arn: data?.arn, conditionKeys: data?.conditionKeys ?? [] };
  }

  private serviceKeyInfo(service: string, key: string, data: ConditionKeyData | undefined): ConditionKeyInfo {
    return {
      key,
      type: data?.type,
      description: data?.description,
      scope: 'service',
      service,
      category: undefined,
      templated: isTemplatedKey(key),
    };
  }

  /** Info for a key as an action lists it; the spelling stays the listed one (`aws:RequestTag/${TagKey}`). */
  private describeListedKey(key: string): ConditionKeyInfo {
    const resolved = this.findConditionKey(key);
    if (!resolved) {
      return { key, type: undefined, description: undefined, scope: 'service', service: undefined, category: undefined, templated: isTemplatedKey(key) };
    }
    return {
      key,
      type: resolved.type,
      description: resolved.description,
      scope: resolved.scope,
      service: resolved.service,
      category: resolved.category,
      templated: isTemplatedKey(key) || resolved.templated,
    };
  }

  private servicesForConditionPrefix(prefix: string): readonly string[] {
    return remembered(this.servicesByConditionPrefix, prefix, PREFIX_MEMO_LIMIT, () => this.findServicesForConditionPrefix(prefix));
  }

  private findServicesForConditionPrefix(prefix: string): readonly string[] {
    const out: string[] = [];
    const service = this.servicesByLower.get(prefix);
    if (service) out.push(service.summary.prefix);
    for (const s of this.conditionPrefixServices.get(prefix) ?? []) if (!out.includes(s)) out.push(s);
    for (const [re, list] of this.conditionPrefixTemplates) {
      if (re.test(prefix)) for (const s of list) if (!out.includes(s)) out.push(s);
    }
    return out.filter((s) => this.servicesByLower.has(s));
  }
}

/**
 * Whether an action name starts with a lower-cased prefix, ignoring case. Action names are ASCII letters, digits,
 * `_` and `-` (compactData.ts refuses others), so folding A–Z is all the folding there is.
 */
function startsWithFolded(name: string, lowerHead: string): boolean {
  if (name.length < lowerHead.length) return false;
  for (let i = 0; i < lowerHead.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerHead.charCodeAt(i)) return false;
  }
  return true;
}

function allConditionKeys(data: ActionData): readonly string[] {
  return uniqueSorted([...(data.conditionKeys ?? []), ...(data.resourceTypes ?? []).flatMap((r) => r[2])]);
}

function uniqueSorted(list: readonly string[]): string[] {
  return [...new Set(list)].sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits `Name`, `path/Name` or an ARN containing `iam::aws:policy/` into name and path (docs/ufo-semantics.md §4). */
function splitPolicyInput(input: string): { name: string; givenPath: string | undefined } {
  let s = input;
  const marker = s.indexOf(ARN_POLICY_MARKER);
  if (marker >= 0) {
    s = s.slice(marker + ARN_POLICY_MARKER.length);
    if (s.startsWith('/')) s = s.slice(1);
  }
  const slash = s.lastIndexOf('/');
  return slash < 0 ? { name: s, givenPath: undefined } : { name: s.slice(slash + 1), givenPath: s.slice(0, slash + 1) };
}

const templateCache = new Map<string, RegExp>();
function cachedTemplate(template: string): RegExp {
  let re = templateCache.get(template);
  if (!re) {
    if (templateCache.size >= 2000) templateCache.clear();
    re = templateToRegExp(template);
    templateCache.set(template, re);
  }
  return re;
}
