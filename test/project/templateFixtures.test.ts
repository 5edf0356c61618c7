// The fixtures of the task-definition template checks (the rule table's `template` family): each code has a small
// project that fires (test/fixtures/checks/<CODE>/fires/) and a near miss (near_miss/). The templates in them carry
// the expected findings as caret annotation lines (`# ^^^ severity CODE`, or `# [start,end) severity CODE`) under the
// line they are about; the annotation lines are removed before the check, so a JSON template stays JSON. The check is
// project/checkTemplate.ts on a copy of the project on disk, as the editor and `ufo-iam check` run it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES, RULES } from '../../server/src/core/checks/rules';
import { checkTemplate, templateFilesOf } from '../../server/src/project/checkTemplate';
import { openProject } from '../../server/src/project/projectContext';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { describeExpectation, isAnnotation, parseAnnotations, type Expectation } from '../core/checks/annotations';
import { copyProject } from '../support/project';

const FIXTURES = path.resolve(__dirname, '../fixtures/checks');
export const TEMPLATE_CODES = CODES.filter((c) => RULES[c].family === 'template');

/** The template without its annotation lines, and the expectations on the lines that remain. */
export function stripAnnotations(text: string): { text: string; expectations: Expectation[] } {
  const lines = text.split('\n');
  const kept: string[] = [];
  const expectations: Expectation[] = [];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    // Annotations of the line above: parse them against that line alone, then place them on its kept index.
    const target = kept.length - 1;
    for (const e of parseAnnotations([kept[target], ...chunk].join('\n')).expectations) expectations.push({ ...e, line: target });
    chunk = [];
  };
  for (const line of lines) {
    if (isAnnotation(line) && kept.length > 0) chunk.push(line);
    else {
      flush();
      kept.push(line);
    }
  }
  flush();
  return { text: kept.join('\n'), expectations };
}

describe('template check fixtures', () => {
  test('the template family has codes, and each a fires and a near_miss project', () => {
    assert.deepEqual(TEMPLATE_CODES, ['TEMPLATE_ARN_REPLACED', 'INVALID_ROLE_ARN', 'MISSING_EXECUTION_ROLE']);
    for (const c of TEMPLATE_CODES) for (const k of ['fires', 'near_miss']) assert.ok(fs.statSync(path.join(FIXTURES, c, k, '.ufo')).isDirectory(), `${c}/${k}`);
  });

  for (const code of TEMPLATE_CODES) {
    for (const kind of ['fires', 'near_miss'] as const) {
      test(`${code}/${kind}`, () => {
        const root = copyProject(path.join(FIXTURES, code, kind));
        const project = openProject(root, { settings: DEFAULT_SETTINGS, env: {} });
        const templates = templateFilesOf(project);
        assert.ok(templates.length > 0, 'the project has a template');
        const actual: string[] = [];
        const expected: string[] = [];
        const messages: string[] = [];
        for (const rel of templates) {
          const { text, expectations } = stripAnnotations(fs.readFileSync(path.join(root, rel), 'utf8'));
          fs.writeFileSync(path.join(root, rel), text);
          const check = checkTemplate(project, rel, text);
          const codes = new Set([code, ...expectations.map((e) => e.code)]);
          for (const { finding } of check.findings) {
            const s = check.lineIndex.positionOfByte(finding.span.start);
            const e = check.lineIndex.positionOfByte(finding.span.end);
            messages.push(`${rel}:${s.line + 1}:${s.character}-${e.character} ${finding.code} ${finding.message}`);
            assert.equal(s.line, e.line, 'single-line ranges');
            if (codes.has(finding.code)) actual.push(`${rel} ${s.line + 1}:${s.character}-${e.character} ${finding.severity} ${finding.code}`);
          }
          for (const e of expectations) expected.push(`${rel} ${describeExpectation(e)}`);
        }
        if (kind === 'fires') assert.ok(expected.some((e) => e.endsWith(` ${code}`)), `${code}/fires annotates no ${code}`);
        else assert.ok(!expected.some((e) => e.endsWith(` ${code}`)), `${code}/near_miss expects ${code}`);
        assert.deepEqual(actual.sort(), expected.sort(), `all findings were\n${messages.join('\n')}`);
      });
    }
  }
});
