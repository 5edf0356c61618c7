// `--format text`: one line per finding, `path:line:col: severity CODE message`, the form compilers print and
// editors and terminals turn into links.
import type { Problem } from './problem';

export function formatText(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code} ${p.message.replace(/\n/g, ' ')}\n`).join('');
}
