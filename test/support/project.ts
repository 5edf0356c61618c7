// Temporary UFO projects on disk for protocol and CLI tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Creates a project from `{ relativePath: content }` in a fresh temp folder and returns its root. */
export function makeProject(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return root;
}

/** Copies a folder (e.g. an example project) to a fresh temp folder. */
export function copyProject(src: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-test-'));
  fs.cpSync(src, root, { recursive: true });
  return root;
}
