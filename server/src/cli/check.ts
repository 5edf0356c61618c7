// `ufo-iam check [DIR|FILE…] [--format text|json|sarif]`: the editor's diagnostics for CI. Each role file
// goes through the same core as in the editor (analyzeRoleFile, then runChecks with the IAM data, the
// severities of the project's `.vscode/settings.json` and the inline suppressions), so both show the same
// findings. A directory means every Ruby file under its IAM roles folders (UFO's own and the ones it ignores,
// which get UNUSED_ROLE_FILE as in the editor). Exit 0 without errors, 1 with errors, 2 on usage or
// internal failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeRoleFile } from '../core/analysis';
import { runChecks } from '../core/checks';
import type { Finding } from '../core/findings';
import type { LineIndex } from '../core/text/lineIndex';
import { classifyFile, resolveLayout, V5_DIR, V6_DIR, type FileRole } from '../core/layout/projectLayout';
import type { UfoVersion } from '../core/compile/compileRoles';
import type { IamKnowledge } from '../core/iam/iamKnowledge';
import { findProjectRoot, listUfoFiles } from '../project/compileProjectDir';
import { getIam } from '../project/iamInstance';
import { getPrism } from '../project/prismInstance';
import { readFileSafely } from '../project/readProjectFile';
import { readProjectSettings } from '../project/settingsFile';
import { readConfigApp, resolveUfoApp } from '../project/ufoConfig';
import { forcedVersion, type Settings } from '../settings';
import { EXIT, UsageError, type CliIo, type Subcommand } from './io';
import { parseArgs, relativeTo } from './args';
import { compareProblems, fileProblem, toProblem, type Problem } from './format/problem';
import { formatText } from './format/text';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';

export const USAGE = 'usage: ufo-iam check [DIR|FILE...] [--format text|json|sarif] [--ufo-version 5|6] [--app NAME]';

interface Project {
  readonly root: string;
  readonly settings: Settings;
  readonly files: string[];
  readonly version: UfoVersion;
  readonly layoutFiles: string[];
  readonly app?: string;
}

