// Planning against the IAM emulator: live reads across pages, URL-encoded documents, semantic comparison,
// desired-state errors, and the text/JSON renderings.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan } from '../../server/src/aws/apply';
import { planRoles, type DesiredRoleInput, type PlanInput } from '../../server/src/aws/plan';
import { renderPlanJson, renderPlanText } from '../../server/src/aws/renderPlan';
import { isolateAwsEnvironment, ufoRoleResource, withEmulator, UFO_TRUST_POLICY } from '../support/iamTestEnv';

let env: ReturnType<typeof isolateAwsEnvironment>;
before(() => (env = isolateAwsEnvironment()));
after(() => env.restore());

const TASK = 'demo-web-dev-TaskRole';
const PRECREATED: PlanInput['model'] = { kind: 'precreated', folder: '.ufo/precreated_iam_roles', nameTemplate: '{app}-{role}-{env}-{logicalId}' };
const input = (roles: DesiredRoleInput[], extra: Partial<PlanInput> = {}): PlanInput => ({ model: PRECREATED, roles, blockers: [], ...extra });
const doc = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });

describe('plan', () => {
  test('reads every page of tags, inline and managed policies (page size 1)', () =>
    withEmulator(
      async ({ endpoint, session }) => {
        const inline = {
          A: doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }),
          B: doc({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '*' }),
          C: doc({ Effect: 'Allow', Action: ['sns:Publish'], Resource: '*' }),
        };
        const managed = ['AmazonS3ReadOnlyAccess', 'AmazonSQSReadOnlyAccess', 'AmazonSNSReadOnlyAccess'].map((n) => `arn:aws:iam::aws:policy/${n}`);
        // Our tag is on the last page of tags, so a reader that stops early would call the role unmanaged.
        endpoint.state.seedRole({ roleName: TASK, tags: { team: 'a', cost: 'b', 'managed-by': 'ufo-iam' }, inline, attached: managed });
        const same: DesiredRoleInput = {
          logicalId: 'TaskRole',
          roleName: TASK,
          resource: ufoRoleResource({ policies: Object.entries(inline).map(([n, d]) => [n, d.Statement]), managed }),
        };
        const plan = await planRoles(input([same]), session);
        assert.deepEqual(plan.errors, []);
        assert.equal(plan.hasChanges, false, renderPlanText(plan));
        assert.equal(plan.roles[0].managed, true);
        for (const action of ['ListRoleTags', 'ListRolePolicies', 'ListAttachedRolePolicies']) {
          const calls = endpoint.requests.filter((r) => r.action === action);
          assert.equal(calls.length, 3, action);
          assert.equal(calls[0].params.Marker, undefined);
          assert.ok(calls[1].params.Marker && calls[2].params.Marker && calls[1].params.Marker !== calls[2].params.Marker);
        }

        // Dropping the policies on the last pages plans their removal.
        const fewer: DesiredRoleInput = {
          ...same,
          resource: ufoRoleResource({ policies: [['A', inline.A.Statement]], managed: managed.slice(0, 1) }),
        };
        const p2 = await planRoles(input([fewer]), session);
        assert.deepEqual(
          p2.steps.map((s) => s.id),
          [`detachPolicy:${TASK}:${managed[1]}`, `detachPolicy:${TASK}:${managed[2]}`, `deletePolicy:${TASK}:B`, `deletePolicy:${TASK}:C`],
        );
      },
      { endpoint: { pageSize: 1 } },
    ));

  test('documents with characters that need URL-encoding round-trip without a diff', () =>
    withEmulator(async ({ endpoint, session }) => {
      const statements = [
        {
          Sid: 'Odd',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: ['arn:aws:s3:::bucket/a b+c%20d&e=f?g#h', 'arn:aws:s3:::bücket/ß/日本/🚀/"quoted"/<tag>'],
          Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*', '100%'] } },
        },
      ];
      const role: DesiredRoleInput = { logicalId: 'TaskRole', roleName: TASK, resource: ufoRoleResource({ policies: [['Odd', statements]] }) };
      assert.equal((await applyPlan(await planRoles(input([role]), session), session)).status, 'applied');
      // IAM (and the emulator) answer with the document URL-encoded.
      const { IAMClient, GetRolePolicyCommand } = await import('@aws-sdk/client-iam');
      const raw = new IAMClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAUFOIAMFAKEKEY001', secretAccessKey: 'x' } });
      const out = await raw.send(new GetRolePolicyCommand({ RoleName: TASK, PolicyName: 'Odd' }));
      raw.destroy();
      assert.match(out.PolicyDocument!, /^%7B%22Version%22/);
      assert.ok(!out.PolicyDocument!.includes('"'));
      const again = await planRoles(input([role]), session);
      assert.equal(again.hasChanges, false);
      assert.deepEqual(endpoint.state.snapshot(TASK)!.inline.Odd, doc(...statements));
    }));

  test('comparison ignores key order and whitespace but not array-vs-string or scalar types', () =>
    withEmulator(async ({ endpoint, session }) => {
      endpoint.state.seedRole({
        roleName: TASK,
        tags: { 'managed-by': 'ufo-iam' },
        // Same content as desired below, different key order and pretty-printed.
        trustPolicy: JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Effect: 'Allow' }], Version: '2012-10-17' }, null, 4),
        inline: {
          Reordered: JSON.stringify({ Statement: [{ Resource: '*', Effect: 'Allow', Action: ['s3:GetObject'] }], Version: '2012-10-17' }, null, 2),
          StringAction: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }),
          BoolAsString: doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
        },
      });
      const role: DesiredRoleInput = {
        logicalId: 'TaskRole',
        roleName: TASK,
        resource: ufoRoleResource({
          policies: [
            ['Reordered', [{ Action: ['s3:GetObject'], Effect: 'Allow', Resource: '*' }]],
            ['StringAction', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }]],
            ['BoolAsString', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': true } } }]],
          ],
        }),
      };
      const plan = await planRoles(input([role]), session);
      assert.deepEqual(
        plan.steps.map((s) => s.id),
        [`putPolicy:${TASK}:StringAction`, `putPolicy:${TASK}:BoolAsString`],
      );
      // The diff view shows live keys in the desired order, so only the real differences stand out.
      const live = JSON.parse(plan.roles[0].diff.live);
      assert.deepEqual(Object.keys(live.AssumeRolePolicyDocument), ['Version', 'Statement']);
      assert.deepEqual(Object.keys(live.Policies[0].PolicyDocument.Statement[0]), ['Action', 'Effect', 'Resource']);
      assert.equal((await applyPlan(plan, session)).status, 'applied');
      assert.equal((await planRoles(input([role]), session)).hasChanges, false);
    }));

  test('two inline policies with the same name are a plan error, never merged', () =>
    withEmulator(async ({ endpoint, session }) => {
      // docs/ufo-semantics.md §6: the builder spec registers CloudwatchWrite twice; with different statements UFO emits both.
      const role: DesiredRoleInput = {
        logicalId: 'TaskRole',
        roleName: TASK,
        file: '.ufo/iam_roles/task_role.rb',
        resource: ufoRoleResource({
          policies: [
            ['CloudwatchWrite', [{ Action: ['cloudwatch:PutMetricData'], Effect: 'Allow', Resource: '*' }]],
            ['CloudwatchWrite', [{ Action: ['logs:PutLogEvents'], Effect: 'Allow', Resource: '*' }]],
          ],
        }),
      };
      const plan = await planRoles(input([role]), session);
      assert.equal(plan.canApply, false);
      assert.deepEqual(plan.errors.map((e) => e.code), ['DUPLICATE_INLINE_POLICY_NAME']);
      assert.match(plan.errors[0].message, /two inline policies named "CloudwatchWrite" \(entries 1 and 2\)/);
      assert.equal(plan.errors[0].file, '.ufo/iam_roles/task_role.rb');
      assert.equal(plan.roles[0].status, 'invalid');
      // The desired side still shows both entries as compiled.
      assert.equal(JSON.parse(plan.roles[0].diff.desired).Policies.length, 2);
      assert.equal((await applyPlan(plan, session)).status, 'refused');
      assert.equal(endpoint.state.findRole(TASK), undefined);
      assert.match(renderPlanText(plan), /Errors:\n {2}- TaskRole has two inline policies named "CloudwatchWrite"/);
    }));

  test('invalid and colliding role names, mangled customer ARNs and ignored properties are reported', () =>
    withEmulator(async ({ session }) => {
      const long = 'x'.repeat(65);
      const plan = await planRoles(
        input([
          { logicalId: 'TaskRole', roleName: 'same-name', resource: ufoRoleResource({ managed: ['arn:aws:iam::123456789012:policy/Mine'].map((a) => `arn:aws:iam::aws:policy/${a}`) }) },
          { logicalId: 'ExecutionRole', roleName: 'SAME-NAME', resource: ufoRoleResource({ managed: ['AmazonS3ReadOnlyAccess'] }) },
        ]),
        session,
      );
      assert.deepEqual(plan.errors.map((e) => e.code).sort(), ['DUPLICATE_ROLE_NAME', 'INVALID_MANAGED_POLICY_ARN']);
      const p2 = await planRoles(
        input([
          {
            logicalId: 'TaskRole',
            roleName: long,
            resource: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: UFO_TRUST_POLICY, RoleName: 'custom', ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] } },
          },
        ]),
        session,
      );
      assert.deepEqual(p2.errors.map((e) => e.code), ['INVALID_ROLE_NAME']);
      assert.match(p2.errors[0].message, /65 characters long; IAM allows at most 64/);
      assert.deepEqual(p2.warnings.map((w) => w.code), ['IGNORED_PROPERTY']);
      assert.match(p2.warnings[0].message, /TaskRole\.Properties\.RoleName is not applied/);
    }));

  test('text rendering: +, ~ and - lines, a JSON line diff and Terraform-like counts', () =>
    withEmulator(async ({ endpoint, session }) => {
      endpoint.state.seedRole({
        roleName: TASK,
        tags: { 'managed-by': 'ufo-iam' },
        inline: {
          Keep: doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }),
          Gone: doc({ Effect: 'Allow', Action: ['sqs:*'], Resource: '*' }),
        },
        attached: ['arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess'],
      });
      const role: DesiredRoleInput = {
        logicalId: 'TaskRole',
        roleName: TASK,
        file: '.ufo/resources/iam_roles/task_role.rb',
        resource: ufoRoleResource({
          policies: [
            ['Keep', [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }]],
            ['New', [{ Effect: 'Allow', Action: ['sns:Publish'], Resource: '*' }]],
          ],
          managed: ['AmazonSSMReadOnlyAccess'],
        }),
      };
      const create: DesiredRoleInput = { logicalId: 'ExecutionRole', roleName: 'demo-web-dev-ExecutionRole', resource: ufoRoleResource({ managed: ['AmazonSSMReadOnlyAccess'] }) };
      const plan = await planRoles(input([role, create]), session);
      const text = renderPlanText(plan);
      assert.equal(
        text,
        [
          'ufo-iam plan for account 123456789012, region us-east-1, endpoint ' + endpoint.url,
          'Target: pre-created roles named {app}-{role}-{env}-{logicalId}, from .ufo/precreated_iam_roles/ (precreated)',
          '',
          'Note: Pre-created roles: ufo-iam creates and names them ({app}-{role}-{env}-{logicalId}) from .ufo/precreated_iam_roles/, which UFO never reads; ' +
            '`ufo-iam arns` (or "UFO: Update Task Definition ARNs") writes their ARNs into the task-definition template, and UFO deploys the task with exactly those.',
          '',
          `~ role ${TASK} (TaskRole, .ufo/resources/iam_roles/task_role.rb) will be updated in place`,
          '    ~ inline policy "Keep"',
          '          {',
          '            "Version": "2012-10-17",',
          '            "Statement": [',
          '              {',
          '                "Effect": "Allow",',
          '                "Action": [',
          '        -         "s3:GetObject"',
          '        +         "s3:GetObject",',
          '        +         "s3:PutObject"',
          '                ],',
          '                "Resource": "*"',
          '              }',
          '            ]',
          '          }',
          '    + inline policy "New"',
          '        + {',
          '        +   "Version": "2012-10-17",',
          '        +   "Statement": [',
          '        +     {',
          '        +       "Effect": "Allow",',
          '        +       "Action": [',
          '        +         "sns:Publish"',
          '        +       ],',
          '        +       "Resource": "*"',
          '        +     }',
          '        +   ]',
          '        + }',
          '    + managed policy arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess',
          '    - managed policy arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess',
          '    - inline policy "Gone"',
          '        - {',
          '        -   "Version": "2012-10-17",',
          '        -   "Statement": [',
          '        -     {',
          '        -       "Effect": "Allow",',
          '        -       "Action": [',
          '        -         "sqs:*"',
          '        -       ],',
          '        -       "Resource": "*"',
          '        -     }',
          '        -   ]',
          '        - }',
          '',
          '+ role demo-web-dev-ExecutionRole (ExecutionRole) will be created',
          '    + trust policy',
          ...JSON.stringify(UFO_TRUST_POLICY, null, 2).split('\n').map((l) => `        + ${l}`),
          '    + tag managed-by=ufo-iam',
          '    + managed policy arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess',
          '',
          'Plan: 4 to add, 1 to change, 2 to remove (1 role to create, 2 inline policies to put, 1 inline policy to delete, 2 managed policies to attach, 1 managed policy to detach).',
          '',
        ].join('\n'),
      );
      const json = JSON.parse(renderPlanJson(plan));
      assert.equal(json.formatVersion, 1);
      assert.equal(json.account, '123456789012');
      assert.deepEqual(json.counts, {
        createRole: 1,
        tagRole: 0,
        updateTrustPolicy: 0,
        putPolicy: 2,
        attachPolicy: 2,
        detachPolicy: 1,
        deletePolicy: 1,
        total: 7,
        add: 4,
        change: 1,
        remove: 2,
      });
      assert.equal(json.input, undefined);
      assert.equal(json.roles[0].desired.Policies[1].PolicyName, 'New');
      assert.equal(json.steps.length, 7);
    }));
});
