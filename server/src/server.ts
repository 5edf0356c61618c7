// The language server: connection, capabilities, document store, and an error boundary around every
// request. Features live in features/, one file each; this file only wires them.
// Run standalone: `node dist/server.js --stdio`.
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  RegistrationRequest,
  ResponseError,
  ErrorCodes,
  type InitializeResult,
  type Connection,
  type CancellationToken,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { compilePrismInBackground, getPrism, warmUpPrism } from './project/prismInstance';
import { setFlagsFromString } from 'node:v8';
import { tuneV8ForServer } from './v8Tuning';
import { Workspace } from './workspace';
import { DEFAULT_SETTINGS, normalizeSettings, parseApplyTarget, type Settings } from './settings';
import { computeFindings, provideDiagnostics } from './features/diagnostics';
import { provideDocumentSymbols } from './features/documentSymbols';
import { providePreview } from './features/preview';
import { provideCodeLenses } from './features/codeLens';
import { provideCodeActions } from './features/codeActions';
import { COMPLETION_TRIGGER_CHARACTERS, completionSupportOf, provideCompletion, resolveCompletion, warmUpCompletion } from './features/completion';
import { provideHover } from './features/hover';
import { provideStatus } from './features/status';
import { getIam, onIamReplaced } from './project/iamInstance';
import { restoreExtraCaCertsEnv } from './project/extraCaCerts';
import { provideUpdateData } from './features/updateData';
import { ApplyProgressNotification, ApplyRolesRequest, CanRequest, ConvertPolicyRequest, ExplainDeniedRequest, ImportRoleRequest, MoveRolesRequest, PermissionsRequest, PlanRolesRequest, PreviewRequest, ProjectChangedNotification, StatusRequest, TaskDefinitionArnsRequest, UpdateDataProgressNotification, UpdateDataRequest } from './lsp/protocol';
import { AwsRequests } from './features/awsContext';
import { PLAN_FAILED, providePlan } from './features/planRoles';
import { APPLY_FAILED, provideApply } from './features/applyRoles';
import { ARNS_FAILED, provideTaskDefinitionArns } from './features/taskDefinitionArns';
import { CONVERT_FAILED, IMPORT_FAILED, provideConvertPolicy, provideImportRole } from './features/convertPolicy';
import { checkOpenTemplate, provideTemplateCodeActions, provideTemplateDiagnostics, templateInputsKey } from './features/templates';
import { MOVE_FAILED, provideMoveRoles } from './features/moveRoles';
import { EXPLAIN_FAILED, provideExplainDenied } from './features/explainDenied';
import { CAN_FAILED, provideCan } from './features/can';
import { PERMISSIONS_FAILED, PermissionsRequests } from './features/permissions';

/** Ruby features (symbols, completion, hover, lenses) are for role files; other documents are task-definition templates. */
const isRuby = (doc: TextDocument | undefined): boolean => !!doc && (doc.languageId === 'ruby' || /\.rb$/i.test(doc.uri));

/**
 * Resolves once the messages already received have been handled: vscode-jsonrpc handles one message per setImmediate
 * turn, so two turns let the queue drain (a completion typed right after an edit goes before that edit's checks).
 */
