// `ufoIam/permissions`: the data of the Explorer's effective-permissions tree (docs/evaluation.md, "In the editor: the
// permissions tree"). The same answer as `ufo-iam permissions --format json`: the roles of project/projectStatements.ts
// (from the open editors' text where a role file is open, as features/can.ts reads them) and the core's effective
// permissions, grouped role → service → access level → action, each source with the CLI's label and, for an inline
// statement, its file's URI and range so that a click opens it.
//
// A role with large managed policies (ReadOnlyAccess reaches thousands of actions) takes a while, and the tree refreshes
// as the user types: the computation runs in steps (`effectivePermissionsSteps`), answering the requests received
// meanwhile between steps (a completion typed now goes first), gives up when the client cancels the request or a role
// file of the project changes (a newer request follows), and keeps the last answer per project, keyed by the compiled
// roles, so an edit that changes no role (a comment, a blank line) costs one compile.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CancellationToken, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { effectivePermissionsSteps, NOT_CONSIDERED, RAISING_CODES, toCompactJson, type EffectiveAction, type EffectivePermissions, type EvalStatement, type LogicalId } from '../core';
import { toRange } from '../lsp/convert';
import type { PermissionsRequest } from '../lsp/protocol';
import type { CompiledProject } from '../project/compileProject';
import { getIam } from '../project/iamInstance';
import { projectStatements, statementLabel, type RoleStatementsOfProject } from '../project/projectStatements';
import type { AwsRequests } from './awsContext';
import { openTextsReader } from './openTexts';

export const PERMISSIONS_FAILED: PermissionsRequest.Result = { kind: 'refused', code: 'INTERNAL_ERROR', message: 'Listing the effective permissions failed unexpectedly; see the UFO IAM output channel.' };

/** The same sentence as the CLI's `unknownRole` (cli/permissions.ts), the file relative to the project root. */
const unknownRoleText = (logicalId: LogicalId, file: string) => `${logicalId}: ${file} registers its policies only through deploy-time code: its permissions are unknown.`;
const SPLAT_REASON = 'an iam_policy call whose arguments a splat supplies: only deploy time knows its statements';

interface CachedRole {
  readonly statements: readonly EvalStatement[];
  readonly permissions: EffectivePermissions;
}

export interface PermissionsDeps {
  readonly requests: AwsRequests;
  readonly documents: TextDocuments<TextDocument>;
  /** Resolves once the messages already received have been handled (server.ts's `afterQueuedMessages`). */
  readonly afterQueuedMessages: () => Promise<void>;
}

export class PermissionsRequests {
  /** Per project root: the last answer, keyed by the compiled roles it was computed from. */
  private readonly cache = new Map<string, { key: string; roles: Map<LogicalId, CachedRole> }>();

  constructor(private readonly deps: PermissionsDeps) {}

