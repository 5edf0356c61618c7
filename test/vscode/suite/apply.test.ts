// "UFO: Apply IAM Roles…" and "UFO: Update Task Definition ARNs" in real VS Code, on the demo, against
// the local IAM, STS and CloudFormation endpoint that scripts/e2e/run.mjs starts (UFO_IAM_E2E_IAM_ENDPOINT;
// AWS_ENDPOINT_URL* and dummy keys reach the language server through the extension host's environment), with
// both apply targets: the demo's role files applied to the roles of its deployed stack, then the same files moved
// to the pre-created folder and applied to roles ufo-iam creates, whose ARNs go into main.json.erb.
//
// The confirmation modal: the extension runs in test mode here (extensionTestsPath), and in test mode
// it answers its modals from UFO_IAM_TEST_MODAL_ANSWER instead of showing them (client/src/commands/
// applyRoles.ts). The tests share the extension host's process.env, so each sets the variable only
// around the command it runs. The commands return what they asked, which the tests check.
// (The comparison with `ufo-iam compile`, the signing-key check and the declined-save case came from the
// VS Code suite's owner.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, appendText, edit, openDocument, runCli, waitFor, workspaceFolder, workspaceUri } from './helpers';

const ENDPOINT = process.env.UFO_IAM_E2E_IAM_ENDPOINT;
const ANSWER_ENV = 'UFO_IAM_TEST_MODAL_ANSWER';
const ACCOUNT = '123456789012';
const TEMPLATE = '.ufo/templates/main.json.erb';

interface Prompt {
  modal: boolean;
  kind: string;
  message: string;
  detail?: string;
  buttons: string[];
  answer?: string;
}
interface ApplyOutcome {
  status: string;
  target?: string;
  targetAsked?: boolean;
  message?: string;
  account?: string;
  region?: string;
  adopted?: boolean;
  roles?: Array<{ logicalId: string; roleName: string; status: string }>;
  counts?: { total: number; words: string };
  diffs: string[];
  progress: string[];
  prompts: Prompt[];
}
interface MoveOutcome {
  status: string;
  message?: string;
  moves?: Array<{ from: string; to: string }>;
  preview?: string;
  prompts: Prompt[];
}
interface CompareOutcome {
  status: string;
  message?: string;
  diffs: string[];
  roles?: Array<{ logicalId: string; roleName: string; drifted: boolean }>;
}
interface UpdateOutcome {
  status: string;
  message?: string;
  file?: string;
  values?: { taskRoleArn?: string; executionRoleArn?: string };
  notes: string[];
  prompts: Prompt[];
}
interface EmulatorState {
  roles: Array<{ roleName: string; arn: string; trustPolicy: unknown; tags: Record<string, string>; inline: Record<string, unknown>; attached: string[] }>;
  stacks: Array<{ stackName: string; resources: Array<{ logicalId: string; physicalId: string; type: string }> }>;
  requests: Array<{ action: string; params: Record<string, string>; accessKeyId?: string }>;
}

