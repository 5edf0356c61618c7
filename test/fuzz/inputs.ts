// Inputs for the fuzz tests of the server and the CLI: the fixtures and examples as the corpus, edits that delete and
// insert characters and tokens (unbalanced brackets and quotes, random Unicode with lone surrogates, very long
// runs), and the pathological shapes (deep nesting, long strings, binary bytes, a 2 MB file).
// Everything here is a function of the fuzz seed and the files of the tree: nothing depends on time, on the order a
// file system lists a folder, or on how fast the server answers, so the same tree and seed give the same inputs.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/lspClient';
// @ts-expect-error plain ESM helper shared with the benchmark
import { generateRoleFile } from '../../bench/generate.mjs';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TOKENS = [
  '"', "'", '[', ']', '{', '}', '(', ')', ',', ':', '=>', '#{', '}', '<<~EOS\n', '\nEOS\n', '<<-X\n', '%w[', '%i[', '%q(', '\\', '\\"',
  'iam_policy(', 'managed_iam_policy(', 'Action: ', 'NotAction: ', 'Resource: ', 'Condition: { ', 'StringEquals: {', '"aws:', '"s3:Get', '"s3:',
  '"*"', '*', '?', '"iam:PassRole"', 'Effect: "Allow"', 'Effect: :Allow', 'ENV["X"]', 'if true\n', 'end\n', 'do |x|\n', '\n', '\r\n', '\t', ' ',
  '# ufo-iam:disable-next-line INVALID_ACTION\n', '# ufo-iam:disable ', 'nil', '1.0', '-', 'service-role/', '"arn:aws:s3:::', '`ls`', '__END__\n',
];
export const UNICODE = ['ü', 'ß', '日本', '😀', '👩‍👩‍👧', '\u{10ffff}', '\ud800', '\udc00', '\u0000', '\u0007', '\u200b', '\ufeff', 'ﬁ', 'İ', '\u2028'];

/** The corpus: the role files of the fixtures and examples (in path order), and a generated 100-line file. */
export function loadCorpus(): string[] {
  const corpus: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.rb')) corpus.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(ROOT, 'test/fixtures'));
  walk(path.join(ROOT, 'examples'));
  corpus.push(generateRoleFile(100));
  return corpus.filter((s) => s.length < 200_000);
}

