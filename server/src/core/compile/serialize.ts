// Text forms of compiled values: JSON as `JSON.pretty_generate` would print it (2-space indent, key
// order kept, Ruby float notation), and YAML as Ruby's Psych (`YAML.dump`) writes UFO's template.
import { RubyFloat, Unknown, type CValue } from './cvalue';

function jsonScalar(v: CValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof RubyFloat) return Number.isFinite(v.value) ? v.toString() : 'null';
  if (v instanceof Unknown) return JSON.stringify(v.toString());
  throw new Error('not a scalar');
}

/**
 * Compact JSON as Ruby's `JSON.generate` writes it (no spaces, key order kept, Ruby float notation): what AWS receives
 * (PutRolePolicy, CreateRole), and what IAM's policy size quota counts. With `sortKeys`, object keys are sorted at every
 * level: a canonical text to compare documents whose key order does not matter.
 */
export function toCompactJson(v: CValue, options: { sortKeys?: boolean } = {}): string {
  if (Array.isArray(v)) return `[${v.map((x) => toCompactJson(x, options)).join(',')}]`;
  if (v instanceof Map) {
    const entries = options.sortKeys ? [...v].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [...v];
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${toCompactJson(x, options)}`).join(',')}}`;
  }
  return jsonScalar(v);
}

export function toJsonText(v: CValue, indent = 2): string {
  const out: string[] = [];
  const pads: string[] = [];
  const pad = (level: number) => (pads[level] ??= ' '.repeat(indent * level));
  const write = (x: CValue, level: number): void => {
    if (Array.isArray(x)) {
      if (x.length === 0) return void out.push('[]');
      out.push('[\n');
      x.forEach((item, i) => {
        out.push(pad(level + 1));
        write(item, level + 1);
        out.push(i < x.length - 1 ? ',\n' : '\n');
      });
      out.push(pad(level), ']');
    } else if (x instanceof Map) {
      if (x.size === 0) return void out.push('{}');
      out.push('{\n');
      let i = 0;
      for (const [k, item] of x) {
        out.push(pad(level + 1), JSON.stringify(k), ': ');
        write(item, level + 1);
        out.push(++i < x.size ? ',\n' : '\n');
      }
      out.push(pad(level), '}');
    } else out.push(jsonScalar(x));
  };
  write(v, 0);
  return out.join('');
}

// YAML as Ruby's Psych writes UFO's template (`YAML.dump`), checked against Psych 4.0.3 (Ruby 3.1). A string's style
// is decided in two steps, as there: Psych's `visit_String` asks for one (a literal block for text with inner line
// breaks, double quotes for `y`/`n` and for text that starts with a non-word character and holds no `"`, single
// quotes for text its ScalarScanner would read back as something else: numbers, booleans, null, dates, symbols), then
// libyaml's emitter falls back from plain to single quotes where plain is not allowed (indicators, leading or
// trailing spaces) and from single to double quotes where a character cannot be written as it is. Long plain scalars
// are folded at spaces past column 80, as libyaml does.

/** Psych::ScalarScanner#tokenize: does `s` read back as a String? */
function readsBackAsString(s: string): boolean {
  if (s === '') return false;
  if (/^[^\d.:-]?[\p{Alphabetic}_\s!@#$%^&*(){}<>|/\\~;=]+/u.test(s) || s.includes('\n')) {
    if (s.length > 5) return true;
    if (/^[^ytonf~]/i.test(s)) return true;
    return !(s === '~' || /^null$/i.test(s) || /^(yes|true|on)$/i.test(s) || /^(no|false|off)$/i.test(s));
  }
  if (/^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/.test(s)) return false;
  if (/^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/.test(s)) return false;
  if (/^\+?\.inf$/i.test(s) || /^-\.inf$/i.test(s) || /^\.nan$/i.test(s)) return false;
  if (/^:./.test(s)) return false;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/.test(s) || /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/.test(s)) return false;
  if (/^(?:[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?)$/.test(s)) return /^[-+]?\.$/.test(s);
  if (/^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/.test(s)) return false;
  return true;
}

type YamlStyle = 'plain' | 'single' | 'double' | 'literal';

/** libyaml's printable characters (the emitter writes others escaped, in double quotes). */
function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** libyaml's yaml_emitter_analyze_scalar, for the styles this printer writes. */
function analyze(s: string) {
  const chars = [...s];
  let blockIndicators = false;
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  chars.forEach((c, i) => {
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || isBlank(next) || isBreak(next);
    if (i === 0) {
      // Only the block context matters here (UFO's template has no flow collections): flow indicators are not tracked.
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ':' && followedByWhitespace) blockIndicators = true;
      if (c === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c.codePointAt(0)!)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else previousSpace = previousBreak = false;
    precededByWhitespace = isBlank(c) || isBreak(c);
  });
  let blockPlain = true;
  let single = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) blockPlain = single = false;
  if (spaceBreak || special) blockPlain = single = block = false;
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { blockPlain, single, block, lineBreaks };
}

