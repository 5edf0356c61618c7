// The evaluation and import commands in real VS Code, on the demo: "UFO: Fix AccessDenied…" (the explanation and the
// edit applied through the modal, after which "UFO: Can the Role…?" answers allowed from the unsaved text), "UFO: Can
// the Role…?" (the answer of `ufo-iam can`), the Explorer's "UFO IAM Permissions" tree (the answer of `ufo-iam
// permissions`, following an edit, its sources opening the statement, its refresh command) and "UFO: Import Role from
// AWS…" against the local IAM endpoint that scripts/e2e/run.mjs starts (UFO_IAM_E2E_IAM_ENDPOINT).
//
// The commands take an argument object in test mode and return their outcome; modals are answered from
// UFO_IAM_TEST_MODAL_ANSWER (client/src/commands/applyRoles.ts), set only around the command that needs it. Unsaved
// edits are reverted by the root afterEach; the file the import writes is restored here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CanRequest, PermissionsRequest } from '../../../server/src/lsp/protocol';
import type { PermissionsNode, PermissionsOutcome } from '../../../client/src/commands/permissionsView';
import { activateExtension, appendText, openDocument, runCli, waitFor, workspaceUri } from './helpers';

const ENDPOINT = process.env.UFO_IAM_E2E_IAM_ENDPOINT;
const ANSWER_ENV = 'UFO_IAM_TEST_MODAL_ANSWER';
const TASK_ROLE = '.ufo/iam_roles/task_role.rb';
const EXECUTION_ROLE = '.ufo/iam_roles/execution_role.rb';
const ORDERS = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';
/** CloudFormation's name for the TaskRole of stack demo-web-development (`ufo ship demo-web`, UFO v5). */
const DENIED = `An error occurred (AccessDeniedException) when calling the GetItem operation: User: arn:aws:sts::123456789012:assumed-role/demo-web-development-TaskRole-AbC123XyZ/4f2a is not authorized to perform: dynamodb:GetItem on resource: ${ORDERS} because no identity-based policy allows the dynamodb:GetItem action`;

interface Prompt {
  modal: boolean;
  kind: string;
  message: string;
  detail?: string;
  buttons: string[];
  answer?: string;
}
interface CanOutcome {
  status: string;
  message?: string;
  result?: CanRequest.Result;
  prompts: Prompt[];
}
interface Tree {
  result: PermissionsRequest.Result | undefined;
  getChildren(node?: PermissionsNode): PermissionsNode[] | Promise<PermissionsNode[]>;
  getTreeItem(node: PermissionsNode): vscode.TreeItem;
}

/** Runs a command with the modal answers given (`''` dismisses every modal). */
async function run<T>(command: string, answer: string, ...args: unknown[]): Promise<T> {
  process.env[ANSWER_ENV] = answer;
  try {
    return (await vscode.commands.executeCommand<T>(command, ...args)) as T;
  } finally {
    delete process.env[ANSWER_ENV];
  }
}

