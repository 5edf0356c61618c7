// package.json's per-code settings and docs/rules.md are generated from the rule table by scripts/genRules.ts;
// this test fails when either has drifted (run `node --import tsx scripts/genRules.ts` to regenerate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, SETTING_PREFIX, SEVERITY_VALUES, renderRulesDoc, updatePackageJson } from '../../../scripts/genRules';
import { CODES, RULES } from '../../../server/src/core/checks/rules';

test('package.json has one ufoIam.diagnostics.<CODE> setting per code, as generated', () => {
  const text = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const props = JSON.parse(text).contributes.configuration.properties as Record<string, { default: string; enum: string[] }>;
  const codes = Object.keys(props).filter((k) => k.startsWith(SETTING_PREFIX)).map((k) => k.slice(SETTING_PREFIX.length));
  assert.deepEqual(codes, CODES);
  for (const c of CODES) {
    assert.equal(props[SETTING_PREFIX + c].default, RULES[c].severity, c);
    assert.deepEqual(props[SETTING_PREFIX + c].enum, SEVERITY_VALUES);
  }
  assert.equal(updatePackageJson(text), text, 'package.json is stale: run node --import tsx scripts/genRules.ts');
});

test('docs/rules.md is generated from the table and the fixtures', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8');
  assert.equal(doc, renderRulesDoc(), 'docs/rules.md is stale: run node --import tsx scripts/genRules.ts');
  for (const c of CODES) assert.ok(doc.includes(`### ${c}\n`), `docs/rules.md lacks ${c}`);
});

test('the generator notices a change of the table', () => {
  const text = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const pkg = JSON.parse(text);
  pkg.contributes.configuration.properties[`${SETTING_PREFIX}INVALID_ACTION`].default = 'error';
  const tampered = `${JSON.stringify(pkg, null, 2)}\n`;
  assert.notEqual(updatePackageJson(tampered), tampered);
  assert.equal(updatePackageJson(tampered), text);
});

test('awsGranted.ts matches the built IAM data', async () => {
  const { knowledge } = await import('../iam/iamData');
  const { renderAwsGranted, AWS_GRANTED_FILE } = await import('../../../scripts/genRules');
  const iam = await knowledge();
  assert.equal(fs.readFileSync(AWS_GRANTED_FILE, 'utf8'), renderAwsGranted(iam), 'awsGranted.ts is stale: run node --import tsx scripts/genRules.ts');
});
