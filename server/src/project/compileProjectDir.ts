// IO edge: reads a UFO project from disk and compiles its roles with the core. Used by the CLI and
// the AWS plan/apply path; the language server does the same from open documents.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeRoleFile } from '../core/analysis';
import { compileRoles, LOGICAL_IDS, type LogicalId, type RoleType, type UfoVersion, type CompiledRole } from '../core/compile/compileRoles';
import { toPlain, type CMap } from '../core/compile/cvalue';
import { resolveLayout, type ProjectLayout } from '../core/layout/projectLayout';
import type { RoleFileModel } from '../core/model/roleFile';
import type { RoleFileAnalysis } from '../core/analysis';
import { ruleOf } from '../core/checks/rules';
import { fileProblem, toProblem, type Problem } from './problem';
import { readProjectFile } from './readProjectFile';
import { getPrism } from './prismInstance';
import { readConfigApp, resolveUfoApp, type ConfigApp } from './ufoConfig';

/** A finding placed in a file (1-based, UTF-16 columns); the same shape the CLI formats print. */
export type ProjectProblem = Problem;

export interface CompiledProject {
  readonly root: string;
  readonly ufoVersion: UfoVersion;
  readonly layout: ProjectLayout;
  readonly app?: string;
  readonly roles: Array<{ logicalId: LogicalId; roleType: RoleType; file: string; resource: unknown; partial: boolean; compiled: CompiledRole }>;
  /** The resources as UFO orders them (ExecutionRole, TaskRole), for printing. */
  readonly resources: CMap;
  readonly analyses: Partial<Record<RoleType, { file: string; analysis: RoleFileAnalysis }>>;
  /** Findings of the role files (1-based lines/columns in UTF-16 units). */
  readonly problems: ProjectProblem[];
}

/** Project-relative POSIX paths of the files under `.ufo/` (bounded walk). */
export function listUfoFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > 6 || out.length > 5000) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name === 'output' || e.name === 'node_modules' || e.name === '.git') continue;
        // A folder named like a Ruby file (`task_role.rb/`) is not a role file: listing it would make it one.
        if (!e.name.endsWith('.rb')) out.push(r);
        walk(r, depth + 1);
      } else out.push(r);
    }
  };
  walk('.ufo', 0);
  return out;
}

/** Finds the project root: the nearest ancestor of `start` holding a `.ufo` folder. */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (fs.statSync(dir).isFile()) dir = path.dirname(dir);
  } catch {
    return undefined;
  }
  for (;;) {
    if (fs.existsSync(path.join(dir, '.ufo'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function problemsOf(file: string, analysis: RoleFileAnalysis, findings = analysis.findings): ProjectProblem[] {
  return findings.map((f) => toProblem(file, analysis.lineIndex, { ...f, severity: f.severity ?? ruleOf(f.code).severity }));
}

export function compileProjectDir(
  dir: string,
  options: { ufoVersion?: UfoVersion; app?: string; env?: NodeJS.ProcessEnv } = {},
): CompiledProject {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, '.ufo'))) throw new Error(`${dir}: not a UFO project (no .ufo folder)`);
  const env = options.env ?? process.env;
  const files = listUfoFiles(root);
  let config: ConfigApp | undefined;
  const app = resolveUfoApp(options.app, env, () => (config = readConfigApp(root))?.app);
  const layout = resolveLayout({ files, app, version: options.ufoVersion });
  const parse = getPrism();
  const models: Partial<Record<RoleType, RoleFileModel>> = {};
  const analyses: CompiledProject['analyses'] = {};
  const problems: ProjectProblem[] = [];
  if (config?.unreadable) problems.push(fileProblem(path.join(root, config.file), 'UNREADABLE_FILE', `${config.file} is not read: ${config.unreadable}.`));
  for (const [roleType, rel] of Object.entries(layout.roleFiles) as [RoleType, string][]) {
    const file = path.join(root, rel);
    const read = readProjectFile(root, rel);
    if (!read.ok) {
      problems.push(fileProblem(file, 'UNREADABLE_FILE', `${rel} is not read: ${read.reason}.`));
      continue;
    }
    const analysis = analyzeRoleFile(parse, read.text);
    models[roleType] = analysis.model;
    analyses[roleType] = { file, analysis };
    problems.push(...problemsOf(file, analysis));
  }
  const { roles, resources } = compileRoles(models, layout.version);
  return {
    root,
    ufoVersion: layout.version,
    layout,
    app,
    roles: roles
      .filter((r) => r.resource)
      .map((r) => ({
        logicalId: LOGICAL_IDS[r.roleType],
        roleType: r.roleType,
        file: analyses[r.roleType]!.file,
        resource: toPlain(r.resource!),
        partial: r.partial,
        compiled: r,
      })),
    resources,
    analyses,
    problems,
  };
}
