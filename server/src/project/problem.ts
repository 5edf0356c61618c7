// A finding placed in a file, as the CLI formats and the project edge report it: 1-based lines and columns in UTF-16 code units
// (what editors and SARIF viewers count), the path relative to the working directory.
import type { Finding, Severity, LineIndex } from '../core';

export interface Problem {
  /** Relative to the working directory, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

export function toProblem(file: string, lines: LineIndex, f: Finding): Problem {
  const s = lines.positionOfByte(f.span.start);
  const e = lines.positionOfByte(f.span.end);
  return {
    file,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    severity: f.severity ?? 'error',
    code: f.code,
    message: f.message,
  };
}

/** A problem of a whole file (one that could not be read), placed at its first character. */
export function fileProblem(file: string, code: string, message: string, severity: Severity = 'error'): Problem {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity, code, message };
}

export function compareProblems(a: Problem, b: Problem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** The 1-based line of a byte offset, as the CLI prints it (an evaluated statement's `file:line`). */
export function lineOfByte(lines: LineIndex, byte: number): number {
  return lines.positionOfByte(byte).line + 1;
}