async function emulator<T>(what: 'state' | 'reset' | 'seed-role', body?: unknown): Promise<T> {
  assert.ok(ENDPOINT, 'UFO_IAM_E2E_IAM_ENDPOINT is not set: the e2e runner did not start the IAM emulator');
  const response = await fetch(`${ENDPOINT}/__emulator/${what}`, {
    method: what === 'state' ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await response.text();
  assert.ok(response.ok, `emulator ${what}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** `ufo-iam can … --format json` in the workspace: one role's object. */
function cliCan(args: string[]): { status: number | null; answer: Record<string, unknown> } {
  const r = runCli(['can', ...args, '--format', 'json']);
  assert.ok(r.status !== 2, r.stderr);
  return { status: r.status, answer: JSON.parse(r.stdout) };
}

/** A role's answer less what the CLI does not print (the URIs). */
function withoutUris(a: CanRequest.RoleAnswer): unknown {
  const { fileUri: _f, ...rest } = a;
  return { ...rest, matched: a.matched.map((m) => (m.source.kind === 'inline' ? { ...m, source: (({ uri: _u, ...s }) => s)(m.source) } : m)) };
}

describe('evaluation: UFO: Fix AccessDenied…', () => {
  before(async () => {
    await activateExtension();
    // UFO v5 names the stack after the service given to `ufo ship SERVICE`: the denied role is the demo-web stack's.
    await vscode.workspace.getConfiguration('ufoIam').update('service', 'demo-web', vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('ufoIam').update('service', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('explains the message, applies the smallest edit when the modal is confirmed (unsaved), and Can the Role…? then answers allowed', async () => {
    // Dismissed: the explanation names the stack's TaskRole (once the server has the service setting), nothing is edited.
    const dismissed = await waitFor('the explanation of the stack\'s TaskRole', async () => {
      const o = await run<{ status: string; lines?: string[] }>('ufoIam.fixAccessDenied', '', { message: DENIED });
      return o.lines?.some((l) => /^Role: the stack's TaskRole: .*stack demo-web-development/.test(l)) ? o : undefined;
    });
    assert.equal(dismissed.status, 'cancelled', JSON.stringify(dismissed));
    const doc = await openDocument(TASK_ROLE);
    assert.equal(doc.isDirty, false, 'a dismissed modal edits nothing');

    const outcome = await waitFor('the fix to be applied', async () => {
      const o = await run<{ status: string; lines?: string[]; message?: string }>('ufoIam.fixAccessDenied', 'Apply Edit', { message: DENIED });
      return o.status === 'applied' ? o : undefined;
    });
    assert.ok(outcome.lines?.some((l) => l.startsWith('Denied: dynamodb:GetItem on ')), outcome.lines?.join('\n'));
    assert.equal(doc.isDirty, true, 'the edit stays unsaved until the user saves');
    assert.match(doc.getText(), /\niam_policy\("AllowDynamodbGetItem",\n {2}Action: \["dynamodb:GetItem"\],\n {2}Effect: "Allow",\n {2}Resource: "arn:aws:dynamodb:us-east-1:123456789012:table\/orders"\n\)\n$/);
    // The disk still says no; the editor's unsaved text says yes, and the answer names that file.
    assert.equal(cliCan(['dynamodb:GetItem', ORDERS, '.', '--role', 'TaskRole']).status, 1);
    const can = await vscode.commands.executeCommand<CanOutcome>('ufoIam.canRole', { role: 'TaskRole', action: 'dynamodb:GetItem', resource: ORDERS, context: [] });
    assert.equal(can.status, 'answered', JSON.stringify(can));
    assert.ok(can.result?.kind === 'answered');
    assert.equal(can.result.overall, 'allowed');
    assert.deepEqual(can.result.unsaved, [TASK_ROLE]);
    const again = await run<{ status: string; message?: string }>('ufoIam.fixAccessDenied', '', { message: DENIED });
    assert.equal(again.status, 'noEdit', JSON.stringify(again));
  });

  it('refuses a text that is no AccessDenied message', async () => {
    const r = await vscode.commands.executeCommand<{ status: string; message?: string }>('ufoIam.fixAccessDenied', { message: 'The build passed.' });
    assert.equal(r.status, 'refused', JSON.stringify(r));
    assert.ok(r.message && r.message.length > 0);
  });
});

describe('evaluation: UFO: Can the Role…?', () => {
  it('gives the answer of ufo-iam can for each role, and a notification naming the decision', async () => {
    await activateExtension();
    const questions: Array<{ args: string[]; params: { role: CanRequest.Role; action: string; resource?: string }; decision: string }> = [
      { args: ['ecr:GetAuthorizationToken', '.', '--role', 'ExecutionRole'], params: { role: 'ExecutionRole', action: 'ecr:GetAuthorizationToken' }, decision: 'allowed' },
      { args: ['s3:GetObject', 'arn:aws:s3:::demo-uploads/a.png', '.', '--role', 'TaskRole'], params: { role: 'TaskRole', action: 's3:GetObject', resource: 'arn:aws:s3:::demo-uploads/a.png' }, decision: 'allowed' },
      { args: ['s3:PutObject', 'arn:aws:s3:::demo-uploads/a.png', '.', '--role', 'TaskRole'], params: { role: 'TaskRole', action: 's3:PutObject', resource: 'arn:aws:s3:::demo-uploads/a.png' }, decision: 'implicitDeny' },
    ];
    for (const q of questions) {
      const expected = cliCan(q.args);
      // Every input given (an empty resource asks "on some resource?"), so the command asks nothing.
      const outcome = await waitFor(`the answer to ${q.params.action}`, async () => {
        const o = await vscode.commands.executeCommand<CanOutcome>('ufoIam.canRole', { resource: '', ...q.params, context: [] });
        return o.status === 'answered' ? o : undefined;
      });
      assert.ok(outcome.result?.kind === 'answered');
      assert.equal(outcome.result.overall, q.decision);
      assert.deepEqual(outcome.result.answers.map(withoutUris), [expected.answer]);
      assert.deepEqual(outcome.result.unsaved, []);
      const note = outcome.prompts.find((p) => !p.modal);
      assert.ok(note, JSON.stringify(outcome.prompts));
      assert.match(note.message, new RegExp(`^UFO: ${q.params.action.replace(/[:.*]/g, '\\$&')}.*: ${q.params.role}: ${q.decision === 'allowed' ? 'allowed' : 'not allowed'} `));
      assert.ok(note.buttons.includes('Show Full Answer'));
    }
    const bad = await vscode.commands.executeCommand<CanOutcome>('ufoIam.canRole', { role: 'TaskRole', action: 's3:Get*', resource: '', context: [] });
    assert.equal(bad.status, 'refused', JSON.stringify(bad));
  });
});

describe('evaluation: the UFO IAM Permissions tree', () => {
  let tree: Tree;
  before(async () => {
    tree = ((await activateExtension()).exports as { permissions: Tree }).permissions;
  });

  const children = async (node?: PermissionsNode) => await tree.getChildren(node);

  /**
   * What the view shows, walked as a user expands it (a service's actions are asked for when it is expanded), in the
   * shape of `ufo-iam permissions --format json`, each source by its label.
   */
  async function shownAsCliJson(): Promise<Record<string, unknown>> {
    const r = tree.result;
    assert.ok(r?.kind === 'permissions', JSON.stringify(r)?.slice(0, 500));
    assert.equal(r.overview, true, 'the view asks for an overview first');
    const flat = async (services: PermissionsNode[]) => {
      const out: unknown[] = [];
      for (const s of services) {
        if (s.kind !== 'service') continue;
        for (const level of await children(s)) {
          assert.ok(level.kind === 'level', JSON.stringify(level));
          const actions = await children(level);
          assert.equal(actions.length, level.level.count, `${s.service} ${level.level.accessLevel}: the count the overview gave`);
          for (const a of actions) if (a.kind === 'action') out.push({ action: a.action.action, accessLevel: level.level.accessLevel, resources: a.action.resources, conditional: a.action.conditional, sources: a.action.sources.map((x) => x.label) });
        }
      }
      return out;
    };
    const out: Record<string, unknown> = {};
    for (const node of await children()) {
      if (node.kind !== 'role') continue;
      const role = node.role;
      const rows = await children(node);
      const denied = rows.find((n) => n.kind === 'group' && n.denied);
      out[role.logicalId] = {
        file: role.file,
        allowed: await flat(rows),
        denied: denied ? await flat(await children(denied)) : [],
        unknownDocuments: role.unknownDocuments.map((u) => (u.arn ? { arn: u.arn, reason: u.reason } : { source: u.label, reason: u.reason })),
      };
    }
    return { ...out, notConsidered: r.notConsidered, dataDate: r.dataDate, managedPoliciesDate: r.managedPoliciesDate };
  }

  /** The action node the view shows under role → service → level, expanding as a user would. */
  async function actionNode(role: string, service: string, action: string) {
    const roleNode = (await children()).find((n) => n.kind === 'role' && n.role.logicalId === role);
    const serviceNode = roleNode && (await children(roleNode)).find((n) => n.kind === 'service' && n.service.service === service);
    if (!serviceNode) return undefined;
    for (const level of await children(serviceNode)) {
      const found = (await children(level)).find((n) => n.kind === 'action' && n.action.action === action);
      if (found) return { level, action: found };
    }
    return undefined;
  }

  it('shows what ufo-iam permissions lists, follows an unsaved edit, opens a source at its statement, and refreshes on command', async () => {
    // The view is in the Explorer when the workspace has role files; shown, it asks the server.
    await waitFor('the permissions view to show the demo', async () => {
      await vscode.commands.executeCommand('ufoIam.permissions.focus');
      return tree.result?.kind === 'permissions';
    });
    const cli = runCli(['permissions', '--format', 'json']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(await shownAsCliJson(), JSON.parse(cli.stdout));
    const rows = await children();
    assert.deepEqual(rows.filter((n) => n.kind === 'role').map((n) => tree.getTreeItem(n).label), ['ExecutionRole', 'TaskRole']);
    assert.ok(rows.some((n) => n.kind === 'message' && n.text.startsWith('Not considered: ')));

    // An unsaved edit of the role file: the tree follows it without a save or a command.
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("Queue", Action: ["sqs:SendMessage"], Effect: "Allow", Resource: "arn:aws:sqs:us-east-1:123456789012:jobs")');
    const line = doc.lineCount - 2; // the appended line (0-based); the document ends with a newline
    const shown = await waitFor('the tree to follow the edit', () => actionNode('TaskRole', 'sqs', 'sqs:SendMessage'), { describe: () => JSON.stringify(tree.result)?.slice(0, 300) ?? 'nothing' });
    assert.ok(shown.action.kind === 'action');
    const send = shown.action.action;
    assert.deepEqual(send.resources, ['arn:aws:sqs:us-east-1:123456789012:jobs']);
    assert.deepEqual(send.sources.map((s) => s.label), [`${TASK_ROLE}:${line + 1}`]);
    assert.ok(tree.result?.kind === 'permissions');
    assert.deepEqual(tree.result.unsaved, [TASK_ROLE]);

    // Role → service → access level → action → source, as the view shows it; the source's click selects the statement.
    const role = (await children()).find((n) => n.kind === 'role' && n.role.logicalId === 'TaskRole')!;
    const sqs = (await children(role)).find((n) => n.kind === 'service' && n.service.service === 'sqs')!;
    const level = (await children(sqs))[0];
    assert.equal(tree.getTreeItem(level).label, 'Write');
    const action = (await children(level)).find((n) => n.kind === 'action' && n.action.action === 'sqs:SendMessage')!;
    assert.equal(tree.getTreeItem(action).description, 'arn:aws:sqs:us-east-1:123456789012:jobs');
    const [source] = await children(action);
    const item = tree.getTreeItem(source);
    assert.equal(item.label, `${TASK_ROLE}:${line + 1}`);
    assert.ok(item.command, 'a source of the role file opens it');
    await openDocument(EXECUTION_ROLE);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = await waitFor('the role file to open at the statement', () => vscode.window.activeTextEditor?.document.uri.toString() === doc.uri.toString() && vscode.window.activeTextEditor);
    assert.equal(editor.selection.start.line, line);
    const r = source.kind === 'source' ? source.source.range : undefined;
    assert.ok(r, 'an inline source has the statement\'s range');
    assert.deepEqual([editor.selection.start.line, editor.selection.start.character, editor.selection.end.line, editor.selection.end.character], [r.start.line, r.start.character, r.end.line, r.end.character]);
    assert.match(editor.document.getText(editor.selection), /sqs:SendMessage/);

    // The refresh command answers with what the view now shows.
    const refreshed = await vscode.commands.executeCommand<PermissionsOutcome>('ufoIam.refreshPermissions');
    assert.equal(refreshed.status, 'shown', JSON.stringify(refreshed).slice(0, 300));
    assert.deepEqual(refreshed.rows.slice(0, 2), ['ExecutionRole', 'TaskRole']);
    assert.ok(await actionNode('TaskRole', 'sqs', 'sqs:SendMessage'));

    // Text UFO cannot build: a message row instead of the roles.
    await appendText(editor.document, 'iam_policy(');
    await waitFor('the tree to say UFO would fail', () => tree.result?.kind === 'refused' && tree.result.code === 'BUILD_FAILS', { describe: () => JSON.stringify(tree.result)?.slice(0, 300) ?? 'nothing' });
    const message = (await children())[0];
    assert.ok(message.kind === 'message' && /UFO would fail to build the roles/.test(message.text), JSON.stringify(message));
  });
});

describe('evaluation: UFO: Import Role from AWS…', () => {
  let original: string;
  before(async () => {
    await activateExtension();
    original = fs.readFileSync(workspaceUri(EXECUTION_ROLE).fsPath, 'utf8');
  });
  after(() => {
    // Other tests read the demo's execution role: put it back as it was.
    fs.writeFileSync(workspaceUri(EXECUTION_ROLE).fsPath, original);
  });

  it('writes the live role\'s policies into the execution role file after asking to replace it, and reads IAM only', async () => {
    await emulator('reset');
    await emulator('seed-role', {
      roleName: 'legacy-exec',
      inline: { Logs: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] } },
      attached: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
    });
    const declined = await run<{ status: string }>('ufoIam.importRole', '', { roleName: 'legacy-exec', roleType: 'execution_role' });
    assert.equal(declined.status, 'cancelled', JSON.stringify(declined));
    assert.equal(fs.readFileSync(workspaceUri(EXECUTION_ROLE).fsPath, 'utf8'), original, 'declining the replacement writes nothing');

    const imported = await run<{ status: string; file?: string; message?: string }>('ufoIam.importRole', 'Replace', { roleName: 'legacy-exec', roleType: 'execution_role' });
    assert.equal(imported.status, 'imported', JSON.stringify(imported));
    assert.equal(imported.file, EXECUTION_ROLE);
    const text = await waitFor('the imported file on disk', () => {
      const t = fs.readFileSync(workspaceUri(EXECUTION_ROLE).fsPath, 'utf8');
      return t !== original && t;
    });
    assert.match(text, /^managed_iam_policy\("service-role\/AmazonECSTaskExecutionRolePolicy"\)$/m);
    assert.match(text, /iam_policy\("Logs",/);
    // What UFO would build from it is the live role's content.
    const compiled = runCli(['compile', '.']);
    assert.equal(compiled.status, 0, compiled.stderr);
    const exec = JSON.parse(compiled.stdout).ExecutionRole.Properties;
    assert.deepEqual(exec.ManagedPolicyArns, ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
    assert.deepEqual(exec.Policies.map((p: { PolicyName: string; PolicyDocument: { Statement: unknown[] } }) => [p.PolicyName, p.PolicyDocument.Statement]), [
      ['Logs', [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }]],
    ]);
    const missing = await run<{ status: string; message?: string }>('ufoIam.importRole', '', { roleName: 'no-such-role', roleType: 'task_role' });
    assert.equal(missing.status, 'error', JSON.stringify(missing));
    assert.equal(missing.message, 'IAM has no role named no-such-role.');
    const state = await emulator<{ requests: Array<{ action: string }> }>('state');
    assert.ok(state.requests.some((r) => r.action === 'GetRole'), JSON.stringify(state.requests.map((r) => r.action)));
    assert.deepEqual(state.requests.filter((r) => !/^(Get|List)/.test(r.action)).map((r) => r.action).filter((a) => a !== 'GetCallerIdentity'), []);
  });
});
