// An access diff in Markdown, for the pull-request comments of `ufo-iam plan --format markdown` and `ufo-iam diff
// --format markdown`: the summary lines (in code spans, so `*` stays a wildcard and never emphasis), then a collapsed
// table of every added, removed and changed action, escalation marked. Long tables are cut: a comment has a size limit,
// and the JSON formats carry every entry.
import type { AccessEntry, AccessReport } from '../../core';
import { cell } from './markdown';

/** Rows of the table per role before it is cut. */
export const ACCESS_TABLE_LIMIT = 50;

/** Inline code that a table cell cannot break: `|` escaped, and a backtick inside gets a longer fence. */
export const code = (s: string): string => {
  const text = s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function row(sign: string, e: AccessEntry): string {
  const resources = e.resources.map(code).join(', ');
  const was = e.before ? ` (was ${e.before.resources.map(code).join(', ') || 'none'}${e.before.conditional ? ', conditional' : ''})` : '';
  return `| ${sign} | ${code(e.action)}${e.escalation ? ' ⚠️ privilege escalation' : ''} | ${cell(e.accessLevel)} | ${resources}${was} | ${e.conditional ? 'yes' : ''} |`;
}

/** The summary lines as a list, then the table in a `<details>`; nothing when the report is empty. */
export function accessMarkdown(report: AccessReport, limit = ACCESS_TABLE_LIMIT): string[] {
  if (report.summary.length === 0) return [];
  const lines = report.summary.map((l) => `- ${code(l)}`);
  const rows = [...report.added.map((e) => row('➕', e)), ...report.removed.map((e) => row('➖', e)), ...report.changed.map((e) => row('✏️', e))];
  if (rows.length === 0) return [...lines, ''];
  lines.push('', `<details><summary>${plural(rows.length, 'action')} in detail</summary>`, '', '| | Action | Access level | Resources | Conditional |', '|---|---|---|---|---|');
  lines.push(...rows.slice(0, limit));
  lines.push('');
  if (rows.length > limit) lines.push(`… and ${rows.length - limit} more (\`--format json\` lists every one).`, '');
  lines.push('</details>', '');
  return lines;
}