function afterQueuedMessages(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export function startServer(connection: Connection, hooks: ServerHooks = {}): void {
  const documents = new TextDocuments(TextDocument);
  // Prism compiles on V8's background threads while the server starts; it is instantiated when the client has its
  // `initialize` answer (prepareFirstCheck), or by the first parse, whichever comes first.
  const prismCompiled = compilePrismInBackground();
  const workspace = new Workspace((source, options) => getPrism()(source, options));
  const settingsCache = new Map<string, Promise<Settings>>();
  let pullSettings = false;
  let completionSupport = completionSupportOf(undefined);
  const timers = new Map<string, NodeJS.Timeout>();

  const log = (msg: string) => connection.console.log(msg);
  const logError = (what: string, e: unknown) =>
    connection.console.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);

  /**
   * Runs a handler. Malformed params are answered with an InvalidParams error; a throw is a bug:
   * logged, and the request gets an empty result rather than an error popup.
   */
  function guard<P, R>(name: string, fallback: R, fn: (params: P, token?: CancellationToken) => R | Promise<R>): (params: P, token?: CancellationToken) => Promise<R> {
    return async (params: P, token?: CancellationToken) => {
      const problem = paramsProblem(name, params);
      if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `${name}: ${problem}`);
      try {
        return await fn(params, token);
      } catch (e) {
        logError(`${name} failed`, e);
        return fallback;
      }
    };
  }

  function settingsFor(uri: string): Promise<Settings> {
    if (!pullSettings) return Promise.resolve(DEFAULT_SETTINGS);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'ufoIam' })
        .then(normalizeSettings, () => DEFAULT_SETTINGS);
      settingsCache.set(uri, s);
    }
    return s;
  }

  /**
   * Per project root, what its open templates' findings were last checked against (features/templates.ts,
   * templateInputsKey). Forgotten when a document opens or closes and when settings or files change, so a template is
   * never left checked against roles that have changed since.
   */
  const templateInputs = new Map<string, string>();
  /** Whether completion was prepared (once, after the first role file's diagnostics). */
  let warmedUp = false;
  let afterWarmUp = hooks.afterWarmUp;

  /** Checks the current text of a document and publishes the diagnostics, labelled with the version checked. */
  async function publish(uri: string): Promise<void> {
    try {
      const pending = settingsFor(uri);
      // A document's first check waits for its settings from the client: its parse, which does not depend on them,
      // runs meanwhile (the analysis is kept for the version read below, when it is still this one).
      const early = documents.get(uri);
      if (early && isRuby(early)) workspace.analyze(early);
      const settings = await pending;
      const doc = documents.get(uri);
      if (!doc) return; // closed meanwhile
      // TextDocuments updates a document in place: the version checked is the one read here.
      const version = doc.version;
      if (!isRuby(doc)) {
        const check = checkOpenTemplate(workspace, documents, doc, settings);
        await connection.sendDiagnostics({ uri, version, diagnostics: check ? provideTemplateDiagnostics(check) : [] });
        return;
      }
      const ctx = workspace.contextOf(uri, settings);
      // Parse, checks, conversion: between the steps, requests received meanwhile (a completion typed right after the
      // edit) are answered first, and a newer version of the text ends this run (its own run is scheduled).
      const analysis = workspace.analyze(doc);
      if (!(await stillCurrent(doc, version))) return;
      computeFindings(analysis, ctx, settings); // cached per analysis: provideDiagnostics reuses it
      if (!(await stillCurrent(doc, version))) return;
      const diagnostics = provideDiagnostics(analysis, ctx, settings);
      await connection.sendDiagnostics({ uri, version, diagnostics });
      if (!warmedUp) {
        // The first file's diagnostics are out: prepare completion now, before the user's first keystroke in it
        // (a timer after start-up fired either too early, delaying the first diagnostics, or too late).
        warmedUp = true;
        setImmediate(() => {
          try {
            warmUpCompletion(getIam(), completionSupport, analysis.model);
          } catch (e) {
            logError('completion warm-up failed', e);
          }
          if (afterWarmUp) {
            const hook = afterWarmUp;
            afterWarmUp = undefined;
            setImmediate(() => {
              try {
                hook();
              } catch (e) {
                logError('after warm-up', e);
              }
            });
          }
        });
      }
      if (ctx.project) await connection.sendNotification(ProjectChangedNotification.method, { root: ctx.project.root });
      // What a role file builds decides the templates' findings: re-check the open ones when that changed.
      if (ctx.project && documents.all().some((d) => !isRuby(d))) {
        const key = templateInputsKey(workspace, documents, ctx.project);
        if (templateInputs.get(ctx.project.root) !== key) {
          templateInputs.set(ctx.project.root, key);
          for (const d of documents.all()) if (!isRuby(d)) schedule(d);
        }
      }
    } catch (e) {
      logError(`diagnostics for ${uri} failed`, e);
    }
  }

  /** After the messages already received have been handled: whether the document is still open (not reopened) at `version`. */
  async function stillCurrent(doc: TextDocument, version: number): Promise<boolean> {
    await afterQueuedMessages();
    const now = documents.get(doc.uri);
    return now === doc && now.version === version;
  }

  /**
   * Debounced by cost: an opened file, a small one and an edit inside one call or comment or among the top-level
   * statements (which re-parses that call or those statements alone, or nothing, core/incremental.ts) are checked at
   * once; other edits of large files after typing pauses.
   */
  function schedule(doc: TextDocument, typing = true): void {
    const prev = timers.get(doc.uri);
    if (prev) clearTimeout(prev);
    const delay = !typing || doc.lineCount <= 500 ? (typing ? 2 : 0) : isRuby(doc) && workspace.editStaysInOnePart(doc) ? 0 : doc.lineCount > 2000 ? 75 : 25;
    timers.set(
      doc.uri,
      setTimeout(() => {
        timers.delete(doc.uri);
        void afterQueuedMessages().then(() => publish(doc.uri));
      }, delay),
    );
  }

  /**
   * What every first check needs, prepared while the client handles the `initialize` answer (an editor registers its
   * features and opens its documents meanwhile): the IAM index, then Prism's instance, with a first parse that
   * compiles the parser's code a role file needs. A check that comes sooner prepares what is still missing itself.
   */
  async function prepareFirstCheck(): Promise<void> {
    try {
      getIam();
      await prismCompiled;
      warmUpPrism();
    } catch (e) {
      logError('preparing the first check failed', e);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    pullSettings = !!params.capabilities.workspace?.configuration;
    completionSupport = completionSupportOf(params.capabilities);
    setImmediate(() => void prepareFirstCheck());
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
        completionProvider: { triggerCharacters: COMPLETION_TRIGGER_CHARACTERS, resolveProvider: true },
        hoverProvider: true,
      },
      serverInfo: { name: 'ufo-iam', version: typeof __UFO_IAM_VERSION__ === 'string' ? __UFO_IAM_VERSION__ : 'dev' },
    };
  });

  connection.onInitialized(() => {
    // The registration request itself, with a fixed id (the one registration, never withdrawn): the library's
    // `client.register` makes a random UUID, and loading node:crypto for it cost about 4 ms of every start.
    if (pullSettings) {
      void connection
        .sendRequest(RegistrationRequest.type, { registrations: [{ id: 'ufo-iam.didChangeConfiguration', method: DidChangeConfigurationNotification.method }] })
        .catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    templateInputs.clear();
    workspace.invalidateProjects();
    for (const d of documents.all()) schedule(d);
  });

  connection.onDidChangeWatchedFiles(() => {
    workspace.invalidateProjects();
    templateInputs.clear();
    for (const d of documents.all()) schedule(d);
  });

  // TextDocuments fires onDidChangeContent right after onDidOpen: an opened document is checked without the delay.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    templateInputs.clear();
  });
  documents.onDidChangeContent((e) => schedule(e.document, !justOpened.delete(e.document.uri)));
  documents.onDidClose((e) => {
    templateInputs.clear();
    const t = timers.get(e.document.uri);
    if (t) clearTimeout(t);
    timers.delete(e.document.uri);
    workspace.forget(e.document.uri);
    settingsCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDocumentSymbol(
    guard('documentSymbol', [], async (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc || !isRuby(doc)) return [];
      const ctx = workspace.contextOf(doc.uri, await settingsFor(doc.uri));
      return provideDocumentSymbols(workspace.analyze(doc), ctx.roleType);
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], async (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const settings = await settingsFor(doc.uri);
      if (!isRuby(doc)) {
        const check = checkOpenTemplate(workspace, documents, doc, settings);
        return check ? provideTemplateCodeActions(doc.uri, check, params.range, params.context.only) : [];
      }
      return provideCodeActions(doc.uri, workspace.analyze(doc), workspace.contextOf(doc.uri, settings), settings, params.range, params.context);
    }),
  );

  connection.onCompletion(
    guard('completion', null, (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc || !isRuby(doc)) return null;
      // No Prism parse on the keystroke's path: completion reads the text around the cursor itself.
      return provideCompletion(workspace.indexed(doc), params.position, getIam(), completionSupport, params.context?.triggerCharacter);
    }),
  );

  connection.onCompletionResolve((item) => guard('completionItem/resolve', item, (i: typeof item) => resolveCompletion(i, getIam()))(item));

  connection.onHover(
    guard('hover', null, (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc || !isRuby(doc)) return null;
      return provideHover(workspace.analyze(doc), params.position, getIam());
    }),
  );

  connection.onCodeLens(
    guard('codeLens', [], async (params) => !isRuby(documents.get(params.textDocument.uri)) ? [] : provideCodeLenses(params.textDocument.uri, workspace.contextOf(params.textDocument.uri, await settingsFor(params.textDocument.uri)))),
  );

  connection.onRequest(
    PreviewRequest.method,
    guard<PreviewRequest.Params, PreviewRequest.Result>('preview', { text: '// The preview failed; see the UFO IAM output channel.\n{}\n', partial: false, errors: 1 }, async (params) =>
      providePreview(workspace, documents, params.uri, await settingsFor(params.uri)),
    ),
  );

  connection.onRequest(
    StatusRequest.method,
    guard<StatusRequest.Params, StatusRequest.Result>('status', { counts: { error: 0, warning: 0, information: 0, hint: 0 } }, async (params) => {
      const doc = documents.get(params.textDocument.uri);
      const settings = await settingsFor(params.textDocument.uri);
      return provideStatus(doc && isRuby(doc) ? workspace.analyze(doc) : undefined, workspace.contextOf(params.textDocument.uri, settings), settings);
    }),
  );

  // Plan, apply and task-definition ARNs: the AWS SDK loads on the first plan, never at start.
  const aws = new AwsRequests({
    documents,
    settingsFor,
    projectAt: (root, settings) => workspace.projectAt(root, settings),
    analysisOf: (root, rel, text) => workspace.analysisOf(root, rel, text),
    sendProgress: (p) => void connection.sendNotification(ApplyProgressNotification.method, p).catch(() => undefined),
    log,
  });
  connection.onRequest(
    PlanRolesRequest.method,
    guard<PlanRolesRequest.Params, PlanRolesRequest.Result>('planRoles', PLAN_FAILED, (params) => providePlan(aws, params)),
  );
  connection.onRequest(
    ApplyRolesRequest.method,
    guard<ApplyRolesRequest.Params, ApplyRolesRequest.Result>('applyRoles', APPLY_FAILED, (params) => provideApply(aws, params)),
  );
  connection.onRequest(
    TaskDefinitionArnsRequest.method,
    guard<TaskDefinitionArnsRequest.Params, TaskDefinitionArnsRequest.Result>('taskDefinitionArns', ARNS_FAILED, (params) =>
      provideTaskDefinitionArns(aws, params),
    ),
  );

  connection.onRequest(
    ConvertPolicyRequest.method,
    guard<ConvertPolicyRequest.Params, ConvertPolicyRequest.Result>('convertPolicy', CONVERT_FAILED, async (params) =>
      provideConvertPolicy(workspace, documents, await settingsFor(params.uri), params),
    ),
  );
  connection.onRequest(
    ImportRoleRequest.method,
    guard<ImportRoleRequest.Params, ImportRoleRequest.Result>('importRole', IMPORT_FAILED, (params) => provideImportRole(aws, params)),
  );
  connection.onRequest(
    MoveRolesRequest.method,
    guard<MoveRolesRequest.Params, MoveRolesRequest.Result>('moveRoles', MOVE_FAILED, (params) => provideMoveRoles(aws, params)),
  );
  connection.onRequest(
    ExplainDeniedRequest.method,
    guard<ExplainDeniedRequest.Params, ExplainDeniedRequest.Result>('explainDenied', EXPLAIN_FAILED, (params) => provideExplainDenied(aws, documents, params)),
  );
  connection.onRequest(
    CanRequest.method,
    guard<CanRequest.Params, CanRequest.Result>('can', CAN_FAILED, (params) => provideCan(aws, documents, params)),
  );
  // The Explorer's permissions tree: computed in steps between the other requests, cancelled by the client's next refresh.
  const permissions = new PermissionsRequests({ requests: aws, documents, afterQueuedMessages });
  connection.onRequest(
    PermissionsRequest.method,
    guard<PermissionsRequest.Params, PermissionsRequest.Result>('permissions', PERMISSIONS_FAILED, (params, token) => permissions.provide(params, token)),
  );

  // New IAM data (this server's update, or one another process stored): check the open documents again with it.
  const afterIamSwitch = () => {
    for (const d of documents.all()) schedule(d, false);
    // Completion is prepared again with the new data after the next check (see publish).
    warmedUp = false;
  };
  onIamReplaced(afterIamSwitch);
  connection.onRequest(
    UpdateDataRequest.method,
    guard<UpdateDataRequest.Params, UpdateDataRequest.Result>('updateData', { ok: false, reason: 'the update failed; see the UFO IAM output channel', lines: ['The update failed; see the UFO IAM output channel.'], dataText: '' }, (params) =>
      provideUpdateData(params ?? {}, {
        onProgress: (done, total) => void connection.sendNotification(UpdateDataProgressNotification.method, { done, total }).catch(() => undefined),
        afterSwitch: afterIamSwitch,
      }),
    ),
  );

  documents.listen(connection);
  connection.listen();
  log(`ufo-iam language server started (node ${process.version}${hooks.codeCache ? `; code cache: ${hooks.codeCache}` : ''})`);
}

