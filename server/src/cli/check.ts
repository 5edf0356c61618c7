// `ufo-iam check [DIR|FILE…] [--format text|json|sarif|github|markdown]`: the editor's diagnostics for CI. Each task-definition
// template goes through project/checkTemplate.ts, as in the editor. Each role file
// goes through the same core as in the editor (analyzeRoleFile, then runChecks with the IAM data, the
// severities of the project's `.vscode/settings.json` and the inline suppressions), so both show the same
// findings. A directory means every Ruby file under its IAM roles folders (UFO's own and the ones it ignores,
// which get UNUSED_ROLE_FILE as in the editor) and its task-definition templates. Exit 0 without errors, 1 with errors, 2 on usage or
// internal failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeRoleFile, V5_DIR, V6_DIR, type IamKnowledge } from '../core';
import { checkRoleFile, fileContextIn, OUTSIDE } from '../project/fileContext';
import { checkTemplate, isTemplateOf } from '../project/checkTemplate';
import { getIam } from '../project/iamInstance';
import { getPrism } from '../project/prismInstance';
import { findProjectRoot, projectRootOfPath, type ProjectContext } from '../project/projectContext';
import { readFileSafely } from '../project/readProjectFile';
import { EXIT, UsageError, type Subcommand } from './io';
import { parseArgs, relativeTo } from './args';
import { compareProblems, fileProblem, toProblem, type Problem } from './format/problem';
import { formatText } from './format/text';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatGithub } from './format/github';
import { formatMarkdown } from './format/markdown';
import { openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE = `usage: ufo-iam check [DIR|FILE...] [--format text|json|sarif|github|markdown] ${PROJECT_OPTIONS_USAGE}`;
const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'];

interface Project {
  readonly context: ProjectContext;
  /** The files to check (absolute). */
  readonly files: string[];
}

const isRoleFolderFile = (rel: string) => rel.endsWith('.rb') && (rel.startsWith(`${V5_DIR}/`) || rel.startsWith(`${V6_DIR}/`));

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, format: 'string' }, USAGE);
  const format = args.options.format ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, json, sarif, github or markdown\n${USAGE}`);
  const targets = args.positionals.length > 0 ? args.positionals : ['.'];

  const projects = new Map<string, Project>();
  const outside: string[] = [];
  const seen = new Set<string>();
  const projectOf = (root: string): Project => {
    let p = projects.get(root);
    if (!p) {
      p = { context: openCliProject(root, args, io, USAGE), files: [] };
      projects.set(root, p);
    }
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
      for (const rel of p.context.files) {
        if (!isRoleFolderFile(rel) && !isTemplateOf(p.context, rel)) continue;
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
      const root = projectRootOfPath(abs);
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
  const problems: Problem[] = [];
  const display = (file: string) => relativeTo(io.cwd, file, true).split(path.sep).join('/');
  for (const p of projects.values()) for (const problem of p.context.problems) problems.push({ ...problem, file: display(problem.file) });
  let fileCount = 0;
  /** Checks one file: in a project (`project` set) it may not leave it through a link; named on its own, it may be anywhere. */
  const checkFile = (file: string, project: ProjectContext | undefined) => {
    fileCount++;
    const shown = display(file);
    // Either way it must be a regular file under the size cap (a FIFO or a link to /dev/zero would block or never end).
    const read = readFileSafely(file, project?.root);
    if (!read.ok) {
      problems.push(fileProblem(shown, 'UNREADABLE_FILE', `${shown} is not read: ${read.reason}.`));
      return;
    }
    const rel = project ? path.relative(project.root, file).split(path.sep).join('/') : undefined;
    if (project && rel !== undefined && isTemplateOf(project, rel)) {
      // A task-definition template: the same function as the editor's template diagnostics.
      const check = checkTemplate(project, rel, read.text);
      for (const { finding } of check.findings) problems.push(toProblem(shown, check.lineIndex, finding));
      return;
    }
    const analysis = analyzeRoleFile(parse, read.text);
    const ctx = project ? fileContextIn(project, path.relative(project.root, file).split(path.sep).join('/')) : OUTSIDE;
    for (const f of checkRoleFile(analysis, ctx, project?.settings, iam)) problems.push(toProblem(shown, analysis.lineIndex, f));
  };
  for (const p of projects.values()) for (const file of p.files) checkFile(file, p.context);
  // Not in a UFO project: only what Ruby itself rejects, as in the editor.
  for (const file of outside) checkFile(file, undefined);
  problems.sort(compareProblems);

  if (format === 'json') io.stdout(formatJson(problems));
  else if (format === 'sarif') io.stdout(formatSarif(problems, { cwd: io.cwd, version: packageVersion() }));
  else if (format === 'github') {
    io.stdout(formatGithub(problems));
    io.stderr(summary(problems, fileCount));
  } else if (format === 'markdown') io.stdout(formatMarkdown(problems, fileCount));
  else {
    io.stdout(formatText(problems));
    io.stderr(summary(problems, fileCount));
  }
  return problems.some((p) => p.severity === 'error') ? EXIT.failure : EXIT.ok;
};

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

export type { CliIo } from './io';