/** The style Psych asks for and libyaml then writes (`simpleKey`: a mapping key). */
function yamlStyle(s: string, simpleKey: boolean): YamlStyle {
  let style: YamlStyle = 'plain';
  if (/\n(?!$)/.test(s)) style = 'literal';
  else if (s === 'y' || s === 'n') style = 'double';
  else if (/^[^\p{L}\p{M}\p{Nd}\p{Pc}][^"]*$/u.test(s)) style = 'double';
  else if (!readsBackAsString(s) || /^0[0-7]*[89]/.test(s)) style = 'single';
  const a = analyze(s);
  if (style === 'plain' && (!a.blockPlain || (s === '' && simpleKey))) style = 'single';
  // Text with line breaks in quotes is folded by libyaml in ways this printer does not follow: double quotes keep it exact.
  if (style === 'single' && (!a.single || a.lineBreaks)) style = 'double';
  if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
  return style;
}

const DOUBLE_ESCAPES: Record<string, string> = {
  '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e',
  '"': '\\"', '\\': '\\\\', '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P',
};

/** A double-quoted scalar as libyaml writes it: quotes, backslashes, breaks and unprintable characters escaped. */
function doubleQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"' || c === '\\' || isBreak(c) || !isPrintable(cp) || cp === 0xfeff) {
      out += DOUBLE_ESCAPES[c] ?? (cp <= 0xff ? `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`);
    } else out += c;
  }
  return `${out}"`;
}

const BEST_WIDTH = 80;

/**
 * libyaml's line folding: a single space past the best width becomes a line break and the indentation (in quotes,
 * never the first or last character; in double quotes the text is already escaped, so a space is a space).
 */
function fold(text: string, column: number, indent: number, quoted: boolean): string {
  let out = '';
  let col = column;
  const chars = [...text];
  chars.forEach((c, i) => {
    const inside = !quoted || (i !== 0 && i !== chars.length - 1);
    if (c === ' ' && chars[i - 1] !== ' ' && col > BEST_WIDTH && chars[i + 1] !== ' ' && inside) {
      out += `\n${' '.repeat(indent)}`;
      col = indent;
    } else {
      out += c;
      col++;
    }
  });
  return out;
}

/**
 * A scalar string as Psych writes it. `column` is where it starts on its line and `indent` the indentation of its
 * continuation lines (a folded plain scalar, a literal block); a mapping key is written with `simpleKey`.
 */
function yamlString(s: string, column = 0, indent = 2, simpleKey = false): string {
  // Psych tags `<<` (YAML's merge key) as a string.
  if (s === '<<') return "!!str '<<'";
  switch (yamlStyle(s, simpleKey)) {
    case 'single':
      return simpleKey ? `'${s.replace(/'/g, "''")}'` : `'${fold(s.replace(/'/g, "''"), column + 1, indent, true)}'`;
    case 'double':
      return simpleKey ? doubleQuoted(s) : `"${fold(doubleQuoted(s).slice(1, -1), column + 1, indent, true)}"`;
    case 'literal': {
      const chomp = s.endsWith('\n') ? (s.endsWith('\n\n') ? '+' : '') : '-';
      const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
      const body = (chomp === '-' ? s : s.replace(/\n$/, '')).split('\n');
      return `|${hint}${chomp}\n${body.map((l) => (l === '' ? '' : ' '.repeat(indent) + l)).join('\n')}`;
    }
    default:
      return simpleKey ? s : fold(s, column, indent, false);
  }
}

function yamlScalar(v: CValue, column = 0, indent = 2): string {
  if (v === null) return '';
  if (typeof v === 'string') return yamlString(v, column, indent);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof RubyFloat) return Number.isNaN(v.value) ? '.nan' : !Number.isFinite(v.value) ? (v.value > 0 ? '.inf' : '-.inf') : v.toString();
  if (v instanceof Unknown) return yamlString(v.toString(), column, indent);
  throw new Error('not a scalar');
}

function isCollection(v: CValue): v is CValue[] | Map<string, CValue> {
  return (Array.isArray(v) && v.length > 0) || (v instanceof Map && v.size > 0);
}

function yamlBlock(v: CValue, indent: number, lines: string[], prefix: string): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) {
      lines.push(`${prefix}[]`);
      return;
    }
    v.forEach((item) => {
      if (isCollection(item)) {
        // The first key of a mapping (or item of a sequence) goes on the dash line.
        const sub: string[] = [];
        yamlBlock(item, indent + 2, sub, '');
        sub[0] = `${pad}- ${sub[0].slice(indent + 2)}`;
        lines.push(...sub);
      } else lines.push(`${pad}-${item === null ? '' : ' ' + yamlScalar(item, indent + 2, indent + 2)}`);
    });
    return;
  }
  if (v instanceof Map) {
    if (v.size === 0) {
      lines.push(`${prefix}{}`);
      return;
    }
    for (const [k, x] of v) {
      const key = yamlString(k, indent, indent + 2, true);
      if (Array.isArray(x) && x.length > 0) {
        lines.push(`${pad}${key}:`);
        yamlBlock(x, indent, lines, '');
      } else if (x instanceof Map && x.size > 0) {
        lines.push(`${pad}${key}:`);
        yamlBlock(x, indent + 2, lines, '');
      } else if (Array.isArray(x) || x instanceof Map) {
        lines.push(`${pad}${key}: ${Array.isArray(x) ? '[]' : '{}'}`);
      } else lines.push(`${pad}${key}:${x === null ? '' : ' ' + yamlScalar(x, indent + key.length + 2, indent + 2)}`);
    }
    return;
  }
  lines.push(`${prefix}${yamlScalar(v)}`);
}

/** YAML in the form Psych writes (`---` header, sequences not indented under their key). */
export function toYamlText(v: CValue): string {
  if (!isCollection(v)) return `--- ${yamlScalar(v)}\n`;
  const lines: string[] = [];
  yamlBlock(v, 0, lines, '');
  return `---\n${lines.join('\n')}\n`;
}
