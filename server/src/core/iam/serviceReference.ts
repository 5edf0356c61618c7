// AWS's service reference (the Service Authorization Reference in JSON, docs/data.md "Updating the data without a
// release") read into the IamDataSource that compactData.ts compacts, exactly as the build compacts the pinned
// packages. Pure: the project layer (project/iamDataUpdate.ts) downloads the files and writes the result.
//
// Every file is validated before anything is converted: one malformed entry fails the whole update, because data
// with a service silently missing would report that service's every action as unknown.
//
// The service reference has no descriptions (of actions, condition keys or services) and no display names, and does
// not say which resource types an action requires: those come from the data the update starts from (the bundled
// data) where the action, key or resource type still exists; new ones have none.

import type { CompactedData, IamDataSource, SourceAction, SourceManagedPolicy, SourceService } from './compactData';
import { compactIamData, compareStrings } from './compactData';
import {
  INDEX_FILE,
  MANAGED_POLICY_DOCUMENTS_FILE,
  POLICY_DEPRECATED,
  POLICY_FIELD_SEPARATOR,
  POLICY_RECORD_SEPARATOR,
  POLICY_RETIRED,
  documentOfStored,
  serviceFile,
  type DocumentsFile,
  type IndexFile,
  type ManagedPolicyDocumentData,
  type ServiceFile,
} from './dataFormat';
import type { DataLoader } from './iamKnowledge';

/** Where AWS publishes the list of services (`[{ service, url }]`). */
export const SERVICE_REFERENCE_URL = 'https://servicereference.us-east-1.amazonaws.com/';

export interface ServiceReferenceEntry {
  readonly service: string;
  readonly url: string;
}

export interface ServiceReferenceAction {
  readonly Name: string;
  readonly Annotations?: { readonly Properties?: { readonly IsList?: boolean; readonly IsPermissionManagement?: boolean; readonly IsTaggingOnly?: boolean; readonly IsWrite?: boolean } };
  readonly ActionConditionKeys?: readonly string[];
  readonly Resources?: readonly { readonly Name: string }[];
}

export interface ServiceReferenceService {
  readonly Name: string;
  readonly Actions: readonly ServiceReferenceAction[];
  readonly ResourceTypes?: readonly { readonly Name: string; readonly ARNFormats: readonly string[]; readonly ConditionKeys?: readonly string[] }[];
  readonly ConditionKeys?: readonly { readonly Name: string; readonly Types: readonly string[] }[];
  readonly Version?: string;
}

const SERVICE_PREFIX_RE = /^[a-z0-9][a-z0-9.-]*$/i;
const ACTION_NAME_RE = /^[A-Za-z0-9_-]+$/;

/** Checks the service list; returns the problem in words, or undefined when it is well-formed. */
export function validateServiceList(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'the service list is not a JSON array';
  if (value.length === 0) return 'the service list is empty';
  const seen = new Set<string>();
  for (const [i, e] of value.entries()) {
    if (!isObject(e) || typeof e.service !== 'string' || typeof e.url !== 'string') return `entry ${i + 1} of the service list is not { service, url }`;
    if (!SERVICE_PREFIX_RE.test(e.service)) return `entry ${i + 1} of the service list names no service prefix (${JSON.stringify(e.service)})`;
    const lower = e.service.toLowerCase();
    if (seen.has(lower)) return `the service list names ${e.service} twice`;
    seen.add(lower);
  }
  return undefined;
}

