// Plan and apply against the IAM emulator through the real @aws-sdk/client-iam.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan, type ApplyProgress } from '../../server/src/aws/apply';
import { planRoles, MANAGED_TAG, type DesiredRoleInput, type PlanInput } from '../../server/src/aws/plan';
import { openAwsSession } from '../../server/src/aws/session';
import { MUTATING_ACTIONS, type IamEndpoint } from '../support/iamEndpoint';
import { emulatorOptions, isolateAwsEnvironment, ufoRoleResource, withEmulator } from '../support/iamTestEnv';

let env: ReturnType<typeof isolateAwsEnvironment>;
before(() => (env = isolateAwsEnvironment()));
after(() => env.restore());

const TASK = 'demo-web-dev-TaskRole';
const EXEC = 'demo-web-dev-ExecutionRole';
const ECS_EXEC = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

/** The roles `ufo init` generates in v6 (docs/ufo-semantics.md §12, "Starter role files"). */
function starterRoles(overrides: { taskStatements?: unknown[]; execManaged?: string[] } = {}): DesiredRoleInput[] {
  return [
    {
      logicalId: 'TaskRole',
      roleName: TASK,
      file: '.ufo/resources/iam_roles/task_role.rb',
      resource: ufoRoleResource({
        policies: [
          [
            'EcsExecuteCommand',
            overrides.taskStatements ?? [
              {
                Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
                Effect: 'Allow',
                Resource: '*',
              },
            ],
          ],
        ],
      }),
    },
    {
      logicalId: 'ExecutionRole',
      roleName: EXEC,
      file: '.ufo/resources/iam_roles/execution_role.rb',
      resource: ufoRoleResource({
        policies: [
          ['SsmParameterStore', [{ Action: ['ssm:GetParameters'], Effect: 'Allow', Resource: '*' }]],
          ['SecretsManager', [{ Action: ['secretsmanager:GetSecretValue'], Effect: 'Allow', Resource: '*' }]],
        ],
        managed: overrides.execManaged ?? ['service-role/AmazonECSTaskExecutionRolePolicy'],
      }),
    },
  ];
}

const PRECREATED: PlanInput['model'] = { kind: 'precreated', folder: '.ufo/precreated_iam_roles', nameTemplate: '{app}-{role}-{env}-{logicalId}' };
const input = (roles: DesiredRoleInput[], extra: Partial<PlanInput> = {}): PlanInput => ({ model: PRECREATED, roles, blockers: [], ...extra });

/** The mutating IAM actions the emulator received from `since` on, in order. */
const writesSince = (endpoint: IamEndpoint, since: number): string[] =>
  endpoint.requests.slice(since).filter((r) => MUTATING_ACTIONS.has(r.action)).map((r) => r.action);

