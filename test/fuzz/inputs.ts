// Inputs for the fuzz tests of the server and the CLI: the fixtures and examples as seeds, edits that delete and
// insert characters and tokens (unbalanced brackets and quotes, random Unicode with lone surrogates, very long
// runs), and the pathological shapes (deep nesting, long strings, binary bytes, a 2 MB file).
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

/** The role files of the fixtures and examples, and a generated 100-line file. */
export function loadSeeds(): string[] {
  const seeds: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.rb')) seeds.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(ROOT, 'test/fixtures'));
  walk(path.join(ROOT, 'examples'));
  seeds.push(generateRoleFile(100));
  return seeds.filter((s) => s.length < 200_000);
}

/** Inputs that once failed (test/fixtures/fuzz/), replayed first. */
export function regressionInputs(): string[] {
  const dir = path.join(ROOT, 'test/fixtures/fuzz');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
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
