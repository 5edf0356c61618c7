// The live preview (`ufoIam/preview`): both roles of the document's project compiled by the core,
// from the open editors' text where a role file is open and from disk otherwise.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { compileRoles, RAISING_CODES, type RoleType, buildPreview, type PreviewInput, type RoleFileModel, type RoleFileAnalysis } from '../core';
import type { Workspace } from '../workspace';
import type { Settings } from '../settings';
import type { PreviewRequest } from '../lsp/protocol';
import { readTemplateRefs } from '../project/taskDefinitionRefs';
import { describeTarget } from '../project/planProject';

export function providePreview(
  workspace: Workspace,
  documents: TextDocuments<TextDocument>,
  uri: string,
  settings: Settings,
): PreviewRequest.Result {
  const ctx = workspace.contextOf(uri, settings);
  if (!ctx.project || !ctx.layout) {
    return { text: '// This file is not part of a UFO project (no .ufo folder above it).\n{}\n', partial: false, errors: 0 };
  }
  const project = ctx.project;
  const root = project.root;
  const models: Partial<Record<RoleType, RoleFileModel>> = {};
  const lastGoodModels: Partial<Record<RoleType, RoleFileModel>> = {};
  const problems: string[] = [];
  for (const p of project.problems) problems.push(`${path.relative(root, p.file)}:${p.line}:${p.column}: ${p.code} ${p.message}`);
  let stale = false;
  for (const [roleType, rel] of Object.entries(ctx.layout.roleFiles) as [RoleType, string][]) {
    const fileUri = pathToFileURL(path.join(root, rel)).href;
    const open = documents.all().find((d) => d.uri === fileUri || decodeURIComponent(d.uri) === decodeURIComponent(fileUri));
    let analysis: RoleFileAnalysis | undefined;
    if (open) analysis = workspace.analyze(open);
    else {
      const read = workspace.readFile(root, rel);
      if (read.ok) analysis = workspace.analysisOf(root, rel, read.text);
      else if (!read.missing) problems.push(`${rel}:1:1: UNREADABLE_FILE ${rel} is not read: ${read.reason}.`);
    }
    if (!analysis) continue;
    models[roleType] = analysis.model;
    const raising = analysis.findings.filter((f) => RAISING_CODES.has(f.code));
    for (const f of raising) {
      const p = analysis.lineIndex.positionOfByte(f.span.start);
      problems.push(`${rel}:${p.line + 1}:${p.character + 1}: ${f.code} ${f.message}`);
    }
    if (raising.length > 0) {
      const good = open ? workspace.lastGoodAnalysis(open.uri) : undefined;
      if (good) {
        lastGoodModels[roleType] = good.model;
        stale = true;
      }
    }
  }
  const compiled = compileRoles(stale ? { ...models, ...lastGoodModels } : models, ctx.layout.version);
  const input: PreviewInput = {
    version: ctx.layout.version,
    roles: compiled.roles,
    resources: problems.length > 0 && !stale ? new Map() : compiled.resources,
    files: ctx.layout.roleFiles,
    ...readTemplateRefs(project),
    problems,
    stale,
    target: describeTarget(project),
  };
  return {
    text: buildPreview(input),
    root,
    partial: compiled.roles.some((r) => r.partial),
    errors: problems.length,
  };
}