describe('apply', () => {
  test('creates both roles from nothing, in the documented order, with progress per step', () =>
    withEmulator(async ({ endpoint, session }) => {
      const plan = await planRoles(input(starterRoles()), session);
      assert.equal(plan.account, '123456789012');
      assert.equal(plan.region, 'us-east-1');
      assert.deepEqual(
        plan.roles.map((r) => [r.roleName, r.status, r.exists]),
        [
          [TASK, 'create', false],
          [EXEC, 'create', false],
        ],
      );
      assert.deepEqual(
        plan.steps.map((s) => s.id),
        [
          `createRole:${TASK}`,
          `createRole:${EXEC}`,
          `putPolicy:${TASK}:EcsExecuteCommand`,
          `putPolicy:${EXEC}:SsmParameterStore`,
          `putPolicy:${EXEC}:SecretsManager`,
          `attachPolicy:${EXEC}:${ECS_EXEC}`,
        ],
      );
      assert.deepEqual([plan.counts.add, plan.counts.change, plan.counts.remove, plan.counts.total], [6, 0, 0, 6]);
      assert.equal(plan.roles[0].diff.live, '');
      assert.match(plan.roles[0].diff.desired, /"PolicyName": "EcsExecuteCommand"/);

      const events: ApplyProgress[] = [];
      const mark = endpoint.requests.length;
      const result = await applyPlan(plan, session, { onProgress: (e) => events.push(e) });
      assert.equal(result.status, 'applied', result.message);
      assert.equal(result.done.length, 6);
      assert.deepEqual(result.remaining, []);
      assert.deepEqual(writesSince(endpoint, mark), ['CreateRole', 'CreateRole', 'PutRolePolicy', 'PutRolePolicy', 'PutRolePolicy', 'AttachRolePolicy']);
      assert.deepEqual(
        events.map((e) => `${e.index}:${e.state}`),
        ['0:started', '0:succeeded', '1:started', '1:succeeded', '2:started', '2:succeeded', '3:started', '3:succeeded', '4:started', '4:succeeded', '5:started', '5:succeeded'],
      );
      assert.equal(events[0].message, `[1/6] Create role ${TASK} (TaskRole) with the trust policy and tag managed-by=ufo-iam`);

      const exec = endpoint.state.snapshot(EXEC)!;
      assert.deepEqual(exec.tags, { [MANAGED_TAG.Key]: MANAGED_TAG.Value });
      assert.deepEqual(exec.attached, [ECS_EXEC]);
      assert.deepEqual(Object.keys(exec.inline), ['SsmParameterStore', 'SecretsManager']);
      assert.deepEqual(exec.inline.SecretsManager, {
        Version: '2012-10-17',
        Statement: [{ Action: ['secretsmanager:GetSecretValue'], Effect: 'Allow', Resource: '*' }],
      });
      assert.deepEqual(endpoint.state.snapshot(TASK)!.trustPolicy, (starterRoles()[0].resource as any).Properties.AssumeRolePolicyDocument);
    }));

  test('a second apply after success reports no changes and writes nothing', () =>
    withEmulator(async ({ endpoint, session }) => {
      assert.equal((await applyPlan(await planRoles(input(starterRoles()), session), session)).status, 'applied');
      const mark = endpoint.requests.length;
      const again = await planRoles(input(starterRoles()), session);
      assert.equal(again.hasChanges, false);
      assert.deepEqual(again.roles.map((r) => r.status), ['unchanged', 'unchanged']);
      // The diff editor shows identical documents on both sides.
      for (const r of again.roles) assert.equal(r.diff.live, r.diff.desired);
      const result = await applyPlan(again, session);
      assert.equal(result.status, 'noChanges');
      assert.match(result.message, /No changes/);
      assert.deepEqual(writesSince(endpoint, mark), []);
    }));

  test('changing one statement puts exactly that one policy and nothing else', () =>
    withEmulator(async ({ endpoint, session }) => {
      await applyPlan(await planRoles(input(starterRoles()), session), session);
      const changed = starterRoles({
        taskStatements: [{ Action: ['ssmmessages:CreateControlChannel'], Effect: 'Allow', Resource: '*' }],
      });
      const plan = await planRoles(input(changed), session);
      assert.deepEqual(
        plan.steps.map((s) => s.id),
        [`putPolicy:${TASK}:EcsExecuteCommand`],
      );
      assert.deepEqual([plan.counts.add, plan.counts.change, plan.counts.remove], [0, 1, 0]);
      assert.deepEqual(plan.roles.map((r) => r.status), ['update', 'unchanged']);
      const mark = endpoint.requests.length;
      const result = await applyPlan(plan, session);
      assert.equal(result.status, 'applied');
      assert.deepEqual(writesSince(endpoint, mark), ['PutRolePolicy']);
      assert.deepEqual((endpoint.state.snapshot(TASK)!.inline.EcsExecuteCommand as any).Statement[0].Action, ['ssmmessages:CreateControlChannel']);
    }));

  test('removing a managed policy detaches exactly that one', () =>
    withEmulator(async ({ endpoint, session }) => {
      await applyPlan(await planRoles(input(starterRoles()), session), session);
      const plan = await planRoles(input(starterRoles({ execManaged: [] })), session);
      assert.deepEqual(plan.steps.map((s) => s.kind), ['detachPolicy']);
      assert.deepEqual([plan.counts.add, plan.counts.change, plan.counts.remove], [0, 0, 1]);
      const mark = endpoint.requests.length;
      assert.equal((await applyPlan(plan, session)).status, 'applied');
      assert.deepEqual(writesSince(endpoint, mark), ['DetachRolePolicy']);
      assert.deepEqual(endpoint.state.snapshot(EXEC)!.attached, []);
    }));

  test('an AccessDenied in the middle stops there, reports done and remaining, and a re-run finishes', () =>
    withEmulator(async ({ endpoint, session }) => {
      endpoint.inject({ action: 'PutRolePolicy', error: 'AccessDenied', roleName: EXEC, times: 1 });
      const plan = await planRoles(input(starterRoles()), session);
      const events: ApplyProgress[] = [];
      const result = await applyPlan(plan, session, { onProgress: (e) => events.push(e) });
      assert.equal(result.status, 'failed');
      assert.deepEqual(
        result.done.map((s) => s.id),
        [`createRole:${TASK}`, `createRole:${EXEC}`, `putPolicy:${TASK}:EcsExecuteCommand`],
      );
      assert.deepEqual(
        result.remaining.map((s) => s.id),
        [`putPolicy:${EXEC}:SsmParameterStore`, `putPolicy:${EXEC}:SecretsManager`, `attachPolicy:${EXEC}:${ECS_EXEC}`],
      );
      assert.equal(result.failed!.step.id, `putPolicy:${EXEC}:SsmParameterStore`);
      assert.equal(result.failed!.error.code, 'AccessDenied');
      assert.equal(result.failed!.error.details.missingPermission, 'iam:PutRolePolicy');
      assert.match(result.failed!.error.explanation, /lack the permission iam:PutRolePolicy on role demo-web-dev-ExecutionRole/);
      assert.match(result.message, /Apply stopped at step 4 of 6/);
      assert.match(result.message, /Done \(3\):/);
      assert.match(result.message, /Not done \(3\):\n {2}- Add inline policy "SsmParameterStore"/);
      assert.deepEqual(events.at(-1)!.state, 'failed');
      // Nothing after the failure was attempted.
      assert.deepEqual(endpoint.state.snapshot(EXEC)!.attached, []);

      const rerun = await planRoles(input(starterRoles()), session);
      assert.deepEqual(
        rerun.steps.map((s) => s.id),
        result.remaining.map((s) => s.id),
      );
      const finished = await applyPlan(rerun, session);
      assert.equal(finished.status, 'applied');
      assert.equal((await planRoles(input(starterRoles()), session)).hasChanges, false);
    }));

  test('LimitExceeded at the managed-policy quota is explained; after making room a re-run completes', () =>
    withEmulator(async ({ endpoint, session }) => {
      const ten = [
        'AmazonS3ReadOnlyAccess',
        'AmazonEC2ReadOnlyAccess',
        'AmazonSSMReadOnlyAccess',
        'AmazonDynamoDBReadOnlyAccess',
        'AmazonSQSReadOnlyAccess',
        'AmazonSNSReadOnlyAccess',
        'CloudWatchReadOnlyAccess',
        'AmazonRDSReadOnlyAccess',
        'AWSLambda_ReadOnlyAccess',
        'service-role/AmazonECSTaskExecutionRolePolicy',
      ].map((n) => `arn:aws:iam::aws:policy/${n}`);
      const desired = [...ten.slice(1), 'arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess'];
      endpoint.state.seedRole({ roleName: EXEC, tags: { 'managed-by': 'ufo-iam' }, attached: ten });
      const role: DesiredRoleInput = { logicalId: 'ExecutionRole', roleName: EXEC, resource: ufoRoleResource({ managed: desired }) };
      const plan = await planRoles(input([role]), session);
      assert.deepEqual(plan.steps.map((s) => s.kind), ['attachPolicy', 'detachPolicy']);
      const result = await applyPlan(plan, session);
      assert.equal(result.status, 'failed');
      assert.equal(result.failed!.error.code, 'LimitExceeded');
      assert.match(result.failed!.error.explanation, /more managed policies than IAM allows/);
      assert.match(result.failed!.error.explanation, /attaches new policies before detaching/);
      assert.deepEqual(result.done, []);
      assert.deepEqual(result.remaining.map((s) => s.kind), ['attachPolicy', 'detachPolicy']);
      assert.match(result.message, /Nothing was changed before the failure/);

      // The explanation's advice: detach the outgoing policy by hand, then apply again.
      endpoint.state.findRole(EXEC)!.attached.delete(ten[0]);
      const rerun = await planRoles(input([role]), session);
      assert.deepEqual(rerun.steps.map((s) => s.kind), ['attachPolicy']);
      assert.equal((await applyPlan(rerun, session)).status, 'applied');
      assert.deepEqual(endpoint.state.snapshot(EXEC)!.attached.sort(), [...desired].sort());
    }));

  test('the 10,240-character inline quota is explained', () =>
    withEmulator(async ({ session }) => {
      const resources = Array.from({ length: 260 }, (_, i) => `arn:aws:s3:::ufo-iam-test-bucket-${String(i).padStart(4, '0')}/*`);
      const role: DesiredRoleInput = {
        logicalId: 'TaskRole',
        roleName: TASK,
        resource: ufoRoleResource({ policies: [['Big', [{ Action: ['s3:GetObject'], Effect: 'Allow', Resource: resources }]]] }),
      };
      const result = await applyPlan(await planRoles(input([role]), session), session);
      assert.equal(result.status, 'failed');
      assert.equal(result.failed!.error.code, 'LimitExceeded');
      assert.match(result.failed!.error.explanation, /10,240 characters/);
      assert.deepEqual(result.done.map((s) => s.kind), ['createRole']);
    }));

  test('an unknown managed policy ARN fails with NoSuchEntity and says to check the name', () =>
    withEmulator(async ({ session }) => {
      const role: DesiredRoleInput = { logicalId: 'ExecutionRole', roleName: EXEC, resource: ufoRoleResource({ managed: ['AmazonECSTaskExecutionRolePolicy'] }) };
      const result = await applyPlan(await planRoles(input([role]), session), session);
      assert.equal(result.status, 'failed');
      assert.equal(result.failed!.error.code, 'NoSuchEntity');
      assert.match(result.failed!.error.explanation, /no attachable managed policy arn:aws:iam::aws:policy\/AmazonECSTaskExecutionRolePolicy/);
      assert.match(result.failed!.error.explanation, /service-role\/AmazonECSTaskExecutionRolePolicy/);
    }));

  test('MalformedPolicyDocument is explained', () =>
    withEmulator(async ({ session }) => {
      const role: DesiredRoleInput = {
        logicalId: 'TaskRole',
        roleName: TASK,
        // A lowercase key is passed through by UFO verbatim (docs/ufo-semantics.md §3) and rejected by IAM.
        resource: ufoRoleResource({ policies: [['Typo', [{ action: ['s3:GetObject'], Effect: 'Allow', Resource: '*' }]]] }),
      };
      const result = await applyPlan(await planRoles(input([role]), session), session);
      assert.equal(result.failed!.error.code, 'MalformedPolicyDocument');
      assert.match(result.failed!.error.awsMessage, /must contain actions/);
      assert.match(result.failed!.error.explanation, /inline policy "Typo" of role demo-web-dev-TaskRole/);
    }));

  test('an existing role without our tag is never modified unless adopted', () =>
    withEmulator(async ({ endpoint, session }) => {
      endpoint.state.seedRole({ roleName: TASK, tags: { team: 'platform' }, inline: { Legacy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } } });
      const roles = starterRoles().slice(0, 1);
      const plan = await planRoles(input(roles), session);
      assert.equal(plan.canApply, false);
      assert.equal(plan.roles[0].status, 'blocked');
      assert.deepEqual(plan.steps, []);
      assert.deepEqual(plan.roles[0].blockedSteps.map((s) => s.kind), ['tagRole', 'putPolicy', 'deletePolicy']);
      assert.deepEqual(plan.errors.map((e) => e.code), ['UNMANAGED_ROLE']);
      assert.match(plan.errors[0].message, /has no managed-by=ufo-iam tag/);
      const mark = endpoint.requests.length;
      const refused = await applyPlan(plan, session);
      assert.equal(refused.status, 'refused');
      assert.match(refused.message, /has no managed-by=ufo-iam tag/);
      assert.deepEqual(writesSince(endpoint, mark), []);
      assert.deepEqual(Object.keys(endpoint.state.snapshot(TASK)!.inline), ['Legacy']);

      const adopted = await planRoles(input(roles, { adopt: true }), session);
      assert.equal(adopted.canApply, true);
      assert.deepEqual(adopted.steps.map((s) => s.kind), ['tagRole', 'putPolicy', 'deletePolicy']);
      assert.equal((await applyPlan(adopted, session)).status, 'applied');
      const snap = endpoint.state.snapshot(TASK)!;
      assert.deepEqual(snap.tags, { team: 'platform', 'managed-by': 'ufo-iam' });
      assert.deepEqual(Object.keys(snap.inline), ['EcsExecuteCommand']);
      // Once tagged, the role is ours: no adoption needed any more.
      const later = await planRoles(input(roles), session);
      assert.equal(later.hasChanges, false);
      assert.equal(later.canApply, true);
    }));

  test('an untagged role that already matches is left alone with a warning', () =>
    withEmulator(async ({ endpoint, session }) => {
      const [task] = starterRoles();
      const props = (task.resource as any).Properties;
      endpoint.state.seedRole({ roleName: TASK, inline: { EcsExecuteCommand: props.Policies[0].PolicyDocument } });
      const plan = await planRoles(input([task]), session);
      assert.equal(plan.hasChanges, false);
      assert.equal(plan.canApply, true);
      assert.deepEqual(plan.warnings.map((w) => w.code), ['UNMANAGED_ROLE_MATCHES']);
    }));

  test('roles are never deleted: a role the project no longer builds stays', () =>
    withEmulator(async ({ endpoint, session }) => {
      await applyPlan(await planRoles(input(starterRoles()), session), session);
      const plan = await planRoles(input(starterRoles().slice(0, 1)), session);
      assert.equal(plan.hasChanges, false);
      assert.ok(endpoint.state.findRole(EXEC));
      assert.ok(!endpoint.requests.some((r) => r.action === 'DeleteRole'));
    }));

  test('a changed trust policy is updated right after creates, before policy changes', () =>
    withEmulator(async ({ endpoint, session }) => {
      endpoint.state.seedRole({
        roleName: EXEC,
        tags: { 'managed-by': 'ufo-iam' },
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        inline: { Old: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } },
        attached: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
      });
      const plan = await planRoles(input(starterRoles()), session);
      assert.deepEqual(
        plan.steps.map((s) => `${s.kind}:${s.roleName === TASK ? 'task' : 'exec'}`),
        [
          'createRole:task',
          'updateTrustPolicy:exec',
          'putPolicy:task',
          'putPolicy:exec',
          'putPolicy:exec',
          'attachPolicy:exec',
          'detachPolicy:exec',
          'deletePolicy:exec',
        ],
      );
      const mark = endpoint.requests.length;
      assert.equal((await applyPlan(plan, session)).status, 'applied');
      assert.deepEqual(writesSince(endpoint, mark), [
        'CreateRole',
        'UpdateAssumeRolePolicy',
        'PutRolePolicy',
        'PutRolePolicy',
        'PutRolePolicy',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'DeleteRolePolicy',
      ]);
      assert.equal((await planRoles(input(starterRoles()), session)).hasChanges, false);
    }));

  test('apply refuses input with blocking problems, and says which', () =>
    withEmulator(async ({ endpoint, session }) => {
      const plan = await planRoles(
        input(starterRoles(), {
          blockers: [{ code: 'DYNAMIC_VALUE', message: 'Resource is computed at run time', file: '.ufo/resources/iam_roles/task_role.rb', line: 3, column: 12 }],
        }),
        session,
      );
      assert.equal(plan.canApply, false);
      assert.equal(plan.hasChanges, true);
      const result = await applyPlan(plan, session);
      assert.equal(result.status, 'refused');
      assert.match(result.message, /task_role\.rb:3:12: Resource is computed at run time/);
      assert.equal(result.remaining.length, plan.steps.length);
      assert.ok(!endpoint.requests.some((r) => MUTATING_ACTIONS.has(r.action)));
    }));

  test('apply refuses a plan that is out of date', () =>
    withEmulator(async ({ endpoint, session }) => {
      const plan = await planRoles(input(starterRoles()), session);
      endpoint.state.seedRole({ roleName: TASK, tags: { 'managed-by': 'ufo-iam' } });
      const result = await applyPlan(plan, session);
      assert.equal(result.status, 'stale');
      assert.ok(result.currentPlan);
      assert.ok(!endpoint.requests.some((r) => MUTATING_ACTIONS.has(r.action)));
    }));

  test('throttled calls are retried by the SDK', () =>
    withEmulator(
      async ({ endpoint, session }) => {
        endpoint.inject({ action: 'PutRolePolicy', error: 'Throttling', times: 2 });
        const result = await applyPlan(await planRoles(input(starterRoles().slice(0, 1)), session), session);
        assert.equal(result.status, 'applied', result.message);
        const puts = endpoint.requests.filter((r) => r.action === 'PutRolePolicy');
        assert.deepEqual(puts.map((r) => r.status), [400, 400, 200]);
        assert.deepEqual(puts.map((r) => r.errorCode), ['Throttling', 'Throttling', undefined]);
      },
      { session: { maxAttempts: 3 } },
    ));

  test('throttling that outlasts the retries is explained', () =>
    withEmulator(async ({ endpoint, session }) => {
      endpoint.inject({ action: 'CreateRole', error: 'Throttling', times: Infinity });
      const result = await applyPlan(await planRoles(input(starterRoles().slice(0, 1)), session), session);
      assert.equal(result.failed!.error.code, 'Throttling');
      assert.match(result.failed!.error.explanation, /throttling CreateRole/);
    }));

  test('a 5xx is retried by the default strategy', async () => {
    await withEmulator(async ({ endpoint }) => {
      const session = await openAwsSession(emulatorOptions(endpoint, { maxAttempts: undefined }));
      try {
        endpoint.inject({ action: 'GetRole', error: 'ServiceFailure', times: 1 });
        const plan = await planRoles(input(starterRoles().slice(0, 1)), session);
        assert.equal(plan.roles[0].status, 'create');
        assert.deepEqual(endpoint.requests.filter((r) => r.action === 'GetRole').map((r) => r.status), [500, 404]);
      } finally {
        session.close();
      }
    });
  });
});
