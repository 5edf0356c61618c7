// Which files of a UFO project hold task definitions, and which one UFO renders (docs/ufo-semantics.md §12).

import type { UfoVersion } from '../compile/compileRoles';
import type { TaskDefinitionFormat } from './scanTaskDefinition';

export interface TaskDefinitionFile {
  /** The path as given (relative to the project root, the folder that holds `.ufo/`). */
  readonly path: string;
  /** How UFO parses the rendered file: JSON for `.json` and `.json.erb`, YAML for `.yml`. */
  readonly format: TaskDefinitionFormat;
  /**
   * v6: `used` for the file UFO renders for the role, `shadowed` for candidates that lose to it.
   * v5: `candidate` for every template, since `.ufo/task_definitions.rb` picks one per task definition
   * with `source "<name>"`.
   */
  readonly status: 'used' | 'shadowed' | 'candidate';
}

function normalize(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

const V5_TEMPLATE = /^\.ufo\/templates\/([^/]+)\.json\.erb$/;
const V6_TEMPLATE = /^\.ufo\/resources\/task_definitions\/([^/]+)\.(?:json|yml)$/;

/**
 * Whether UFO can render `relPath` as a task definition of some process role: v5 any `.ufo/templates/<name>.json.erb`,
 * v6 any `.ufo/resources/task_definitions/<name>.{json,yml}` (the one of `UFO_ROLE`; dot files are never globbed).
 */
export function isTaskDefinitionTemplate(version: UfoVersion, relPath: string): boolean {
  const m = (version === 5 ? V5_TEMPLATE : V6_TEMPLATE).exec(normalize(relPath));
  return !!m && !m[1].startsWith('.');
}

/**
 * The task-definition files among `relPaths`, in UFO's precedence order.
 * - v6: `lib/ufo/task_definition.rb` takes the first match of
 *   `.ufo/resources/task_definitions/{<UFO_ROLE>,web,default}.{json,yml}`. Ruby expands the braces in
 *   the order written, so the role wins over `web`, `web` over `default`, and `.json` over `.yml` for
 *   the same name. A `.yaml` file is never read.
 * - v5: any `.ufo/templates/<name>.json.erb` can be the `source` of a task definition; `main` (the
 *   generated one, and the fallback name) comes first, then the others by name. Ruby globs skip dot
 *   files, and so do we.
 */
export function pickTaskDefinitionFiles(layout: UfoVersion, relPaths: readonly string[], ufoRole = 'web'): TaskDefinitionFile[] {
  const byNormal = new Map<string, string>();
  for (const p of relPaths) {
    const n = normalize(p);
    if (!byNormal.has(n)) byNormal.set(n, p);
  }
  if (layout === 5) {
    const found: Array<{ name: string; path: string }> = [];
    for (const [n, p] of byNormal) {
      const m = V5_TEMPLATE.exec(n);
      if (m && !m[1].startsWith('.')) found.push({ name: m[1], path: p });
    }
    found.sort((a, b) => (a.name === 'main' ? -1 : b.name === 'main' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return found.map((f) => ({ path: f.path, format: 'json', status: 'candidate' }));
  }
  const names = [...new Set([ufoRole, 'web', 'default'].filter((n) => n !== '' && !n.includes('/')))];
  const result: TaskDefinitionFile[] = [];
  for (const name of names) {
    for (const ext of ['json', 'yml'] as const) {
      const path = byNormal.get(`.ufo/resources/task_definitions/${name}.${ext}`);
      if (path === undefined) continue;
      result.push({ path, format: ext === 'json' ? 'json' : 'yaml', status: result.length === 0 ? 'used' : 'shadowed' });
    }
  }
  return result;
}