const isRoleFolderFile = (rel: string) => rel.endsWith('.rb') && (rel.startsWith(`${V5_DIR}/`) || rel.startsWith(`${V6_DIR}/`));

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { format: 'string', 'ufo-version': 'string', app: 'string' }, USAGE);
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif\n${USAGE}`);
  const v = args.options['ufo-version'];
  if (v !== undefined && v !== '5' && v !== '6') throw new UsageError(`--ufo-version must be 5 or 6\n${USAGE}`);
  const targets = args.positionals.length > 0 ? args.positionals : ['.'];

  const projects = new Map<string, Project>();
  /** Problems of project files other than role files (found while the projects are opened). */
  const projectProblems: Problem[] = [];
  const outside: string[] = [];
  const seen = new Set<string>();
  const projectOf = (root: string): Project => {
    let p = projects.get(root);
    if (p) return p;
    const { settings, problem } = readProjectSettings(root);
    if (problem) io.stderr(`warning: ${problem}; using the default settings.\n`);
    const layoutFiles = listUfoFiles(root);
    const app = resolveUfoApp(args.options.app || settings.app, io.env, () => {
      const config = readConfigApp(root);
      if (config?.unreadable) {
        const display = relativeTo(io.cwd, path.join(root, config.file), true).split(path.sep).join('/');
        projectProblems.push(fileProblem(display, 'UNREADABLE_FILE', `${display} is not read: ${config.unreadable}.`));
      }
      return config?.app;
    });
    const version = v ? (Number(v) as UfoVersion) : (forcedVersion(settings) ?? resolveLayout({ files: layoutFiles, app }).version);
    p = { root, settings, files: [], version, layoutFiles, app };
    projects.set(root, p);
    return p;
  };
  for (const t of targets) {
    const abs = relativeTo(io.cwd, t);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      // A link that leads nowhere (dangling, or a loop) is still a file named here: reading it reports why it is not read.
      try {
        stat = fs.lstatSync(abs);
      } catch {
        throw new UsageError(`${t}: no such file or directory\n${USAGE}`);
      }
    }
    if (stat.isDirectory()) {
      const root = findProjectRoot(abs);
      if (!root) throw new UsageError(`${t}: not in a UFO project (no .ufo folder here or above)\n${USAGE}`);
      const p = projectOf(root);
      const within = path.relative(root, abs).split(path.sep).join('/');
      for (const rel of p.layoutFiles) {
        if (!isRoleFolderFile(rel)) continue;
        // A directory below the root (`.ufo/iam_roles`) selects the files under it.
        if (within !== '' && rel !== within && !rel.startsWith(`${within}/`)) continue;
        const file = path.join(root, rel);
        if (seen.has(file)) continue;
        seen.add(file);
        p.files.push(file);
      }
    } else {
      if (seen.has(abs)) continue;
      seen.add(abs);
      const root = findUfoRoot(abs);
      if (root) projectOf(root).files.push(abs);
      else outside.push(abs);
    }
  }

  let iam: IamKnowledge | undefined;
  try {
    iam = getIam();
  } catch (e) {
    io.stderr(`warning: ${e instanceof Error ? e.message : String(e)}; the checks that need the IAM data are skipped.\n`);
  }
  const parse = getPrism();
  const problems: Problem[] = [...projectProblems];
  let fileCount = 0;
  const checkFile = (file: string, root: string | undefined, findingsOf: (text: string) => { lines: LineIndex; findings: Finding[] }) => {
    fileCount++;
    const display = relativeTo(io.cwd, file, true).split(path.sep).join('/');
    // A file of a project may not leave it through a link; a file named on its own may be anywhere. Either must be a
    // regular file under the size cap (a FIFO or a link to /dev/zero would block or never end).
    const read = readFileSafely(file, root);
    if (!read.ok) {
      problems.push(fileProblem(display, 'UNREADABLE_FILE', `${display} is not read: ${read.reason}.`));
      return;
    }
    const { lines, findings } = findingsOf(read.text);
    for (const f of findings) problems.push(toProblem(display, lines, f));
  };
  for (const p of projects.values()) {
    const files = new Set(p.layoutFiles);
    for (const file of p.files) {
      const rel = path.relative(p.root, file).split(path.sep).join('/');
      const layout = resolveLayout({ files: files.has(rel) ? p.layoutFiles : [...p.layoutFiles, rel], app: p.app, version: p.version });
      const fileRole: FileRole = classifyFile(rel, layout, p.app);
      checkFile(file, p.root, (text) => {
        const analysis = analyzeRoleFile(parse, text);
        const findings = runChecks({
          analysis,
          fileRole,
          version: layout.version,
          iam,
          severities: p.settings.diagnostics,
        });
        return { lines: analysis.lineIndex, findings };
      });
    }
  }
  for (const file of outside) {
    // Not in a UFO project: only what Ruby itself rejects, as in the editor.
    checkFile(file, undefined, (text) => {
      const analysis = analyzeRoleFile(parse, text);
      return { lines: analysis.lineIndex, findings: analysis.findings.filter((f) => f.code === 'SYNTAX_ERROR').map((f) => ({ ...f, severity: 'error' as const })) };
    });
  }
  problems.sort(compareProblems);

  if (format === 'json') io.stdout(formatJson(problems));
  else if (format === 'sarif') io.stdout(formatSarif(problems, { cwd: io.cwd, version: packageVersion() }));
  else {
    io.stdout(formatText(problems));
    io.stderr(summary(problems, fileCount));
  }
  return problems.some((p) => p.severity === 'error') ? EXIT.failure : EXIT.ok;
};

function findUfoRoot(file: string): string | undefined {
  const parts = file.split(path.sep);
  const i = parts.lastIndexOf('.ufo');
  if (i > 0) return parts.slice(0, i).join(path.sep) || path.sep;
  return findProjectRoot(path.dirname(file));
}

function summary(problems: readonly Problem[], files: number): string {
  const count = (s: string) => problems.filter((p) => p.severity === s).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
    [count('information') + count('hint'), 'note'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, w]) => `${n} ${w}${n === 1 ? '' : 's'}`);
  return `${parts.length > 0 ? parts.join(', ') : 'no problems'} in ${files} file${files === 1 ? '' : 's'}\n`;
}

declare const __UFO_IAM_VERSION__: string | undefined;

function packageVersion(): string {
  if (typeof __UFO_IAM_VERSION__ === 'string') return __UFO_IAM_VERSION__;
  for (const p of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      return JSON.parse(fs.readFileSync(p, 'utf8')).version;
    } catch {
      /* try the next */
    }
  }
  return '0.0.0';
}

export type { CliIo };