/** Inputs that once failed (test/fixtures/fuzz/), replayed first. */
export function regressionInputs(): string[] {
  const dir = path.join(ROOT, 'test/fixtures/fuzz');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

/** The pathological shapes. */
export function specialInputs(): string[] {
  return [
    '['.repeat(3000) + ']'.repeat(10),
    `iam_policy("P", Action: "${'x'.repeat(200_000)}")`,
    'iam_policy(' + '{a: '.repeat(500) + '1' + '}'.repeat(500) + ')',
    Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join(''),
    'managed_iam_policy("' + '😀'.repeat(20_000),
    generateRoleFile(70_000), // about 2 MB
    generateRoleFile(14_000), // just under the analysis limit
  ];
}

export interface Edit {
  /** UTF-16 offsets of the replaced text. */
  readonly start: number;
  readonly end: number;
  readonly insert: string;
  /** The text after the edit. */
  readonly text: string;
}

/** One random edit of `text`: a deletion, a token, random Unicode, or a token and a very long run. */
export function randomEdit(text: string, rand: () => number): Edit {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const start = int(text.length + 1);
  const op = int(10);
  let insert = '';
  let end = start;
  if (op < 3) end = Math.min(text.length, start + 1 + int(op === 0 ? 1 : 20));
  else if (op < 7) insert = pick(TOKENS);
  else if (op < 9) insert = Array.from({ length: 1 + int(4) }, () => pick(UNICODE)).join('');
  else insert = pick(TOKENS) + 'a'.repeat(int(5000));
  return { start, end, insert, text: text.slice(0, start) + insert + text.slice(end) };
}

export interface Position {
  readonly line: number;
  readonly character: number;
}

/** The LSP position (UTF-16) of an offset of `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let last = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i + 1;
  }
  return { line, character: offset - last };
}

/** The command lines of the CLI fuzz (test/fuzz/cli.test.ts), run in the project of the mutated role file. */
export const CLI_COMMANDS: readonly string[][] = [
  ['check', '.'],
  ['check', '.', '--format', 'json'],
  ['check', '.', '--format', 'sarif'],
  ['compile', '.'],
  ['compile', '.', '--format', 'yaml'],
];

/** A request of the server fuzz; the document's URI is filled in when it is sent. */
export interface FuzzRequest {
  readonly method: 'textDocument/hover' | 'textDocument/documentSymbol' | 'textDocument/codeAction' | 'textDocument/codeLens' | 'ufoIam/preview' | 'ufoIam/permissions' | 'textDocument/completion';
  readonly position: Position;
}

export type ServerStep =
  | { readonly kind: 'open'; readonly file: 'task_role' | 'execution_role'; readonly text: string }
  | { readonly kind: 'edit'; readonly range: { readonly start: Position; readonly end: Position }; readonly insert: string; readonly text: string }
  | { readonly kind: 'request'; readonly request: FuzzRequest }
  | { readonly kind: 'close' };

/** One to three requests at random positions of `text` (one in twenty far outside it). */
export function randomRequests(text: string, rand: () => number): FuzzRequest[] {
  const int = (n: number) => Math.floor(rand() * n);
  const out: FuzzRequest[] = [];
  const n = 1 + int(3);
  for (let i = 0; i < n; i++) {
    const off = int(text.length + 1);
    const position = rand() < 0.05 ? { line: int(5000), character: int(500) } : positionAt(text, off);
    const kind = int(8);
    const method =
      kind === 0 ? 'textDocument/hover'
      : kind === 1 ? 'textDocument/documentSymbol'
      : kind === 2 ? 'textDocument/codeAction'
      : kind === 3 ? 'textDocument/codeLens'
      : kind === 4 ? 'ufoIam/preview'
      : kind === 5 ? 'ufoIam/permissions'
      : 'textDocument/completion';
    out.push({ method, position });
  }
  return out;
}

/**
 * The server fuzz of one seed, one document at a time, without end: open a corpus file, edit it 5 to 44 times with
 * requests after about half of the edits, close it. Each `close` ends a document.
 */
export function* serverSteps(seed: number, corpus: readonly string[]): Generator<ServerStep> {
  const rand = mulberry32(seed);
  const int = (n: number) => Math.floor(rand() * n);
  for (;;) {
    const file = rand() < 0.8 ? 'task_role' : 'execution_role';
    let text = corpus[int(corpus.length)];
    yield { kind: 'open', file, text };
    const steps = 5 + int(40);
    for (let s = 0; s < steps; s++) {
      const edit = randomEdit(text, rand);
      const range = { start: positionAt(text, edit.start), end: positionAt(text, edit.end) };
      text = edit.text;
      yield { kind: 'edit', range, insert: edit.insert, text };
      if (rand() < 0.5) for (const request of randomRequests(text, rand)) yield { kind: 'request', request };
    }
    yield { kind: 'close' };
  }
}

/** The CLI fuzz of one seed, without end: a corpus file edited 1 to 20 times, and the command to run on it. */
export function* cliInputs(seed: number, corpus: readonly string[], commands: number): Generator<{ text: string; command: number }> {
  const rand = mulberry32(seed);
  const int = (n: number) => Math.floor(rand() * n);
  for (;;) {
    let text = corpus[int(corpus.length)];
    const steps = 1 + int(20);
    for (let s = 0; s < steps; s++) text = randomEdit(text, rand).text;
    yield { text, command: int(commands) };
  }
}

/**
 * A digest of every input the fuzz tests derive from these seeds with the given amounts of work: the stored
 * regressions, the pathological shapes, each seed's server steps (`documents` documents) and CLI inputs (`cliRuns`).
 */
export function fuzzInputsDigest(seeds: readonly number[], documents: number, cliRuns: number, commands: number): string {
  const hash = createHash('sha256');
  const corpus = loadCorpus();
  for (const text of [...regressionInputs(), ...specialInputs(), ...corpus]) hash.update(text).update('\0');
  for (const seed of seeds) {
    let opened = 0;
    for (const step of serverSteps(seed, corpus)) {
      if (step.kind === 'open' && ++opened > documents) break;
      if (step.kind === 'open') hash.update(`open ${step.file} ${step.text.length}\0`);
      else if (step.kind === 'edit') hash.update(`edit ${JSON.stringify(step.range)} ${step.insert}\0`);
      else if (step.kind === 'request') hash.update(`request ${step.request.method} ${JSON.stringify(step.request.position)}\0`);
      else hash.update('close\0');
    }
    let n = 0;
    for (const input of cliInputs(seed, corpus, commands)) {
      if (n++ >= cliRuns) break;
      hash.update(`cli ${input.command} ${input.text}\0`);
    }
  }
  return hash.digest('hex');
}