  async provide(params: PermissionsRequest.Params, token?: CancellationToken): Promise<PermissionsRequest.Result> {
    const opened = await this.deps.requests.projectOf(params.uri);
    if (!opened) return { kind: 'refused', code: 'NOT_A_PROJECT', message: 'This is not part of a UFO project (no .ufo folder above it).' };
    const { project } = opened;
    const root = project.root;
    const { documents } = this.deps;
    // What the answer was computed from: the open role files of the project and their versions.
    const ufoPrefix = pathToFileURL(path.join(root, '.ufo')).href + '/';
    const fingerprint = () =>
      documents
        .all()
        .filter((d) => d.uri.startsWith(ufoPrefix) && /\.rb$/i.test(d.uri))
        .map((d) => `${d.uri}@${d.version}`)
        .sort()
        .join('\n');
    const before = fingerprint();
    const { unsaved, ...reader } = openTextsReader(this.deps.requests, documents, root);
    const statements = projectStatements(project, reader);
    const compiled = statements.project;
    const raising = compiled.problems.filter((p) => RAISING_CODES.has(p.code));
    if (raising.length > 0) {
      return {
        kind: 'refused',
        code: 'BUILD_FAILS',
        message: 'UFO would fail to build the roles, so there is nothing to evaluate.',
        problems: raising.map((p) => ({ file: path.relative(root, p.file) || p.file, uri: pathToFileURL(path.resolve(root, p.file)).href, line: p.line, column: p.column, code: p.code, message: p.message })),
      };
    }
    if (statements.roles.length === 0 && compiled.unknownRoles.length === 0) {
      const where = statements.source === 'precreated' ? 'the pre-created folder' : "UFO's role files";
      return { kind: 'refused', code: 'NO_ROLE', message: `The project builds no role (from ${where}).` };
    }

    const iam = getIam();
    const key = cacheKey(statements.source, compiled, statements.roles);
    const cached = this.cache.get(root);
    const computed = new Map<LogicalId, CachedRole>();
    for (const r of statements.roles) {
      const hit = cached?.key === key ? cached.roles.get(r.logicalId) : undefined;
      if (hit && hit.statements.length === r.statements.length) {
        computed.set(r.logicalId, { statements: r.statements, permissions: rebind(hit, r.statements) });
        continue;
      }
      const steps = effectivePermissionsSteps(r.statements, iam);
      let next = steps.next();
      while (!next.done) {
        await this.deps.afterQueuedMessages();
        if (token?.isCancellationRequested || fingerprint() !== before) return { kind: 'stale' };
        next = steps.next();
      }
      computed.set(r.logicalId, { statements: r.statements, permissions: next.value });
    }
    this.cache.set(root, { key, roles: computed });

    const relFile = (file: string) => path.relative(root, file) || file;
    const sourceOf = (r: RoleStatementsOfProject, s: EvalStatement): PermissionsRequest.Source => {
      const src = s.source;
      const label = statementLabel(compiled, r, s, root);
      if (src.kind === 'inline') {
        const analysis = compiled.analyses[r.roleType]?.analysis;
        return {
          kind: 'inline',
          label,
          uri: pathToFileURL(r.file).href,
          ...(src.span && analysis ? { range: toRange(analysis.lineIndex, src.span) } : {}),
          policyName: src.policyName,
          ...(src.sid !== undefined ? { sid: src.sid } : {}),
        };
      }
      if (src.kind === 'managed') return { kind: 'managed', label, policyName: src.policyName, arn: src.arn, ...(src.sid !== undefined ? { sid: src.sid } : {}) };
      return { kind: 'unknownDocument', label, arn: src.arn };
    };
    // An overview counts the actions of each level and lists none (the view asks per service when one is expanded).
    // So does a full answer that would carry more than MAX_LISTED_CHARS of actions: writing tens of megabytes holds the
    // server's thread for seconds (a role that allows every action, each with a long resource, is 50 MB).
    const overview = !params.service && (params.overview === true || listedChars(computed) > MAX_LISTED_CHARS);
    const grouped = (r: RoleStatementsOfProject, list: readonly EffectiveAction[]): PermissionsRequest.Service[] => {
      const services = new Map<string, Map<string, { count: number; actions: PermissionsRequest.Action[] }>>();
      for (const a of list) {
        let levels = services.get(a.service);
        if (!levels) services.set(a.service, (levels = new Map()));
        let level = levels.get(a.accessLevel);
        if (!level) levels.set(a.accessLevel, (level = { count: 0, actions: [] }));
        level.count++;
        if (!overview) level.actions.push({ action: a.action, resources: a.resources, conditional: a.conditional, sources: a.statements.map((s) => sourceOf(r, s)) });
      }
      return [...services].map(([service, levels]) => ({
        service,
        name: iam.findService(service)?.name ?? service,
        levels: [...levels].map(([accessLevel, { count, actions }]) => ({ accessLevel, count, actions })),
      }));
    };
    if (params.service) {
      const { role, denied, service } = params.service;
      const r = statements.roles.find((x) => x.logicalId === role);
      const p = r ? computed.get(r.logicalId)?.permissions : undefined;
      const list = p ? (denied ? p.denied : p.allowed).filter((a) => a.service === service) : [];
      return { kind: 'service', service: (r && grouped(r, list)[0]) || { service, name: iam.findService(service)?.name ?? service, levels: [] } };
    }
    const roles: PermissionsRequest.Role[] = statements.roles.map((r) => {
      const p = computed.get(r.logicalId)!.permissions;
      return {
        logicalId: r.logicalId,
        file: relFile(r.file),
        fileUri: pathToFileURL(r.file).href,
        allowed: grouped(r, p.allowed),
        denied: grouped(r, p.denied),
        unknownDocuments: p.unknown.map((s): PermissionsRequest.UnknownDocument => {
          const src = s.source;
          if (src.kind === 'unknownDocument') return { label: src.arn, arn: src.arn, reason: src.reason };
          const at = sourceOf(r, s);
          return { label: at.label, reason: SPLAT_REASON, ...(at.uri ? { uri: at.uri } : {}), ...(at.range ? { range: at.range } : {}) };
        }),
        counts: {
          allowed: p.allowed.length,
          conditional: p.allowed.filter((a) => a.conditional).length,
          denied: p.denied.length,
          services: new Set(p.allowed.map((a) => a.service)).size,
        },
      };
    });
    for (const u of compiled.unknownRoles) {
      roles.push({
        logicalId: u.logicalId,
        file: relFile(u.file),
        fileUri: pathToFileURL(u.file).href,
        allowed: [],
        denied: [],
        unknownDocuments: [],
        counts: { allowed: 0, conditional: 0, denied: 0, services: 0 },
        unknownRole: unknownRoleText(u.logicalId, relFile(u.file)),
      });
    }
    return {
      kind: 'permissions',
      root,
      source: statements.source,
      roles,
      notConsidered: NOT_CONSIDERED,
      dataDate: iam.provenance.dataDate,
      managedPoliciesDate: iam.provenance.managedPoliciesDate,
      unsaved: [...unsaved].sort(),
      ...(overview ? { overview: true as const } : {}),
    };
  }
}

