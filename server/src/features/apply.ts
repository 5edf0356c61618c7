// The server side of "UFO: Apply IAM Roles…" and "UFO: Update Task Definition ARNs" (issue 6):
// `ufoIam/planRoles` plans the project's roles against IAM and keeps the plan, `ufoIam/applyRoles`
// applies a kept plan with one `ufoIam/applyProgress` notification per step, and
// `ufoIam/taskDefinitionArns` turns the live role ARNs into an ERB-aware edit of the task-definition
// template (ufo-dsl.md §3.3, §5) that the client applies as an undoable WorkspaceEdit.
//
// The AWS edge (server/src/aws, with the SDK) is reached only through `loadAws()`, on the first plan,
// so it never weighs on the server's start. The one exception is `planInputForProject`
// (aws/projectPlan.ts), imported statically on purpose: it loads no SDK (only the compiler and the
// role-name template), aws/index.ts does not re-export it, and the server's copy shares the server's
// Prism instance instead of instantiating a second one inside dist/aws.js.
//
// Plans are made from the role files on disk, which is what UFO deploys: when an open editor holds
// text that differs from its file, the plan is refused (UNSAVED) and the client offers to save.
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AwsOperationError, AwsOptions, AwsSession, Plan, RolePlan } from '../aws';
import { planInputForProject, type ProjectPlanInput } from '../aws/projectPlan';
import type { LogicalRoleId } from '../core/layout/roleName';
import { editRoleArns, pickTaskDefinitionFiles, type RoleArnKey, type TaskDefinitionFile } from '../core/taskdef';
import { LineIndex } from '../core/text/lineIndex';
import { toTextEdit } from '../lsp/convert';
import type { ApplyProgressNotification, ApplyRolesRequest, PlanCountsSummary, PlanRolesRequest, TaskDefinitionArnsRequest } from '../lsp/protocol';
import { loadAws, type AwsModule } from '../project/awsLoader';
import { readFileSafely, readProjectFile } from '../project/readProjectFile';
import { findProjectRoot, listUfoFiles } from '../project/compileProjectDir';
import { forcedVersion, type Settings } from '../settings';
import { findUfoRootOf } from '../workspace';

