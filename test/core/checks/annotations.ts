// Expectations written into check fixtures as Ruby comments: a comment line of carets under the
// line it is about, with the severity and code,
//
//   iam_policy("s3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")
//   #                         ^^^^^^^^^^^^^^ warning INVALID_ACTION
//
// Carets count UTF-16 columns on the nearest line above that is not itself an annotation. A range that starts
// in column 0 (where the `#` would have to go) is written with explicit columns: `# [0,12) warning CODE`.
// An optional first-line header sets the context: `# ufo-iam-test: role=execution_role version=5 path=.ufo/...`.

export interface Expectation {
  /** Zero-based line of the annotated code. */
  readonly line: number;
  /** UTF-16 columns, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly severity: string;
  readonly code: string;
}

export interface FixtureHeader {
  readonly role?: 'task_role' | 'execution_role';
  readonly version?: 5 | 6;
  /** Project-relative path of the file (decides how UFO treats it). */
  readonly path?: string;
}

const CARETS = /^\s*#\s*(\^+)\s+(error|warning|information|hint)\s+([A-Z_]+)\s*$/;
const COLUMNS = /^\s*#\s*\[(\d+),\s*(\d+)\)\s+(error|warning|information|hint)\s+([A-Z_]+)\s*$/;
const HEADER = /^#\s*ufo-iam-test:(.*)$/;

export function isAnnotation(line: string): boolean {
  return CARETS.test(line) || COLUMNS.test(line);
}

export function parseAnnotations(text: string): { expectations: Expectation[]; header: FixtureHeader } {
  const lines = text.split('\n');
  const expectations: Expectation[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    const caret = CARETS.exec(line);
    const cols = COLUMNS.exec(line);
    if (!caret && !cols) {
      target = i;
      return;
    }
    if (target < 0) throw new Error(`annotation on line ${i + 1} has no line above it`);
    if (caret) {
      const start = line.indexOf('^');
      expectations.push({ line: target, start, end: start + caret[1].length, severity: caret[2], code: caret[3] });
    } else if (cols) {
      expectations.push({ line: target, start: Number(cols[1]), end: Number(cols[2]), severity: cols[3], code: cols[4] });
    }
  });
  const header: Record<string, string> = {};
  const h = HEADER.exec(lines[0] ?? '');
  if (h) for (const kv of h[1].trim().split(/\s+/)) if (kv.includes('=')) header[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  return {
    expectations,
    header: {
      role: header.role as FixtureHeader['role'],
      version: header.version ? (Number(header.version) as 5 | 6) : undefined,
      path: header.path,
    },
  };
}

/** A finding in the annotation's terms (for comparing with deepEqual). */
export function describeExpectation(e: Expectation): string {
  return `${e.line + 1}:${e.start}-${e.end} ${e.severity} ${e.code}`;
}