/**
 * What the effective permissions depend on: which role files, each role's compiled resource (its inline statements and
 * attached ARNs, exactly as UFO builds them) and whether each statement is certain (a call inside an `if` is not). The
 * statements' places are not part of it: an answer is re-bound to the new statements by their order.
 */
function cacheKey(source: string, project: CompiledProject, roles: readonly RoleStatementsOfProject[]): string {
  return JSON.stringify([
    source,
    roles.map((r) => {
      const compiled = project.roles.find((c) => c.logicalId === r.logicalId);
      return [r.logicalId, r.file, compiled ? toCompactJson(compiled.resource) : null, r.statements.map((s) => s.certain)];
    }),
    project.unknownRoles.map((u) => [u.logicalId, u.file]),
  ]);
}

/** A cached answer with each statement replaced by the statement at the same position of the role's new statements (same roles, new spans). */
function rebind(hit: CachedRole, statements: readonly EvalStatement[]): EffectivePermissions {
  const position = new Map(hit.statements.map((s, i) => [s, i]));
  const map = (s: EvalStatement) => statements[position.get(s)!] ?? s;
  const actions = (list: readonly EffectiveAction[]) => list.map((a) => ({ ...a, statements: a.statements.map(map) }));
  return { allowed: actions(hit.permissions.allowed), denied: actions(hit.permissions.denied), unknown: hit.permissions.unknown.map(map) };
}

/** The most a full answer lists, in characters of its actions' names and resources (about as many bytes of JSON). */
export const MAX_LISTED_CHARS = 8_000_000;

/**
 * About how many characters the actions of a full answer would carry: names, resources, and a source per statement
 * with the text the user wrote in it (a policy name and a Sid, which IAM limits but a role file being typed does not:
 * a 6,000-character name on each of 22,000 actions was 146 MB, fuzz seed 1311345277).
 */
function listedChars(computed: ReadonlyMap<LogicalId, CachedRole>): number {
  let n = 0;
  const sourceChars = new Map<EvalStatement, number>();
  const charsOf = (s: EvalStatement): number => {
    let c = sourceChars.get(s);
    if (c === undefined) {
      const src = s.source;
      c = 200 + ('policyName' in src ? src.policyName.length : 0) + (src.kind !== 'unknownDocument' ? (src.sid?.length ?? 0) : 0) + ('arn' in src ? src.arn.length : 0);
      sourceChars.set(s, c);
    }
    return c;
  };
  for (const { permissions } of computed.values()) {
    for (const list of [permissions.allowed, permissions.denied]) {
      for (const a of list) {
        n += a.action.length;
        for (const s of a.statements) n += charsOf(s);
        for (const r of a.resources) n += r.length;
      }
    }
  }
  return n;
}
