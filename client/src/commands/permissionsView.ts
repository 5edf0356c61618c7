// The Explorer's "UFO IAM Permissions" view (`ufoIam.permissions`): role → service → access level → action → source,
// the effective permissions that `ufo-iam permissions` lists, as the server computed them (`ufoIam/permissions`, from
// the open editors' text); a click on a source opens its role file with the statement selected (docs/evaluation.md).
// The view follows the edits: a role file's change, a file event under `.ufo/` or a settings change refreshes it
// after typing pauses (300 ms), cancelling the request still running; while the view is hidden nothing is asked and
// the next showing refreshes. Not `ufoIam/projectChanged`: a client has one handler per notification, and the
// preview owns that one. Read-only and offline: it works in Restricted Mode.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PermissionsRequest } from '../../../server/src/lsp/protocol';

export const PERMISSIONS_VIEW = 'ufoIam.permissions';
export const REFRESH_PERMISSIONS_COMMAND = 'ufoIam.refreshPermissions';
export const OPEN_PERMISSION_SOURCE_COMMAND = 'ufoIam.openPermissionSource';
/** The context key of the view's `when`: the workspace has a role file. */
const HAS_ROLE_FILES = 'ufoIam.hasRoleFiles';
const REFRESH_DELAY_MS = 300;

/** Codicons per access level (the IAM data's five); another level gets the generic one. */
const LEVEL_ICONS: Readonly<Record<string, string>> = { List: 'list-unordered', Read: 'eye', Write: 'edit', 'Permissions management': 'key', Tagging: 'tag' };

export type PermissionsNode =
  | { readonly kind: 'message'; readonly text: string; readonly detail?: string; readonly uri?: string; readonly range?: PermissionsRequest.Source['range'] }
  | { readonly kind: 'role'; readonly role: PermissionsRequest.Role }
  | { readonly kind: 'group'; readonly label: string; readonly role: PermissionsRequest.Role; readonly denied: boolean }
  | { readonly kind: 'service'; readonly service: PermissionsRequest.Service; readonly role: PermissionsRequest.ServiceQuery['role']; readonly denied: boolean }
  | { readonly kind: 'level'; readonly level: PermissionsRequest.Level; readonly denied: boolean }
  | { readonly kind: 'action'; readonly action: PermissionsRequest.Action; readonly accessLevel: string; readonly denied: boolean }
  | { readonly kind: 'source'; readonly source: PermissionsRequest.Source };

