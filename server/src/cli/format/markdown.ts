// `--format markdown`: the findings as a pull-request comment: a one-line summary, then a table of severity, code,
// place and message. Cell text is escaped so a message cannot break the
// table (`|`, backslashes, line breaks) or start markup (`<`, backticks).
import type { Problem } from './problem';

const ICON: Record<Problem['severity'], string> = { error: '❌ error', warning: '⚠️ warning', information: 'ℹ️ information', hint: '💡 hint' };

export const cell = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/</g, '&lt;').replace(/\r?\n/g, '<br>');

export function formatMarkdown(problems: readonly Problem[], files: number): string {
  const count = (...s: Problem['severity'][]) => problems.filter((p) => s.includes(p.severity)).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
    [count('information', 'hint'), 'note'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, w]) => `${n} ${w}${n === 1 ? '' : 's'}`);
  const lines = [`### ufo-iam check: ${parts.length > 0 ? parts.join(', ') : 'no problems'} in ${files} file${files === 1 ? '' : 's'}`, ''];
  if (problems.length === 0) return `${lines.join('\n')}\n`;
  lines.push('| Severity | Code | Where | Message |', '|---|---|---|---|');
  for (const p of problems) lines.push(`| ${ICON[p.severity]} | \`${p.code}\` | ${cell(`${p.file}:${p.line}:${p.column}`)} | ${cell(p.message)} |`);
  return `${lines.join('\n')}\n`;
}