export interface ApplyFeatureDeps {
  /** The open documents (the role files the client syncs). */
  readonly documents: { all(): TextDocument[] };
  readonly settingsFor: (uri: string) => Promise<Settings>;
  readonly sendProgress: (params: ApplyProgressNotification.Params) => void;
  readonly log: (message: string) => void;
  /** Where UFO_APP, UFO_ENV, UFO_ROLE come from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly loadAws?: () => AwsModule;
}

/** What the guard answers when a handler throws (a bug; the log has the stack). */
export const PLAN_FAILED: PlanRolesRequest.Result = {
  kind: 'error',
  code: 'INTERNAL_ERROR',
  message: 'The plan failed unexpectedly; see the UFO IAM output channel. Nothing was changed.',
};
export const APPLY_FAILED: ApplyRolesRequest.Result = {
  status: 'error',
  message: 'The apply failed unexpectedly; see the UFO IAM output channel. Plan again to see what, if anything, was changed.',
  done: [],
  remaining: [],
  roles: [],
};
export const ARNS_FAILED: TaskDefinitionArnsRequest.Result = {
  kind: 'error',
  code: 'INTERNAL_ERROR',
  message: 'Computing the task definition ARNs failed unexpectedly; see the UFO IAM output channel.',
};

/** How long a plan waits for its confirmation, and how many are kept. */
const PLAN_TTL_MS = 30 * 60_000;
const MAX_PLANS = 8;

const KEY_OF: Record<LogicalRoleId, RoleArnKey> = { TaskRole: 'taskRoleArn', ExecutionRole: 'executionRoleArn' };
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** Refusals of editRoleArns that `force` overrides (see EditRoleArnsOptions). */
const FORCEABLE = new Set(['DUPLICATE_KEY', 'ERB_VALUE', 'NOT_A_STRING', 'CONDITIONAL_KEY']);

interface KeptPlan {
  readonly plan: Plan;
  readonly adoptPlan?: Plan;
  readonly awsOptions: AwsOptions;
  readonly root: string;
  readonly createdAt: number;
}

const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function isAwsError(e: unknown): e is AwsOperationError {
  // By name, not instanceof: in the bundles the class lives in dist/aws.js.
  return e instanceof Error && e.name === 'AwsOperationError' && typeof (e as AwsOperationError).code === 'string';
}

function awsOptionsOf(settings: Settings): AwsOptions {
  return {
    ...(settings.aws.profile ? { profile: settings.aws.profile } : {}),
    ...(settings.aws.region ? { region: settings.aws.region } : {}),
    ...(settings.aws.endpoint ? { endpoint: settings.aws.endpoint } : {}),
  };
}

/** The project folder (the one holding `.ufo/`) of a file or folder URI. */
export function projectRootOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let p: string;
  try {
    p = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  try {
    if (fs.statSync(p).isDirectory()) return path.basename(p) === '.ufo' ? path.dirname(p) : findProjectRoot(p);
  } catch {
    // A file that is not on disk (yet): its path still says where the project is.
  }
  return findUfoRootOf(p);
}

function countsSummary(plan: Plan, words: (c: Plan['counts']) => string): PlanCountsSummary {
  const { total, add, change, remove, ...byKind } = plan.counts;
  return {
    total,
    add,
    change,
    remove,
    byKind,
    words: words(plan.counts),
    hasChanges: plan.hasChanges,
    canApply: plan.canApply,
    problems: [...plan.blockers.map((b) => b.message), ...plan.errors.map((e) => e.message)],
  };
}

export class ApplyFeature {
  private readonly plans = new Map<string, KeptPlan>();
  private applying = false;
  private readonly env: NodeJS.ProcessEnv;
  private readonly load: () => AwsModule;

