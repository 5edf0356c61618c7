// What the three AWS requests of the server share (`ufoIam/planRoles` in planRoles.ts, `ufoIam/applyRoles` in
// applyRoles.ts, `ufoIam/taskDefinitionArns` in taskDefinitionArns.ts): their dependencies, the plans kept between a
// plan and its confirmation, and how an AWS failure becomes a result.
//
// The AWS edge (server/src/aws, with the SDK) is reached only through `loadAws()`, on the first plan, so it never
// weighs on the server's start. The projects are opened as everywhere else (project/projectContext.ts, through the
// workspace's cached listing), and prepared by the project layer (project/planProject.ts, taskDefinitionArns.ts),
// which loads no SDK.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AwsOperationError, AwsOptions, AwsSession, Plan } from '../aws';
import type { ApplyProgressNotification } from '../lsp/protocol';
import { loadAws, type AwsModule } from '../project/awsLoader';
import { projectRootOf, type ProjectContext } from '../project/projectContext';
import { readFileSafely } from '../project/readProjectFile';
import type { Settings } from '../settings';
import type { RoleFileAnalysis } from '../core';

export interface AwsRequestDeps {
  /** The open documents (the role files the client syncs). */
  readonly documents: { all(): TextDocument[] };
  readonly settingsFor: (uri: string) => Promise<Settings>;
  /** The project context of a project root with these settings (the workspace's). */
  readonly projectAt: (root: string, settings: Settings) => ProjectContext;
  readonly sendProgress: (params: ApplyProgressNotification.Params) => void;
  readonly log: (message: string) => void;
  readonly loadAws?: () => AwsModule;
  /** The workspace's analysis of a project's role-file text (Workspace.analysisOf), reused by the evaluation requests. */
  readonly analysisOf?: (root: string, relPath: string, text: string) => RoleFileAnalysis;
}

/** How long a plan waits for its confirmation, and how many are kept. */
const PLAN_TTL_MS = 30 * 60_000;
const MAX_PLANS = 8;

export interface KeptPlan {
  readonly plan: Plan;
  readonly adoptPlan?: Plan;
  readonly awsOptions: AwsOptions;
  readonly root: string;
  readonly createdAt: number;
}

/** The shared state of the AWS requests: kept plans, and whether an apply runs. */
export class AwsRequests {
  private readonly plans = new Map<string, KeptPlan>();
  applying = false;
  readonly load: () => AwsModule;

  constructor(readonly deps: AwsRequestDeps) {
    this.load = deps.loadAws ?? loadAws;
  }

  keep(kept: KeptPlan): string {
    const now = Date.now();
    for (const [id, p] of this.plans) if (now - p.createdAt > PLAN_TTL_MS) this.plans.delete(id);
    while (this.plans.size >= MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
    const id = randomUUID();
    this.plans.set(id, kept);
    return id;
  }

  /** A kept plan that has not expired (an expired one is forgotten). */
  kept(planId: unknown): KeptPlan | undefined {
    const kept = typeof planId === 'string' ? this.plans.get(planId) : undefined;
    if (kept && Date.now() - kept.createdAt > PLAN_TTL_MS) {
      this.plans.delete(planId as string);
      return undefined;
    }
    return kept;
  }

  forget(planId: string): void {
    this.plans.delete(planId);
  }

  /** The project of a file or folder URI, opened with that URI's settings; undefined outside a UFO project. */
  async projectOf(uri: string): Promise<{ project: ProjectContext; settings: Settings } | undefined> {
    const root = rootOfUri(uri);
    if (!root) return undefined;
    const settings = await this.deps.settingsFor(uri);
    return { project: this.deps.projectAt(root, settings), settings };
  }

  /** `file:` URIs of open documents under `<root>/.ufo/` whose text differs from the file on disk. */
  unsavedFiles(root: string): string[] {
    const ufoDir = path.join(root, '.ufo') + path.sep;
    const out: string[] = [];
    for (const doc of this.deps.documents.all()) {
      let p: string;
      try {
        if (!doc.uri.startsWith('file:')) continue;
        p = fileURLToPath(doc.uri);
      } catch {
        continue;
      }
      if (!p.startsWith(ufoDir)) continue;
      const read = readFileSafely(p, root);
      const disk = read.ok ? stripBom(read.text) : undefined; // never saved, or not a file ufo-iam reads
      if (disk !== doc.getText()) out.push(doc.uri);
    }
    return out;
  }
}

export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The project folder (the one holding `.ufo/`) of a file or folder URI. */
export function rootOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return projectRootOf(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function isAwsError(e: unknown): e is AwsOperationError {
  // By name, not instanceof: in the bundles the class lives in dist/aws.js.
  return e instanceof Error && e.name === 'AwsOperationError' && typeof (e as AwsOperationError).code === 'string';
}

/** An AWS failure as a result; anything else is a bug and goes to the guard. */
export function awsErrorResult(e: unknown, session: AwsSession | undefined): { kind: 'error'; code: string; message: string; missingPermission?: string } {
  if (!isAwsError(e)) throw e;
  const message = session ? session.redact(e.message) : e.message;
  return { kind: 'error', code: e.code, message, ...(e.details.missingPermission ? { missingPermission: e.details.missingPermission } : {}) };
}