/** Checks one service's file against the shape AWS documents; returns the problem in words, or undefined. */
export function validateServiceFile(value: unknown, service: string): string | undefined {
  const where = `${service}: `;
  if (!isObject(value)) return `${where}not a JSON object`;
  if (typeof value.Name !== 'string') return `${where}no Name`;
  if (value.Name.toLowerCase() !== service.toLowerCase()) return `${where}the file is for ${JSON.stringify(value.Name)}`;
  if (!Array.isArray(value.Actions)) return `${where}no Actions array`;
  const seen = new Set<string>();
  for (const a of value.Actions as unknown[]) {
    if (!isObject(a) || typeof a.Name !== 'string' || !ACTION_NAME_RE.test(a.Name)) return `${where}an action without a valid Name (${JSON.stringify(isObject(a) ? a.Name : a)})`;
    if (seen.has(a.Name.toLowerCase())) return `${where}action ${a.Name} appears twice`;
    seen.add(a.Name.toLowerCase());
    if (a.Annotations !== undefined) {
      if (!isObject(a.Annotations)) return `${where}${a.Name}: Annotations is not an object`;
      const props = a.Annotations.Properties;
      if (props !== undefined && (!isObject(props) || Object.values(props).some((v) => typeof v !== 'boolean'))) return `${where}${a.Name}: Annotations.Properties is not a set of booleans`;
    }
    if (a.ActionConditionKeys !== undefined && !isStringArray(a.ActionConditionKeys)) return `${where}${a.Name}: ActionConditionKeys is not a list of strings`;
    if (a.Resources !== undefined && !(Array.isArray(a.Resources) && a.Resources.every((r) => isObject(r) && typeof r.Name === 'string'))) return `${where}${a.Name}: Resources is not a list of { Name }`;
  }
  if (value.ResourceTypes !== undefined) {
    if (!Array.isArray(value.ResourceTypes)) return `${where}ResourceTypes is not an array`;
    for (const r of value.ResourceTypes as unknown[]) {
      if (!isObject(r) || typeof r.Name !== 'string') return `${where}a resource type without a Name`;
      if (!isStringArray(r.ARNFormats) || r.ARNFormats.length === 0) return `${where}resource type ${r.Name} has no ARNFormats`;
      if (r.ConditionKeys !== undefined && !isStringArray(r.ConditionKeys)) return `${where}resource type ${r.Name}: ConditionKeys is not a list of strings`;
    }
  }
  if (value.ConditionKeys !== undefined) {
    if (!Array.isArray(value.ConditionKeys)) return `${where}ConditionKeys is not an array`;
    for (const c of value.ConditionKeys as unknown[]) {
      if (!isObject(c) || typeof c.Name !== 'string' || !isStringArray(c.Types)) return `${where}a condition key without a Name and Types`;
    }
  }
  return undefined;
}

/**
 * The access level of an action from its annotations, spelled as the bundled data spells it: the flags that are set,
 * in the order "Permissions management", "Tagging", "Write", "List", joined by ", " ("Tagging, Write"); none is "Read".
 */
export function accessLevelOf(action: ServiceReferenceAction): string {
  const p = action.Annotations?.Properties ?? {};
  const parts = [p.IsPermissionManagement && 'Permissions management', p.IsTaggingOnly && 'Tagging', p.IsWrite && 'Write', p.IsList && 'List'].filter(
    (x): x is string => typeof x === 'string',
  );
  return parts.length === 0 ? 'Read' : parts.join(', ');
}

export interface ServiceReferenceMeta {
  /** The service list's URL. */
  readonly url: string;
  /** When it was downloaded (ISO 8601). */
  readonly retrievedAt: string;
}

/**
 * The data source of validated service reference files (by service prefix, in any order), with the descriptions,
 * display names, global condition keys and managed policies of `base` (the bundled data's loader).
 */