  constructor(private readonly deps: ApplyFeatureDeps) {
    this.env = deps.env ?? process.env;
    this.load = deps.loadAws ?? loadAws;
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

  private prepare(root: string, settings: Settings, adopt = false): ProjectPlanInput {
    return planInputForProject(root, {
      ufoVersion: forcedVersion(settings),
      ...(settings.app ? { app: settings.app } : {}),
      ...(settings.env ? { env: settings.env } : {}),
      ...(settings.roleNameTemplate ? { template: settings.roleNameTemplate } : {}),
      processEnv: this.env,
      adopt,
    });
  }

  private keep(kept: KeptPlan): string {
    const now = Date.now();
    for (const [id, p] of this.plans) if (now - p.createdAt > PLAN_TTL_MS) this.plans.delete(id);
    while (this.plans.size >= MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
    const id = randomUUID();
    this.plans.set(id, kept);
    return id;
  }

  /** An AWS failure as a result; anything else is a bug and goes to the guard. */
  private awsErrorResult(e: unknown, session: AwsSession | undefined): { kind: 'error'; code: string; message: string; missingPermission?: string } {
    if (!isAwsError(e)) throw e;
    const message = session ? session.redact(e.message) : e.message;
    return { kind: 'error', code: e.code, message, ...(e.details.missingPermission ? { missingPermission: e.details.missingPermission } : {}) };
  }

  async plan(params: PlanRolesRequest.Params): Promise<PlanRolesRequest.Result> {
    const root = projectRootOf(params.uri);
    if (!root) return { kind: 'refused', code: 'NOT_A_PROJECT', message: 'This is not part of a UFO project (no .ufo folder above it).' };
    const unsaved = this.unsavedFiles(root);
    if (unsaved.length > 0) {
      const names = unsaved.map((u) => path.relative(root, fileURLToPath(u))).join(', ');
      return {
        kind: 'refused',
        code: 'UNSAVED',
        root,
        unsaved,
        message: `${names} ${unsaved.length === 1 ? 'has' : 'have'} unsaved changes. Plans are made from the saved role files, which is what UFO deploys: save first.`,
      };
    }
    const settings = await this.deps.settingsFor(params.uri);
    let prepared: ProjectPlanInput;
    try {
      prepared = this.prepare(root, settings);
    } catch (e) {
      return { kind: 'refused', code: 'NOT_A_PROJECT', root, message: errorText(e) };
    }
    const fileUri = (rel: string | undefined): string | undefined => (rel ? pathToFileURL(path.resolve(prepared.root, rel)).href : undefined);
    const { blockers } = prepared.input;
    if (blockers.length > 0) {
      const at = (b: (typeof blockers)[number]): string => (b.file ? `${b.file}${b.line ? `:${b.line}${b.column ? `:${b.column}` : ''}` : ''}: ` : '');
      return {
        kind: 'refused',
        code: 'BLOCKED',
        root: prepared.root,
        message:
          `Nothing can be applied until ${blockers.length === 1 ? 'this problem is' : `these ${blockers.length} problems are`} fixed:\n` +
          blockers.map((b) => `  - ${at(b)}${b.message} [${b.code}]`).join('\n'),
        blockers: blockers.map((b) => ({
          code: b.code,
          message: b.message,
          ...(b.file ? { fileUri: fileUri(b.file) } : {}),
          ...(b.line ? { line: b.line } : {}),
          ...(b.column ? { column: b.column } : {}),
        })),
      };
    }
    if (prepared.input.roles.length === 0) {
      return {
        kind: 'refused',
        code: 'NO_ROLES',
        root: prepared.root,
        message: 'This project builds no IAM roles: its role files make no iam_policy or managed_iam_policy calls (ufo-dsl.md §2.4).',
      };
    }

    const aws = this.load();
    const awsOptions = awsOptionsOf(settings);
    let session: AwsSession | undefined;
    try {
      session = await aws.openAwsSession(awsOptions);
      const plan = await aws.planRoles(prepared.input, session);
      // The adoption plan is made up front, so the confirmation can say exactly what "Adopt and Apply" does.
      const needsAdoption = plan.roles.some((r) => r.exists && !r.managed);
      const adoptPlan = needsAdoption ? await aws.planRoles({ ...prepared.input, adopt: true }, session) : undefined;
      const planId = this.keep({ plan, adoptPlan, awsOptions, root: prepared.root, createdAt: Date.now() });
      const adoptStepsOf = (r: RolePlan): string[] => (adoptPlan?.roles.find((a) => a.logicalId === r.logicalId)?.steps ?? r.blockedSteps).map((s) => s.description);
      this.deps.log(`plan ${planId} for ${prepared.root}: ${plan.counts.total} change(s)${adoptPlan ? `, ${adoptPlan.counts.total} with adoption` : ''}`);
      return {
        kind: 'plan',
        planId,
        root: prepared.root,
        ufoVersion: prepared.ufoVersion,
        ...(plan.account ? { account: plan.account } : {}),
        ...(plan.callerArn ? { callerArn: plan.callerArn } : {}),
        ...(plan.region ? { region: plan.region } : {}),
        ...(plan.endpoint ? { endpoint: plan.endpoint } : {}),
        roles: plan.roles.map((r) => ({
          logicalId: r.logicalId,
          roleName: r.roleName,
          status: r.status,
          ...(r.file ? { fileUri: fileUri(r.file) } : {}),
          ...(r.arn ? { arn: r.arn } : {}),
          exists: r.exists,
          managed: r.managed,
          live: r.diff.live,
          desired: r.diff.desired,
          steps: r.steps.map((s) => s.description),
          adoptSteps: r.status === 'blocked' || (r.exists && !r.managed) ? adoptStepsOf(r) : [],
        })),
        plan: countsSummary(plan, aws.describeCounts),
        ...(adoptPlan ? { adopt: countsSummary(adoptPlan, aws.describeCounts) } : {}),
        warnings: plan.warnings.map((w) => w.message),
        notes: prepared.notes,
        text: session.redact(aws.renderPlanText(plan)),
      };
    } catch (e) {
      return this.awsErrorResult(e, session);
    } finally {
      session?.close();
    }
  }

  async apply(params: ApplyRolesRequest.Params): Promise<ApplyRolesRequest.Result> {
    const none = { done: [], remaining: [], roles: [] };
    const kept = typeof params?.planId === 'string' ? this.plans.get(params.planId) : undefined;
    if (!kept || Date.now() - kept.createdAt > PLAN_TTL_MS) {
      if (kept) this.plans.delete(params.planId);
      return { status: 'expired', message: 'This plan is no longer known (it is too old, or the language server restarted). Plan again.', ...none };
    }
    if (this.applying) {
      return { status: 'refused', message: 'Another apply is running; wait for it to finish, then plan again.', ...none };
    }
    const plan = params.adopt === true && kept.adoptPlan ? kept.adoptPlan : kept.plan;
    const roles = plan.roles.map((r) => ({ logicalId: r.logicalId, roleName: r.roleName }));
    const where = { ...(plan.account ? { account: plan.account } : {}), ...(plan.region ? { region: plan.region } : {}) };
    const aws = this.load();
    let session: AwsSession | undefined;
    this.applying = true;
    try {
      session = await aws.openAwsSession(kept.awsOptions);
      const result = await aws.applyPlan(plan, session, {
        onProgress: (p) =>
          this.deps.sendProgress({ planId: params.planId, index: p.index, total: p.total, state: p.state, message: p.message }),
      });
      // A refused plan may still be confirmed with adoption; any other outcome needs a fresh plan.
      if (result.status !== 'refused') this.plans.delete(params.planId);
      this.deps.log(`apply ${params.planId}: ${result.status} (${result.done.length} done, ${result.remaining.length} remaining)`);
      const failed = result.failed;
      return {
        status: result.status,
        message: session.redact(result.message),
        done: result.done.map((s) => s.description),
        remaining: result.remaining.map((s) => s.description),
        ...(failed
          ? {
              failed: {
                step: failed.step.description,
                operation: failed.error.operation,
                code: failed.error.code,
                explanation: session.redact(failed.error.explanation),
                ...(failed.error.details.missingPermission ? { missingPermission: failed.error.details.missingPermission } : {}),
              },
            }
          : {}),
        roles,
        ...where,
      };
    } catch (e) {
      const err = this.awsErrorResult(e, session);
      return {
        status: 'error',
        message: `Nothing was applied: ${err.message}`,
        done: [],
        remaining: plan.steps.map((s) => s.description),
        roles,
        ...where,
      };
    } finally {
      this.applying = false;
      session?.close();
    }
  }

  async taskDefinitionArns(params: TaskDefinitionArnsRequest.Params): Promise<TaskDefinitionArnsRequest.Result> {
    const root = projectRootOf(params.uri);
    const refuse = (code: string, message: string, extra: { uri?: string; file?: string } = {}): TaskDefinitionArnsRequest.Result => ({
      kind: 'refused',
      code,
      message,
      canForce: FORCEABLE.has(code),
      ...extra,
    });
    if (!root) return refuse('NOT_A_PROJECT', 'This is not part of a UFO project (no .ufo folder above it).');
    const settings = await this.deps.settingsFor(params.uri);
    let prepared: ProjectPlanInput;
    try {
      prepared = this.prepare(root, settings);
    } catch (e) {
      return refuse('NOT_A_PROJECT', errorText(e));
    }

    // Which template: the one asked for, else the one UFO renders (v6), else v5's main.json.erb or the only one.
    let file: TaskDefinitionFile;
    if (params.file !== undefined) {
      const full = path.resolve(prepared.root, params.file);
      const rel = path.relative(prepared.root, full).split(path.sep).join('/');
      if (rel.startsWith('../') || path.isAbsolute(rel) || !fs.existsSync(full)) return refuse('NO_TEMPLATE', `${params.file} is not a file of this project.`);
      file = { path: rel, format: /\.ya?ml$/.test(rel) ? 'yaml' : 'json', status: 'used' };
    } else {
      const picked = pickTaskDefinitionFiles(prepared.ufoVersion, listUfoFiles(prepared.root), this.env.UFO_ROLE || 'web');
      if (picked.length === 0) {
        return refuse(
          'NO_TEMPLATE',
          prepared.ufoVersion === 6
            ? `No task definition found: UFO v6 reads .ufo/resources/task_definitions/{${this.env.UFO_ROLE || 'web'},web,default}.{json,yml}.`
            : 'No task definition found: UFO v5 reads .ufo/templates/<name>.json.erb.',
        );
      }
      if (prepared.ufoVersion === 6 || picked.length === 1 || /(^|\/)main\.json\.erb$/.test(picked[0].path)) file = picked[0];
      else {
        return {
          kind: 'choose',
          message: 'Several templates could be the task definition (.ufo/task_definitions.rb chooses one per task definition with `source`). Which one gets the ARNs?',
          candidates: picked.map((f) => f.path),
        };
      }
    }
    const full = path.join(prepared.root, file.path);
    const uri = pathToFileURL(full).href;

    const values: Record<string, string> = {};
    const notes: string[] = [];
    if (params.values && Object.values(params.values).some((v) => v !== undefined)) {
      for (const key of ['taskRoleArn', 'executionRoleArn'] as const) {
        const v = params.values[key];
        if (v === undefined) continue;
        if (typeof v !== 'string' || !ROLE_ARN.test(v)) return refuse('INVALID_ARN', `${key} must be an IAM role ARN like arn:aws:iam::123456789012:role/name.`);
        values[key] = v;
      }
    } else {
      // The live ARNs of the roles this project names.
      const aws = this.load();
      let session: AwsSession | undefined;
      try {
        session = await aws.openAwsSession(awsOptionsOf(settings));
        for (const logicalId of ['TaskRole', 'ExecutionRole'] as const) {
          const name = prepared.names.names[logicalId];
          if (!name.ok) {
            notes.push(`${KEY_OF[logicalId]} is left as it is: ${name.message}`);
            continue;
          }
          const live = await session.iam.getRole(name.name);
          if (live) values[KEY_OF[logicalId]] = live.arn;
          else notes.push(`Role ${name.name} does not exist in IAM (apply the roles first), so ${KEY_OF[logicalId]} is left as it is.`);
        }
      } catch (e) {
        return this.awsErrorResult(e, session);
      } finally {
        session?.close();
      }
      if (Object.keys(values).length === 0) {
        return refuse('NO_ROLES', `Neither role exists in IAM, so there is nothing to write. ${notes.join(' ')}`.trim());
      }
    }

    // UFO replaces the template's ARN by its own CloudFormation role whenever it builds one (ufo-dsl.md §3.3).
    for (const r of prepared.project.roles) {
      const key = KEY_OF[r.logicalId];
      if (values[key] === undefined) continue;
      notes.push(
        `UFO also builds ${r.logicalId} from ${path.relative(prepared.root, r.file)}, and then sets ${key} to that CloudFormation role ` +
          `instead of this ARN (ufo-dsl.md §3.3); empty that file if the task should use the ARN.`,
      );
    }

    const read = readProjectFile(prepared.root, file.path);
    if (!read.ok) return refuse('NO_TEMPLATE', `${file.path} is not read: ${read.reason}`);
    const text = stripBom(read.text);
    const result = editRoleArns(text, file.format, values, { force: params.force === true });
    if (!result.ok) return refuse(result.code, `${file.path}: ${result.reason}`, { uri, file: file.path });
    if (result.edits.length === 0) return { kind: 'unchanged', uri, file: file.path, values, notes };
    // Template edits are UTF-16 offsets; through byte spans they reach the one LSP converter.
    const index = new LineIndex(text);
    const edits = result.edits.map((e) =>
      toTextEdit(index, { span: { start: index.byteOfOffset(e.range.start), end: index.byteOfOffset(e.range.end) }, text: e.newText }),
    );
    return { kind: 'edit', uri, file: file.path, edit: { changes: { [uri]: edits } }, values, baseSha256: sha256(text), notes };
  }
}