/** What the refresh command returns (tests, other commands): the server's answer and the view's top rows. */
export interface PermissionsOutcome {
  /** shown, noProject, failed. */
  readonly status: string;
  readonly result?: PermissionsRequest.Result;
  readonly rows: readonly string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const count = (levels: readonly PermissionsRequest.Level[]) => levels.reduce((n, l) => n + l.count, 0);

/** What the tree shows on top: the overview (the roles, their services and the levels' counts), or a refusal. */
type Shown = Exclude<PermissionsRequest.Result, { kind: 'service' }>;

/** Asks the server for one service's actions of the answer shown (`ufoIam/permissions` with `service`). */
export type ServiceFetcher = (query: PermissionsRequest.ServiceQuery) => Promise<PermissionsRequest.Service | undefined>;

export class PermissionsTree implements vscode.TreeDataProvider<PermissionsNode> {
  private readonly changed = new vscode.EventEmitter<PermissionsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The last answer shown (an overview: each level's count, no actions), and the project it is for. */
  result: Shown | undefined;
  project: vscode.Uri | undefined;
  /** Set when no UFO project is found (the message row). */
  noProject = false;
  /** The services expanded since the answer was shown, with their actions. */
  private readonly details = new Map<string, Promise<PermissionsRequest.Service | undefined>>();

  constructor(private readonly fetchService: ServiceFetcher) {}

  show(project: vscode.Uri | undefined, result: Shown | undefined): void {
    this.project = project;
    this.result = result;
    this.noProject = !project;
    this.details.clear();
    this.changed.fire(undefined);
  }

  /** A service's levels with their actions, asked for once per answer shown when the service is first expanded. */
  private levelsOf(node: Extract<PermissionsNode, { kind: 'service' }>): Promise<PermissionsNode[]> | PermissionsNode[] {
    const s = node.service;
    const rows = (levels: readonly PermissionsRequest.Level[]): PermissionsNode[] => levels.map((level) => ({ kind: 'level', level, denied: node.denied }));
    if (s.levels.every((l) => l.actions.length === l.count)) return rows(s.levels);
    const key = JSON.stringify([node.role, node.denied, s.service]);
    let detail = this.details.get(key);
    if (!detail) this.details.set(key, (detail = this.fetchService({ role: node.role, denied: node.denied, service: s.service })));
    return detail.then((d) => (d ? rows(d.levels) : [{ kind: 'message', text: 'The permissions changed meanwhile: refreshing…' }]));
  }

  getChildren(node?: PermissionsNode): PermissionsNode[] | Promise<PermissionsNode[]> {
    if (!node) return this.topRows();
    switch (node.kind) {
      case 'role': {
        const r = node.role;
        if (r.unknownRole) return [{ kind: 'message', text: r.unknownRole }];
        const rows: PermissionsNode[] = r.allowed.map((service) => ({ kind: 'service', service, role: r.logicalId, denied: false }));
        if (r.allowed.length === 0) rows.push({ kind: 'message', text: 'No action allowed.' });
        if (r.denied.length > 0) rows.push({ kind: 'group', label: 'Explicitly denied', role: r, denied: true });
        if (r.unknownDocuments.length > 0) rows.push({ kind: 'group', label: 'Not evaluated (document unknown)', role: r, denied: false });
        return rows;
      }
      case 'group':
        return node.denied
          ? node.role.denied.map((service) => ({ kind: 'service', service, role: node.role.logicalId, denied: true }))
          : node.role.unknownDocuments.map((u) => ({ kind: 'message', text: u.label, detail: u.reason, ...(u.uri ? { uri: u.uri } : {}), ...(u.range ? { range: u.range } : {}) }));
      case 'service':
        return this.levelsOf(node);
      case 'level':
        return node.level.actions.map((action) => ({ kind: 'action', action, accessLevel: node.level.accessLevel, denied: node.denied }));
      case 'action':
        return node.action.sources.map((source) => ({ kind: 'source', source }));
      default:
        return [];
    }
  }

  topRows(): PermissionsNode[] {
    if (this.noProject) return [{ kind: 'message', text: 'No UFO project: open a folder with .ufo/iam_roles or .ufo/resources/iam_roles.' }];
    const r = this.result;
    if (!r || r.kind === 'stale') return [{ kind: 'message', text: 'Computing the effective permissions…' }];
    if (r.kind === 'refused') {
      return [
        { kind: 'message', text: r.message },
        ...(r.problems ?? []).map((p): PermissionsNode => ({
          kind: 'message',
          text: `${p.file}:${p.line}:${p.column}`,
          detail: `${p.message} (${p.code})`,
          uri: p.uri,
          range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: p.column - 1 } },
        })),
      ];
    }
    return [
      ...r.roles.map((role): PermissionsNode => ({ kind: 'role', role })),
      { kind: 'message', text: `Not considered: ${r.notConsidered}` },
      { kind: 'message', text: `IAM data of ${r.dataDate} (managed policies as of ${r.managedPoliciesDate}).` },
    ];
  }

