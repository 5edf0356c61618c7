// Reads `config.app` from `.ufo/config.rb` statically (ufo-dsl.md §4.3): the value of an assignment
// `config.app = "name"` with a literal string, anywhere in the file (usually inside `Ufo.configure`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getPrism } from './prismInstance';

export function readUfoAppFromText(text: string): string | undefined {
  const result = getPrism()(text);
  let found: string | undefined;
  const visit = (node: any): void => {
    if (!node || typeof node !== 'object' || found !== undefined) return;
    if (node.constructor?.name === 'CallNode' && node.name === 'app=' && node.receiver?.constructor?.name === 'LocalVariableReadNode') {
      const arg = node.arguments_?.arguments_?.[0];
      if (arg?.constructor?.name === 'StringNode') found = arg.unescaped?.value;
      else if (arg?.constructor?.name === 'SymbolNode') found = arg.unescaped?.value;
      return;
    }
    for (const key of Object.keys(node)) {
      if (key === 'location') continue;
      const child = node[key];
      if (Array.isArray(child)) child.forEach(visit);
      else if (child && typeof child === 'object' && child.location) visit(child);
    }
  };
  visit(result.value);
  return found;
}

export function readUfoApp(root: string): string | undefined {
  const file = path.join(root, '.ufo', 'config.rb');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return readUfoAppFromText(text);
}
