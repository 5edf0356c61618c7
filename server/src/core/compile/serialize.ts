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

// Psych's choice of scalar style (yaml_tree.rb visit_String), followed by libyaml's rule that a
// plain scalar must not be read back as anything but the same string.
const YAML_SPECIAL = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|=|<<)$/;
const YAML_NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\.(?:inf|Inf|INF|nan|NaN|NAN)|[-+]\.(?:inf|Inf|INF)|\d+(?::[0-5]?\d)+(?:\.\d*)?)$/;
const YAML_DATE = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]|$)/;

function yamlString(s: string): string {
  if (s === '') return "''";
  const singleQuoted = `'${s.replace(/'/g, "''")}'`;
  if (/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/.test(s) || s.includes('\n')) return JSON.stringify(s);
  if (s === 'y' || s === 'Y' || s === 'n' || s === 'N') return JSON.stringify(s);
  if (/^[^\p{L}\p{N}_][^"]*$/u.test(s)) {
    // Psych asks for double quotes for strings starting with a non-word character; libyaml still
    // writes it plain when that is safe, which it never is for indicator characters.
    if (/^[-?:,\[\]{}#&*!|>'"%@`\s]/.test(s) || /: |\s#|:$|\s$/.test(s)) return JSON.stringify(s);
  }
  if (YAML_SPECIAL.test(s) || YAML_NUMBER.test(s) || YAML_DATE.test(s)) return singleQuoted;
  if (/^[-?:,\[\]{}#&*!|>'"%@`]/.test(s) || /: |\s#|:$|^\s|\s$/.test(s)) return singleQuoted;
  return s;
}

function yamlScalar(v: CValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return yamlString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof RubyFloat) return Number.isNaN(v.value) ? '.nan' : !Number.isFinite(v.value) ? (v.value > 0 ? '.inf' : '-.inf') : v.toString();
  if (v instanceof Unknown) return yamlString(v.toString());
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
      } else lines.push(`${pad}-${item === null ? '' : ' ' + yamlScalar(item)}`);
    });
    return;
  }
  if (v instanceof Map) {
    if (v.size === 0) {
      lines.push(`${prefix}{}`);
      return;
    }
    for (const [k, x] of v) {
      const key = yamlString(k);
      if (Array.isArray(x) && x.length > 0) {
        lines.push(`${pad}${key}:`);
        yamlBlock(x, indent, lines, '');
      } else if (x instanceof Map && x.size > 0) {
        lines.push(`${pad}${key}:`);
        yamlBlock(x, indent + 2, lines, '');
      } else if (Array.isArray(x) || x instanceof Map) {
        lines.push(`${pad}${key}: ${Array.isArray(x) ? '[]' : '{}'}`);
      } else lines.push(`${pad}${key}:${x === null ? '' : ' ' + yamlScalar(x)}`);
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