  getTreeItem(node: PermissionsNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        if (node.detail) item.description = node.detail;
        item.tooltip = node.detail ? `${node.text}\n${node.detail}` : node.text;
        item.iconPath = new vscode.ThemeIcon(node.uri ? 'warning' : 'info');
        if (node.uri) item.command = openCommand(node.uri, node.range);
        return item;
      }
      case 'role': {
        const r = node.role;
        const item = new vscode.TreeItem(r.logicalId, vscode.TreeItemCollapsibleState.Expanded);
        const c = r.counts;
        item.description = r.unknownRole ? `${r.file} · unknown` : `${r.file} · ${plural(c.allowed, 'action')} in ${plural(c.services, 'service')}${c.conditional ? `, ${c.conditional} conditional` : ''}${c.denied ? `, ${c.denied} denied` : ''}`;
        item.tooltip = `${r.logicalId} (${r.file}): ${plural(c.allowed, 'action')} allowed in ${plural(c.services, 'service')}${c.conditional ? ` (${c.conditional} depending on conditions)` : ''}, ${plural(c.denied, 'action')} explicitly denied${r.unknownDocuments.length ? `, ${plural(r.unknownDocuments.length, 'policy', 'policies')} unknown` : ''}.`;
        item.iconPath = new vscode.ThemeIcon('shield');
        item.resourceUri = vscode.Uri.parse(r.fileUri);
        item.contextValue = 'ufoIamRole';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, collapsed);
        item.description = node.denied ? plural(node.role.counts.denied, 'action') : plural(node.role.unknownDocuments.length, 'policy', 'policies');
        item.tooltip = node.denied ? 'Actions an explicit Deny applies to.' : 'Their documents are unknown: they may allow or deny more. They are not evaluated.';
        item.iconPath = new vscode.ThemeIcon(node.denied ? 'circle-slash' : 'question');
        return item;
      }
      case 'service': {
        const s = node.service;
        const item = new vscode.TreeItem(s.service, collapsed);
        item.description = `${s.name} · ${plural(count(s.levels), 'action')}`;
        item.tooltip = `${s.name} (${s.service}): ${s.levels.map((l) => `${l.accessLevel} ${l.count}`).join(', ')}`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        return item;
      }
      case 'level': {
        const item = new vscode.TreeItem(node.level.accessLevel, collapsed);
        item.description = plural(node.level.count, 'action');
        item.iconPath = new vscode.ThemeIcon(node.denied ? 'circle-slash' : (LEVEL_ICONS[node.level.accessLevel] ?? 'symbol-property'));
        return item;
      }
      case 'action': {
        const a = node.action;
        const item = new vscode.TreeItem(a.action, a.sources.length > 0 ? collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = `${a.resources.join(', ') || '(no resource)'}${a.conditional ? ' · conditional' : ''}`;
        const tip = new vscode.MarkdownString();
        tip.appendMarkdown(`**${a.action}** (${node.accessLevel})${node.denied ? ', explicitly denied' : a.conditional ? ', depends on conditions' : ''}\n\n`);
        tip.appendText(`Resources: ${a.resources.join(', ') || '(none)'}\n\n`);
        tip.appendText(`${node.denied ? 'Denied' : 'Allowed'} by: ${[...new Set(a.sources.map((s) => s.label))].join('; ')}`);
        item.tooltip = tip;
        item.iconPath = new vscode.ThemeIcon(node.denied ? 'error' : a.conditional ? 'question' : 'check');
        return item;
      }
      case 'source': {
        const s = node.source;
        const item = new vscode.TreeItem(s.label, vscode.TreeItemCollapsibleState.None);
        item.description = s.kind === 'inline' ? `iam_policy("${s.policyName}")${s.sid ? ` ${s.sid}` : ''}` : s.kind === 'managed' ? `AWS managed policy${s.sid ? ` ${s.sid}` : ''}` : 'unknown document';
        item.tooltip = s.kind === 'managed' ? `${s.arn ?? s.label}` : s.kind === 'inline' ? `Open ${s.label}` : s.label;
        item.iconPath = new vscode.ThemeIcon(s.kind === 'inline' ? 'file-code' : 'library');
        if (s.uri) item.command = openCommand(s.uri, s.range);
        return item;
      }
    }
  }
}

function openCommand(uri: string, range: PermissionsRequest.Source['range'] | undefined): vscode.Command {
  return { title: 'Open Statement', command: OPEN_PERMISSION_SOURCE_COMMAND, arguments: [uri, range] };
}

const isRoleFile = (uri: vscode.Uri) => uri.scheme === 'file' && /\/\.ufo\/.*\.rb$/i.test(uri.path);

