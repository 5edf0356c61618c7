// Every code has a fixture that fires and a near miss that must not (test/fixtures/checks/<CODE>/), with the
// expected findings written under the code as caret annotations: code, severity and exact range.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES, RULES, isCode } from '../../../server/src/core/checks/rules';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { MAX_ANALYZED_BYTES } from '../../../server/src/core/analysis';
import { knowledge } from '../iam/iamData';
import { describeExpectation, parseAnnotations } from './annotations';
import { checkText, type Located } from './checkText';

const FIXTURES = path.resolve(__dirname, '../../fixtures/checks');
/** Codes whose input cannot be a fixture file: a 512 KB file, nesting deeper than the parser's stack (generated below), a FIFO or a link (test/project/readProjectFile.test.ts). */
const GENERATED = new Set(['FILE_TOO_LARGE', 'PARSE_FAILURE', 'UNREADABLE_FILE']);
/** The checks of task-definition templates have a small project per fixture instead (test/project/templateFixtures.test.ts). */
const TEMPLATE = new Set(CODES.filter((c) => RULES[c].family === 'template'));

function describeFinding(f: Located): string {
  return `${f.line + 1}:${f.start}-${f.end} ${f.severity} ${f.code}`;
}

describe('check fixtures', () => {
  let iam: IamKnowledge;
  before(async () => {
    iam = await knowledge();
  });

  test('every code has a fixture folder, and every folder names a code', () => {
    const dirs = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory());
    for (const d of dirs) assert.ok(isCode(d), `${d} is not a code of the rule table`);
    const missing = CODES.filter((c) => !GENERATED.has(c) && !dirs.includes(c));
    assert.deepEqual(missing, []);
  });

  for (const code of CODES.filter((c) => !GENERATED.has(c) && !TEMPLATE.has(c))) {
    for (const kind of ['fires', 'near_miss'] as const) {
      const file = path.join(FIXTURES, code, `${kind}.rb`);
      test(`${code}/${kind}.rb`, () => {
        const text = fs.readFileSync(file, 'utf8');
        const { expectations, header } = parseAnnotations(text);
        const { findings } = checkText(text, header, iam);
        if (kind === 'fires') assert.ok(expectations.some((e) => e.code === code), `${file} annotates no ${code}`);
        else assert.ok(!expectations.some((e) => e.code === code), `${file} is a near miss but expects ${code}`);
        // The annotations are exhaustive for every code they mention, and for the fixture's own code.
        const codes = new Set([code, ...expectations.map((e) => e.code)]);
        const actual = findings.filter((f) => codes.has(f.code)).map(describeFinding).sort();
        const expected = expectations.map(describeExpectation).sort();
        assert.deepEqual(actual, expected, `${code}/${kind}.rb: all findings were\n${findings.map((f) => `${describeFinding(f)} ${f.message}`).join('\n')}`);
      });
    }
  }

  test('FILE_TOO_LARGE: a file over the analysed size gets one finding on its first line', () => {
    const line = '# padding padding padding padding padding padding padding padding padding\n';
    const text = `managed_iam_policy("AmazonS3ReadOnlyAccess")\n${line.repeat(Math.ceil(MAX_ANALYZED_BYTES / line.length) + 1)}`;
    const { findings } = checkText(text, {}, iam);
    assert.deepEqual(findings.map((f) => [f.code, f.severity, f.line, f.start, f.end]), [['FILE_TOO_LARGE', 'warning', 0, 0, 44]]);
    const near = checkText(`managed_iam_policy("AmazonS3ReadOnlyAccess")\n${line.repeat(100)}`, {}, iam);
    assert.equal(near.findings.filter((f) => f.code === 'FILE_TOO_LARGE').length, 0);
  });

  test('PARSE_FAILURE: nesting deeper than the parser supports is reported on the first line, not thrown', () => {
    const depth = 10_000;
    const text = `iam_policy("Deep", ${'['.repeat(depth)}${']'.repeat(depth)})\n`;
    const { findings } = checkText(text, {}, iam);
    assert.deepEqual(findings.map((f) => [f.code, f.severity, f.line, f.start, f.end]), [['PARSE_FAILURE', 'error', 0, 0, text.length - 1]]);
    const near = checkText('iam_policy("Deep", [[[{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]]])\n', {}, iam);
    assert.equal(near.findings.filter((f) => f.code === 'PARSE_FAILURE').length, 0);
  });
});