declare const __UFO_IAM_VERSION__: string | undefined;

/** Which params each request needs, by the name its handler is guarded under. */
const REQUIRED_PARAMS: Record<string, readonly ('textDocument' | 'position' | 'range' | 'uri')[]> = {
  completion: ['textDocument', 'position'],
  hover: ['textDocument', 'position'],
  codeAction: ['textDocument', 'range'],
  documentSymbol: ['textDocument'],
  codeLens: ['textDocument'],
  status: ['textDocument'],
  preview: ['uri'],
  planRoles: ['uri'],
  taskDefinitionArns: ['uri'],
  convertPolicy: ['uri'],
  importRole: ['uri'],
  moveRoles: ['uri'],
  explainDenied: ['uri'],
  can: ['uri'],
  permissions: ['uri'],
};

function isPosition(p: unknown): boolean {
  const x = p as { line?: unknown; character?: unknown } | null;
  return !!x && typeof x === 'object' && Number.isInteger(x.line) && Number.isInteger(x.character) && (x.line as number) >= 0 && (x.character as number) >= 0;
}

/** What is wrong with a request's params, or undefined when they have the shape the handler needs. */
export function paramsProblem(name: string, params: unknown): string | undefined {
  const required = REQUIRED_PARAMS[name];
  if (!required) return undefined;
  if (!params || typeof params !== 'object' || Array.isArray(params)) return 'params must be an object';
  const p = params as Record<string, any>;
  for (const r of required) {
    if (r === 'textDocument' && (!p.textDocument || typeof p.textDocument !== 'object' || typeof p.textDocument.uri !== 'string')) return 'textDocument.uri must be a string';
    if (r === 'uri' && typeof p.uri !== 'string') return 'uri must be a string';
    if (r === 'position' && !isPosition(p.position)) return 'position must have non-negative integer line and character';
    if (r === 'range' && (!p.range || !isPosition(p.range.start) || !isPosition(p.range.end))) return 'range must have valid start and end positions';
  }
  if (p.target !== undefined && !parseApplyTarget(p.target)) return 'target must be "stack" or "precreated"';
  return undefined;
}

export interface ServerHooks {
  /** Called once, after the first role file's diagnostics are out and completion is prepared (launch.ts stores the code cache then). */
  readonly afterWarmUp?: () => void;
  /** What launch.ts found of the code cache (`used`, `missing`, `stale`, ...), for the start-up log line. */
  readonly codeCache?: string;
}

/** Starts the server on the transport of the command line (`--stdio`, `--node-ipc`, ...): what dist/server.js runs. */
export function runServer(hooks: ServerHooks = {}): void {
  // The client forwards NODE_EXTRA_CA_CERTS instead of letting Node load it at this process's start; git and the
  // other processes the server starts get it back (project/extraCaCerts.ts).
  restoreExtraCaCertsEnv();
  process.on('uncaughtException', (e) => {
    process.stderr.write(`ufo-iam server: uncaught exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  });
  process.on('unhandledRejection', (e) => {
    process.stderr.write(`ufo-iam server: unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  });
  // Already set by launch.ts when it started this process; set here too when the bundle is run on its own.
  tuneV8ForServer(setFlagsFromString, process.execArgv);
  startServer(createConnection(ProposedFeatures.all), hooks);
}

// `node dist/serverMain.js --stdio` runs the server without the launcher (and without its code cache).
if (require.main === module) runServer();