export function registerPermissionsView(context: vscode.ExtensionContext, client: LanguageClient, roleFileGlob: string, output: vscode.LogOutputChannel): PermissionsTree {
  const tree: PermissionsTree = new PermissionsTree(async (query): Promise<PermissionsRequest.Service | undefined> => {
    const project: vscode.Uri | undefined = tree.project;
    if (!project) return undefined;
    try {
      const r: PermissionsRequest.Result = await client.sendRequest<PermissionsRequest.Result>(PermissionsRequest.method, { uri: project.toString(), service: query } satisfies PermissionsRequest.Params);
      if (r.kind === 'service') return r.service;
    } catch (e) {
      output.error(`permissions of ${query.service}: ${e instanceof Error ? e.message : String(e)}`);
    }
    soon();
    return undefined;
  });
  const view = vscode.window.createTreeView(PERMISSIONS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  let timer: NodeJS.Timeout | undefined;
  let running: vscode.CancellationTokenSource | undefined;
  let generation = 0;
  /** Set when something changed while the view was hidden: the next showing refreshes. */
  let outdated = true;

  /** The project shown: the active editor's role file, else the one shown before, else the workspace's first role file. */
  async function projectUri(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && isRoleFile(active)) return active;
    if (tree.project) return tree.project;
    const [first] = await vscode.workspace.findFiles(roleFileGlob, '**/node_modules/**', 1);
    return first;
  }

  async function updateContextKey(): Promise<void> {
    const found = await vscode.workspace.findFiles(roleFileGlob, '**/node_modules/**', 1);
    await vscode.commands.executeCommand('setContext', HAS_ROLE_FILES, found.length > 0);
  }

  async function refresh(): Promise<PermissionsOutcome> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    outdated = false;
    running?.cancel();
    const mine = ++generation;
    const source = (running = new vscode.CancellationTokenSource());
    const project = await projectUri();
    if (!project) {
      tree.show(undefined, undefined);
      return { status: 'noProject', rows: rows() };
    }
    let result: PermissionsRequest.Result;
    try {
      // The overview: the actions of a service come when it is expanded (a role can allow thousands).
      result = await client.sendRequest<PermissionsRequest.Result>(PermissionsRequest.method, { uri: project.toString(), overview: true } satisfies PermissionsRequest.Params, source.token);
    } catch (e) {
      if (mine !== generation) return { status: 'superseded', rows: rows() };
      output.error(`permissions: ${e instanceof Error ? e.message : String(e)}`);
      return { status: 'failed', rows: rows() };
    } finally {
      source.dispose();
      if (running === source) running = undefined;
    }
    // A newer refresh is under way (it cancelled this one), or an edit overtook it (its own refresh follows).
    if (mine !== generation || result.kind === 'stale' || result.kind === 'service') return { status: 'superseded', rows: rows() };
    tree.show(project, result);
    return { status: result.kind === 'permissions' ? 'shown' : 'refused', result, rows: rows() };
  }

  const rows = () => tree.topRows().map((n) => (n.kind === 'role' ? n.role.logicalId : n.kind === 'message' ? n.text : n.kind));

  /** After typing pauses; while hidden, only remember that the view is out of date. */
  const soon = () => {
    if (!view.visible) {
      outdated = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), REFRESH_DELAY_MS);
  };

  const watcher = vscode.workspace.createFileSystemWatcher('**/.ufo/**');
  const onFiles = () => {
    void updateContextKey();
    soon();
  };
  context.subscriptions.push(
    view,
    watcher,
    watcher.onDidCreate(onFiles),
    watcher.onDidDelete(onFiles),
    watcher.onDidChange(soon),
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && isRoleFile(e.document.uri) && soon()),
    vscode.workspace.onDidCloseTextDocument((d) => isRoleFile(d.uri) && soon()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('ufoIam') && soon()),
    vscode.workspace.onDidChangeWorkspaceFolders(onFiles),
    // Another project's role file becomes active: show that project.
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const uri = editor?.document.uri;
      if (!uri || !isRoleFile(uri) || !tree.project) return;
      const root = (u: vscode.Uri) => u.path.slice(0, u.path.indexOf('/.ufo/'));
      if (root(uri) !== root(tree.project)) {
        tree.project = uri;
        soon();
      }
    }),
    view.onDidChangeVisibility((e) => e.visible && outdated && void refresh()),
    vscode.commands.registerCommand(REFRESH_PERMISSIONS_COMMAND, () => refresh()),
    vscode.commands.registerCommand(OPEN_PERMISSION_SOURCE_COMMAND, async (uri: string, range?: PermissionsRequest.Source['range']) => {
      const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preview: false });
      // Set after showing: an editor already open for the file keeps its own cursor otherwise.
      if (range) {
        editor.selection = new vscode.Selection(range.start.line, range.start.character, range.end.line, range.end.character);
        editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
      return editor;
    }),
    { dispose: () => (timer && clearTimeout(timer), running?.cancel()) },
  );
  void updateContextKey();
  if (view.visible) void refresh();
  return tree;
}
