// `--format json`: an array of `{file, line, column, endLine, endColumn, severity, code, message}`.
import type { Problem } from './problem';

export function formatJson(problems: readonly Problem[]): string {
  return `${JSON.stringify(
    problems.map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      endLine: p.endLine,
      endColumn: p.endColumn,
      severity: p.severity,
      code: p.code,
      message: p.message,
    })),
    null,
    2,
  )}\n`;
}