export function serviceReferenceSource(files: ReadonlyMap<string, ServiceReferenceService>, base: DataLoader, meta: ServiceReferenceMeta): IamDataSource {
  const baseIndex = base(INDEX_FILE) as IndexFile;
  const services: SourceService[] = [];
  const prefixes = new Set<string>();
  for (const [prefix, file] of [...files].sort((a, b) => compareStrings(a[0], b[0]))) {
    prefixes.add(prefix.toLowerCase());
    const known = Object.hasOwn(baseIndex.services, prefix);
    const old = known ? (base(serviceFile(prefix)) as ServiceFile) : undefined;
    const oldActions = new Map(Object.entries(old?.actions ?? {}).map(([n, a]) => [n.toLowerCase(), a]));
    const oldKeys = new Map(Object.entries(old?.conditionKeys ?? {}).map(([k, c]) => [k.toLowerCase(), c]));
    const actions: SourceAction[] = file.Actions.map((a) => {
      const before = oldActions.get(a.Name.toLowerCase());
      const oldRows = new Map((before?.resourceTypes ?? []).map((r) => [r[0].toLowerCase(), r]));
      return {
        name: a.Name,
        ...(before?.description ? { description: before.description } : {}),
        accessLevel: accessLevelOf(a),
        resourceTypes: (a.Resources ?? []).map((r) => {
          const row = oldRows.get(r.Name.toLowerCase());
          return { name: r.Name, required: row ? row[1] === 1 : false, conditionKeys: row?.[2] ?? [], dependentActions: row?.[3] ?? [] };
        }),
        conditionKeys: a.ActionConditionKeys ?? [],
        dependentActions: before?.dependentActions ?? [],
      };
    });
    services.push({
      prefix,
      ...(old ? { name: old.name } : {}),
      actions,
      resourceTypes: (file.ResourceTypes ?? []).map((r) => ({ key: r.Name, arn: r.ARNFormats[0], conditionKeys: r.ConditionKeys ?? [] })),
      conditionKeys: (file.ConditionKeys ?? []).map((c) => {
        const description = oldKeys.get(c.Name.toLowerCase())?.description;
        return { key: c.Name, type: c.Types[0], ...(description ? { description } : {}) };
      }),
    });
  }
  // The prefixes that are no service (saml, token.actions.githubusercontent.com) keep their services that still
  // exist; the prefixes of services (ec2 → ec2-instance-connect, ...) the compaction derives again.
  const unassociatedConditions: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(baseIndex.conditionKeyPrefixes)) {
    if (prefixes.has(key.toLowerCase())) continue;
    const kept = list.filter((s) => prefixes.has(s.toLowerCase()));
    if (kept.length > 0) unassociatedConditions[key] = kept;
  }
  const managedPolicies: SourceManagedPolicy[] = baseIndex.managedPolicies.split(POLICY_RECORD_SEPARATOR).map((record) => {
    const [name, path, flags, description] = record.split(POLICY_FIELD_SEPARATOR);
    return { name: name!, path: path ?? '', description: description ?? '', retired: (Number(flags) & POLICY_RETIRED) !== 0, deprecated: (Number(flags) & POLICY_DEPRECATED) !== 0 };
  });
  const documents: Record<string, ManagedPolicyDocumentData> = {};
  for (const [name, stored] of Object.entries((base(MANAGED_POLICY_DOCUMENTS_FILE) as DocumentsFile).policies)) documents[name] = documentOfStored(stored);
  const p = baseIndex.provenance;
  return {
    services,
    unassociatedConditions,
    globalConditionKeys: baseIndex.globalConditionKeys.map(([key, type, category, description]) => ({ key, type, category, description })),
    managedPolicies,
    documents,
    provenance: { iamData: p.iamData, iamFloyd: p.iamFloyd, managedPolicies: p.managedPolicies, serviceReference: { url: meta.url, retrievedAt: meta.retrievedAt, services: services.length } },
    generatedBy:
      `Generated by ufo-iam update-data from AWS's service reference (${meta.url}) on ${meta.retrievedAt}; descriptions, ` +
      `display names, global condition keys and managed policies from ${p.iamData.package} ${p.iamData.version}, ${p.iamFloyd.package} ${p.iamFloyd.version} ` +
      `and ${p.managedPolicies.package} ${p.managedPolicies.version}. Do not edit.`,
  };
}

/** Validated service reference files → the compacted data folder's files. */
export function compactServiceReference(files: ReadonlyMap<string, ServiceReferenceService>, base: DataLoader, meta: ServiceReferenceMeta): CompactedData {
  return compactIamData(serviceReferenceSource(files, base, meta));
}

export interface IamDataDiff {
  readonly servicesAdded: readonly string[];
  readonly servicesRemoved: readonly string[];
  /** `service:Action`, sorted. */
  readonly actionsAdded: readonly string[];
  readonly actionsRemoved: readonly string[];
}

/** What changes from one index to another: services and actions added and removed (case-insensitive, as IAM). */
export function diffIamIndexes(before: IndexFile, after: IndexFile): IamDataDiff {
  const actions = (index: IndexFile) => {
    const out = new Map<string, string>();
    for (const [prefix, [, start, end]] of Object.entries(index.services)) {
      if (end <= start) continue;
      for (const name of index.actionNames.slice(start, end).split(index.actionSeparator)) out.set(`${prefix}:${name}`.toLowerCase(), `${prefix}:${name}`);
    }
    return out;
  };
  const minus = (a: Map<string, string>, b: Map<string, string>) => [...a].filter(([k]) => !b.has(k)).map(([, v]) => v).sort(compareStrings);
  const servicesOf = (index: IndexFile) => new Map(Object.keys(index.services).map((s) => [s.toLowerCase(), s]));
  const [sb, sa, ab, aa] = [servicesOf(before), servicesOf(after), actions(before), actions(after)];
  return { servicesAdded: minus(sa, sb), servicesRemoved: minus(sb, sa), actionsAdded: minus(aa, ab), actionsRemoved: minus(ab, aa) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