const WRITES = new Set(['CreateRole', 'UpdateAssumeRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'TagRole']);

async function emulator<T>(what: 'state' | 'reset' | 'seed-role' | 'seed-stack', body?: unknown): Promise<T> {
  assert.ok(ENDPOINT, 'UFO_IAM_E2E_IAM_ENDPOINT is not set: the e2e runner did not start the IAM emulator');
  const response = await fetch(`${ENDPOINT}/__emulator/${what}`, {
    method: what === 'state' ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await response.text();
  assert.ok(response.ok, `emulator ${what}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const writes = (state: EmulatorState): string[] => state.requests.filter((r) => WRITES.has(r.action)).map((r) => `${r.action} ${r.params.RoleName}`);

/** Runs a command with the modal answers given (`''` dismisses every modal). */
async function run<T>(command: string, answer: string, ...args: unknown[]): Promise<T> {
  process.env[ANSWER_ENV] = answer;
  try {
    return (await vscode.commands.executeCommand<T>(command, ...args)) as T;
  } finally {
    delete process.env[ANSWER_ENV];
  }
}

function planDiffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => t.input)
    .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'ufo-iam-plan');
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(2)} s`;

const UFO_ROLES = '.ufo/iam_roles';
const PRECREATED_ROLES = '.ufo/precreated_iam_roles';
const ROLE_FILES = ['task_role.rb', 'execution_role.rb'];

/** The preview's header line naming the apply target, as the language server sees the project now. */
async function targetLine(): Promise<string> {
  const { client } = (await activateExtension()).exports as { client: { sendRequest<R>(method: string, params: unknown): Promise<R> } };
  const preview = await client.sendRequest<{ text: string }>('ufoIam/preview', { uri: workspaceUri('.ufo/settings.yml').toString() });
  return preview.text.split('\n').find((l) => l.startsWith('// Apply target:')) ?? '(no target line)';
}

type Compiled = Record<string, { Properties: { AssumeRolePolicyDocument: unknown; Policies?: Array<{ PolicyName: string; PolicyDocument: unknown }>; ManagedPolicyArns?: string[] } }>;

/** The resources UFO builds from the workspace's role files (`ufo-iam compile`), or from those of `project`. */
function compiledRoles(project = workspaceFolder().uri.fsPath): Compiled {
  const cli = runCli(['compile', project]);
  assert.equal(cli.status, 0, cli.stderr);
  return JSON.parse(cli.stdout);
}

describe('apply IAM roles: the stack target (the role files UFO reads, applied to the roles of its stack)', () => {
  before(async () => {
    await activateExtension();
    // UFO v5 names the stack after the service given to `ufo ship SERVICE`: the demo's is demo-web.
    await vscode.workspace.getConfiguration('ufoIam').update('service', 'demo-web', vscode.ConfigurationTarget.Workspace);
    await waitFor('the server to name the stack', async () => /^\/\/ Apply target: stack\. .* stack demo-web-development /.test(await targetLine()), { describe: targetLine });
  });
  after(async () => {
    await vscode.workspace.getConfiguration('ufoIam').update('service', undefined, vscode.ConfigurationTarget.Workspace);
  });
  beforeEach(async () => {
    await emulator('reset');
  });

  it('applies the demo role files to the stack\'s TaskRole and ExecutionRole from the command palette, and only to them', async () => {
    // The stack `ufo ship demo-web` left: last week's role content, CloudFormation's role names.
    const stack = await emulator<EmulatorState['stacks'][number]>('seed-stack', {
      stackName: 'demo-web-development',
      roles: {
        TaskRole: { inline: { CloudwatchWrite: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }] } } },
        ExecutionRole: { attached: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'] },
      },
    });
    const physical = (id: string): string => stack.resources.find((r) => r.logicalId === id)!.physicalId;
    const [task, execution] = [physical('TaskRole'), physical('ExecutionRole')];
    const outcome = await run<ApplyOutcome>('ufoIam.applyRoles', 'Apply');
    assert.equal(outcome.status, 'applied', JSON.stringify(outcome, null, 2));
    assert.equal(outcome.target, 'stack');
    const modals = outcome.prompts.filter((p) => p.modal);
    assert.equal(modals.length, 1, JSON.stringify(outcome.prompts));
    assert.match(modals[0].message, new RegExp(`^Apply \\d+ IAM changes to stack demo-web-development's roles ${task} and ${execution} in AWS account ${ACCOUNT}, region us-east-1\\?$`));
    const detail = modals[0].detail ?? '';
    assert.match(detail, /^Target: the roles of UFO's CloudFormation stack demo-web-development \(stack; service "demo-web", stack_naming \(unset: append_ufo_env\), UFO_ENV "development"\)$/m);
    assert.match(detail, /the next `ufo ship` sets the same content from the same role files\. Until then, CloudFormation drift detection reports the roles as modified\./);
    assert.doesNotMatch(detail, /to create|managed-by=ufo-iam/);
    // The access diff under each role's line, as the server computed it: the task role gains the demo's seven actions
    // and loses the stack's logs:PutLogEvents; the execution role gains its two new managed policies' actions.
    assert.match(detail, new RegExp(`^• ${task} \\(TaskRole\\): update \\(\\d+ steps\\)\\n    \\+ 7 actions: 1 List, 1 Read, 5 Write\\n    - 1 action: 1 Write$`, 'm'));
    assert.match(detail, new RegExp(`^• ${execution} \\(ExecutionRole\\): update \\(\\d+ steps?\\)\\n    \\+ \\d+ actions: 1 privilege escalation \\(lambda:UpdateFunctionConfiguration on `, 'm'));
    assert.match(detail, /^Access: Only the role's identity-based policies are evaluated: .*permissions boundaries, session policies and resource-based policies are not part of this answer\. IAM data of \d{4}-\d{2}-\d{2} /m);
    assert.ok(outcome.diffs.every((d) => d.startsWith('stack role ')), outcome.diffs.join(' | '));

    const state = await emulator<EmulatorState>('state');
    // Only the stack's two roles were written to, never created or tagged.
    assert.deepEqual([...new Set(writes(state).map((w) => w.split(' ')[1]))].sort(), [task, execution].sort());
    assert.ok(writes(state).every((w) => !/^(CreateRole|TagRole)/.test(w)), writes(state).join(', '));
    assert.ok(state.requests.some((r) => r.action === 'DescribeStackResources'), 'the roles were found through CloudFormation');
    const compiled = compiledRoles();
    for (const [logicalId, name] of [['TaskRole', task], ['ExecutionRole', execution]] as const) {
      const live = state.roles.find((r) => r.roleName === name)!;
      const want = compiled[logicalId].Properties;
      assert.deepEqual(live.inline, Object.fromEntries((want.Policies ?? []).map((p) => [p.PolicyName, p.PolicyDocument])), `${logicalId} inline policies`);
      // Attachments are a set in IAM: the one the stack had stays first.
      assert.deepEqual([...live.attached].sort(), [...(want.ManagedPolicyArns ?? [])].sort(), `${logicalId} managed policies`);
      assert.deepEqual(live.tags, {}, `${logicalId} is CloudFormation's: not tagged`);
    }
    // No template ARNs for the stack's roles: UFO sets them itself; the notification says so.
    assert.ok(outcome.prompts.some((p) => !p.modal && /The next `ufo ship` deploys the same content/.test(p.message)), JSON.stringify(outcome.prompts));
    assert.ok(!outcome.prompts.some((p) => p.buttons.includes('Update Task Definition ARNs')));
    const arns = await run<UpdateOutcome>('ufoIam.updateTaskDefinitionArns', '');
    assert.notEqual(arns.status, 'updated', JSON.stringify(arns, null, 2));
    assert.match(JSON.stringify(arns), /The apply target is the stack/);

    const again = await run<ApplyOutcome>('ufoIam.applyRoles', 'Apply');
    assert.equal(again.status, 'noChanges', JSON.stringify(again, null, 2));
    assert.equal(writes(await emulator<EmulatorState>('state')).length, writes(state).length);

    // "UFO: Compare with AWS": in sync now; someone adds a policy in the console, and the diff shows it. Read-only.
    const synced = await run<CompareOutcome>('ufoIam.compareWithAws', '');
    assert.equal(synced.status, 'inSync', JSON.stringify(synced, null, 2));
    const live = state.roles.find((r) => r.roleName === task)!;
    await emulator('seed-role', { roleName: task, inline: { ...live.inline, Console: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }, attached: live.attached });
    const drifted = await run<CompareOutcome>('ufoIam.compareWithAws', '');
    assert.equal(drifted.status, 'drifted', JSON.stringify(drifted, null, 2));
    assert.deepEqual(drifted.roles?.filter((r) => r.drifted).map((r) => r.roleName), [task]);
    assert.equal(drifted.diffs.length, 1, drifted.diffs.join(' | '));
    assert.equal(writes(await emulator<EmulatorState>('state')).length, writes(state).length, 'comparing writes nothing');
  });

  it('a stack that is not deployed: a clear error, nothing written', async () => {
    const outcome = await run<ApplyOutcome>('ufoIam.applyRoles', 'Apply');
    assert.equal(outcome.status, 'blocked', JSON.stringify(outcome, null, 2));
    assert.match(outcome.message ?? '', /No stack named demo-web-development in us-east-1/);
    assert.deepEqual(writes(await emulator<EmulatorState>('state')), []);
  });
});

describe('apply IAM roles: the pre-created target (roles ufo-iam creates, their ARNs in the template)', () => {
  before(async () => {
    await activateExtension();
    // The demo moves to pre-created roles with the command a user runs: its role files go where UFO does not read
    // them, as one undoable edit, after the preview of what UFO deploys then.
    const moved = await run<MoveOutcome>('ufoIam.moveRolesToPrecreated', 'Move');
    assert.equal(moved.status, 'moved', JSON.stringify(moved, null, 2));
    assert.deepEqual(moved.moves, ROLE_FILES.map((f) => ({ from: `${UFO_ROLES}/${f}`, to: `${PRECREATED_ROLES}/${f}` })).sort((a, b) => a.from.localeCompare(b.from)).reverse());
    assert.match(moved.preview ?? '', /UFO builds no role/);
    for (const f of ROLE_FILES) await vscode.workspace.fs.stat(workspaceUri(`${PRECREATED_ROLES}/${f}`));
    await waitFor('the server to see the pre-created files', async () => /^\/\/ Apply target: pre-created roles /.test(await targetLine()), { describe: targetLine });
  });
  after(async () => {
    // Unsaved edits the tests left behind are dropped, then the files go back with the reverse command.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
      const saved = Buffer.from(await vscode.workspace.fs.readFile(doc.uri)).toString('utf8');
      await edit((e) => e.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), saved));
      assert.ok(await doc.save(), `could not restore ${doc.uri.fsPath}`);
    }
    // A file a test rewrote on disk reaches its editor (and the server) a moment later.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && d.uri.path.includes('/.ufo/'))) {
      const disk = async () => Buffer.from(await vscode.workspace.fs.readFile(doc.uri)).toString('utf8');
      await waitFor(`${doc.uri.fsPath} to show its saved text`, async () => doc.getText() === (await disk()));
    }
    const back = await run<MoveOutcome>('ufoIam.moveRolesToStack', 'Move|Move Only');
    assert.equal(back.status, 'moved', JSON.stringify(back, null, 2));
    for (const f of ROLE_FILES) await vscode.workspace.fs.stat(workspaceUri(`${UFO_ROLES}/${f}`));
  });
  beforeEach(async () => {
    await emulator('reset');
  });

  it('applies the demo roles from the command palette after the modal, then writes their ARNs into main.json.erb', async () => {
    const started = Date.now();
    const outcome = await run<ApplyOutcome>('ufoIam.applyRoles', 'Apply');
    const applySeconds = seconds(started);
    assert.equal(outcome.status, 'applied', JSON.stringify(outcome, null, 2));

    // The modal named the account, the region and the change counts of the demo: two roles, the task
    // role's three inline policies and the execution role's three managed policies.
    const modals = outcome.prompts.filter((p) => p.modal);
    assert.equal(modals.length, 1, JSON.stringify(outcome.prompts));
    assert.match(modals[0].message, new RegExp(`^Apply 8 IAM changes to pre-created roles \\S+-TaskRole and \\S+-ExecutionRole in AWS account ${ACCOUNT}, region us-east-1\\?$`));
    assert.match(modals[0].detail ?? '', /^Target: pre-created roles named \{app\}-\{role\}-\{env\}-\{logicalId\}, from \.ufo\/precreated_iam_roles\/ \(precreated\)$/m);
    assert.match(modals[0].detail ?? '', /Plan: 8 to add, 0 to change, 0 to remove \(2 roles to create, 3 inline policies to put, 3 managed policies to attach\)\./);
    assert.deepEqual(modals[0].buttons, ['Apply']);
    assert.equal(modals[0].answer, 'Apply');
    // A role created from nothing: everything it allows is added.
    assert.match(modals[0].detail ?? '', /^• \S+-TaskRole \(TaskRole\): create \(\d+ steps\)\n    \+ 7 actions: 1 List, 1 Read, 5 Write$/m);

    // The plan was shown as one diff per role: live (empty) ↔ desired JSON.
    const [taskRole, executionRole] = outcome.roles!;
    assert.deepEqual([taskRole.logicalId, executionRole.logicalId], ['TaskRole', 'ExecutionRole']);
    const tabs = planDiffTabs();
    assert.equal(tabs.length, 2, `diff tabs: ${outcome.diffs.join(' | ')}`);
    const desired = JSON.parse((await vscode.workspace.openTextDocument(tabs[0].modified)).getText());
    assert.equal(desired.RoleName, taskRole.roleName);
    assert.deepEqual(desired.Policies.map((p: { PolicyName: string }) => p.PolicyName), ['CloudwatchWrite', 'EcsExecuteCommand', 'S3ReadUploads']);

    // One progress message per step, in apply order, each started then succeeded.
    assert.equal(outcome.progress.length, 16);
    assert.match(outcome.progress[0], new RegExp(`^started: \\[1/8\\] Create role ${taskRole.roleName} \\(TaskRole\\)`));
    assert.match(outcome.progress[1], /^succeeded: \[1\/8\]/);
    assert.match(outcome.progress[15], /^succeeded: \[8\/8\] Attach managed policy arn:aws:iam::aws:policy\/service-role\/AmazonECSTaskExecutionRolePolicy/);
    assert.ok(outcome.prompts.some((p) => !p.modal && p.buttons.includes('Update Task Definition ARNs')), 'the ARN update is offered');

    const state = await emulator<EmulatorState>('state');
    const task = state.roles.find((r) => r.roleName === taskRole.roleName);
    const execution = state.roles.find((r) => r.roleName === executionRole.roleName);
    assert.ok(task && execution, `roles in IAM: ${state.roles.map((r) => r.roleName).join(', ')}`);
    assert.deepEqual(task.tags, { 'managed-by': 'ufo-iam' });
    assert.deepEqual(execution.tags, { 'managed-by': 'ufo-iam' });
    // What IAM holds is exactly what the pre-created files compile to: `ufo-iam compile` of a scratch v5 project that
    // holds them where UFO reads them. The workspace itself, with the files in the pre-created folder, builds no role.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-e2e-compile-'));
    fs.mkdirSync(path.join(scratch, UFO_ROLES), { recursive: true });
    fs.copyFileSync(workspaceUri('.ufo/settings.yml').fsPath, path.join(scratch, '.ufo/settings.yml'));
    for (const f of ROLE_FILES) fs.copyFileSync(workspaceUri(`${PRECREATED_ROLES}/${f}`).fsPath, path.join(scratch, UFO_ROLES, f));
    const compiled = compiledRoles(scratch);
    fs.rmSync(scratch, { recursive: true, force: true });
    assert.equal(JSON.stringify(compiledRoles()), '{}', 'with the files in the pre-created folder UFO builds no role');
    for (const [logicalId, live] of [['TaskRole', task], ['ExecutionRole', execution]] as const) {
      const want = compiled[logicalId].Properties;
      assert.deepEqual(live.trustPolicy, want.AssumeRolePolicyDocument, `${logicalId} trust policy`);
      assert.deepEqual(live.inline, Object.fromEntries((want.Policies ?? []).map((p) => [p.PolicyName, p.PolicyDocument])), `${logicalId} inline policies`);
      assert.deepEqual(live.attached, want.ManagedPolicyArns ?? [], `${logicalId} managed policies`);
    }
    assert.deepEqual(Object.keys(task.inline), ['CloudwatchWrite', 'EcsExecuteCommand', 'S3ReadUploads']);
    assert.equal(execution.attached.length, 3);
    // The runner's dummy key signed every request: the extension host reached only the emulator.
    assert.deepEqual([...new Set(state.requests.map((r) => r.accessKeyId))], ['AKIAUFOIAME2ETEST000']);

    // A second apply finds nothing to do and asks nothing.
    const againStarted = Date.now();
    const again = await run<ApplyOutcome>('ufoIam.applyRoles', 'Apply');
    const againSeconds = seconds(againStarted);
    assert.equal(again.status, 'noChanges', JSON.stringify(again, null, 2));
    assert.equal(again.prompts.filter((p) => p.modal).length, 0);
    assert.match(again.prompts[0].message, new RegExp(`no changes\\. The IAM roles in account ${ACCOUNT}, region us-east-1 already match`));
    assert.equal(writes(await emulator<EmulatorState>('state')).length, writes(state).length);

    // The live ARNs go into the template as an undoable edit; every other byte stays.
    const original = Buffer.from(await vscode.workspace.fs.readFile(workspaceUri(TEMPLATE))).toString('utf8');
    const arnsStarted = Date.now();
    const updated = await run<UpdateOutcome>('ufoIam.updateTaskDefinitionArns', '');
    const arnsSeconds = seconds(arnsStarted);
    assert.equal(updated.status, 'updated', JSON.stringify(updated, null, 2));
    assert.equal(updated.file, TEMPLATE);
    assert.deepEqual(updated.values, { taskRoleArn: task.arn, executionRoleArn: execution.arn });
    assert.equal(task.arn, `arn:aws:iam::${ACCOUNT}:role/${taskRole.roleName}`);
    const family = '  "family": "<%= @family %>",\n';
    assert.ok(original.includes(family), 'the demo template starts with family');
    const expected = original.replace(family, `${family}  "taskRoleArn": "${task.arn}",\n  "executionRoleArn": "${execution.arn}",\n`);
    const doc = await waitFor('the template with the new ARNs', () => {
      const d = vscode.workspace.textDocuments.find((t) => t.uri.toString() === workspaceUri(TEMPLATE).toString());
      return d && d.getText() === expected ? d : undefined;
    }, { describe: () => vscode.workspace.textDocuments.find((t) => t.uri.path.endsWith('main.json.erb'))?.getText().slice(0, 300) ?? 'not open' });
    assert.ok(doc.isDirty, 'the edit is left for the user to save');
    // UFO builds no role from the pre-created folder, so these ARNs are the ones the task uses: nothing to warn about.
    assert.deepEqual(updated.notes, []);

    // Undo reverts it.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore the template', () => doc.getText() === original);
    console.log(`      timings: plan+modal+apply ${applySeconds}, second apply (no changes) ${againSeconds}, ARN update ${arnsSeconds}`);
  });

  it('leaves a role without the managed-by tag alone unless "Adopt and Apply" is chosen', async () => {
    // Dismissing the modal applies nothing (and tells us the role names).
    const dismissed = await run<ApplyOutcome>('ufoIam.applyRoles', '');
    assert.equal(dismissed.status, 'cancelled', JSON.stringify(dismissed, null, 2));
    const untouched = await emulator<EmulatorState>('state');
    assert.deepEqual(untouched.roles, []);
    assert.deepEqual(writes(untouched), []);
    const taskRole = dismissed.roles!.find((r) => r.logicalId === 'TaskRole')!.roleName;

    await emulator('seed-role', { roleName: taskRole, inline: { Legacy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } } });
    const notAdopted = await run<ApplyOutcome>('ufoIam.applyRoles', 'Apply');
    assert.equal(notAdopted.status, 'cancelled', JSON.stringify(notAdopted, null, 2));
    const modal = notAdopted.prompts.find((p) => p.modal)!;
    assert.deepEqual(modal.buttons, ['Adopt and Apply'], 'plain "Apply" is not offered: the plan without adoption cannot be applied');
    // The counts are those of the adoption: create the execution role (1 + 3 attachments), tag the task
    // role, put its three inline policies and delete the one it had.
    assert.match(modal.message, new RegExp(`^Adopt and apply 9 IAM changes to pre-created roles ${taskRole} and \\S+-ExecutionRole in AWS account ${ACCOUNT}, region us-east-1\\?$`));
    assert.match(modal.detail ?? '', /^Plan with adoption: 7 to add, 1 to change, 1 to remove \(1 role to create, 1 role to adopt, 3 inline policies to put, 1 inline policy to delete, 3 managed policies to attach\)\.$/m);
    assert.match(modal.detail ?? '', new RegExp(`${taskRole} exists without the managed-by=ufo-iam tag; ufo-iam never changes such a role unless you adopt it\\.`));
    assert.equal(notAdopted.roles!.find((r) => r.logicalId === 'TaskRole')!.status, 'blocked');
    assert.deepEqual(writes(await emulator<EmulatorState>('state')), []);

    const adopted = await run<ApplyOutcome>('ufoIam.applyRoles', 'Adopt and Apply');
    assert.equal(adopted.status, 'applied', JSON.stringify(adopted, null, 2));
    assert.equal(adopted.adopted, true);
    const role = (await emulator<EmulatorState>('state')).roles.find((r) => r.roleName === taskRole)!;
    assert.deepEqual(role.tags, { 'managed-by': 'ufo-iam' });
    assert.deepEqual(Object.keys(role.inline), ['CloudwatchWrite', 'EcsExecuteCommand', 'S3ReadUploads']);
  });

  it('plans from saved files: unsaved role edits are saved first when the user agrees', async () => {
    const doc = await openDocument(`${PRECREATED_ROLES}/task_role.rb`);
    const original = doc.getText();
    try {
      await vscode.window.activeTextEditor!.edit((e) => e.insert(doc.positionAt(original.length), '\nmanaged_iam_policy("AmazonSQSReadOnlyAccess")\n'));
      assert.ok(doc.isDirty);
      // "Save and Plan" is the only answer given, so the apply modal that follows is dismissed.
      const outcome = await run<ApplyOutcome>('ufoIam.applyRoles', 'Save and Plan', doc.uri);
      assert.equal(outcome.status, 'cancelled', JSON.stringify(outcome, null, 2));
      const [save, confirm] = outcome.prompts.filter((p) => p.modal);
      assert.equal(save.message, 'Save the role files before planning?');
      assert.match(save.detail ?? '', /^\.ufo\/precreated_iam_roles\/task_role\.rb has unsaved changes\. Plans are made from the saved role files/);
      assert.equal(save.answer, 'Save and Plan');
      assert.equal(doc.isDirty, false, 'the role file was saved');
      assert.match(confirm.detail ?? '', /4 managed policies to attach/, 'the plan includes the saved edit');
      assert.equal(confirm.answer, undefined);
      assert.deepEqual(writes(await emulator<EmulatorState>('state')), []);
    } finally {
      await vscode.workspace.fs.writeFile(doc.uri, Buffer.from(original));
      await waitFor('the role file to be restored', () => doc.getText() === original);
    }
  });

  it('keeps unsaved role edits unsaved, and plans nothing, when the save is declined', async () => {
    const doc = await openDocument(`${PRECREATED_ROLES}/task_role.rb`);
    await appendText(doc, 'managed_iam_policy("AmazonSQSReadOnlyAccess")');
    const outcome = await run<ApplyOutcome>('ufoIam.applyRoles', '', doc.uri);
    assert.equal(outcome.status, 'unsaved', JSON.stringify(outcome, null, 2));
    assert.ok(doc.isDirty, 'the file was not saved behind the user\'s back');
    assert.deepEqual((await emulator<EmulatorState>('state')).roles, []);
  });

  it('refuses a role file with errors, with the reason, from the editor title path', async () => {
    const doc = await openDocument(`${PRECREATED_ROLES}/task_role.rb`);
    const original = doc.getText();
    try {
      await vscode.workspace.fs.writeFile(doc.uri, Buffer.from('iam_policy("Broken")\n'));
      await waitFor('the editor to reload the file', () => doc.getText().startsWith('iam_policy("Broken")'));
      const outcome = await run<ApplyOutcome>('ufoIam.applyRoles', 'Apply', doc.uri);
      assert.equal(outcome.status, 'blocked', JSON.stringify(outcome, null, 2));
      assert.match(outcome.message ?? '', /\.ufo\/precreated_iam_roles\/task_role\.rb:1:1: .+\[DSL_ARITY\]/);
      assert.equal(outcome.prompts.filter((p) => p.modal).length, 0);
      assert.deepEqual(writes(await emulator<EmulatorState>('state')), []);
    } finally {
      await vscode.workspace.fs.writeFile(doc.uri, Buffer.from(original));
    }
  });
});
