// The role files `ufo init` generates (docs/ufo-semantics.md §12) and UFO's own builder-spec fixture check clean: a new
// UFO project must not open with warnings.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { knowledge } from '../iam/iamData';
import { checkText } from './checkText';

const V5_EXECUTION = `managed_iam_policy("AmazonSSMReadOnlyAccess")
managed_iam_policy("SecretsManagerReadWrite")
managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")
`;

const V5_TASK = `# Example starter IAM Role for the ECS task. More info: https://ufoships.com/docs/iam-roles/
#
# managed_iam_policy("AmazonS3ReadOnlyAccess")
#
# iam_policy("AmazonS3ReadOnlyAccess",
#   Action: [
#     "s3:Get*",
#     "s3:List*"
#   ],
#   Effect: "Allow",
#   Resource: "*"
# )
# iam_policy("CloudwatchWrite",
#   Action: [
#     "cloudwatch:PutMetricData",
#   ],
#   Effect: "Allow",
#   Resource: "*"
# )
`;

const V6_EXECUTION = `iam_policy("SsmParameterStore", Action: ["ssm:GetParameters"], Effect: "Allow", Resource: "*")
iam_policy("SecretsManager", Action: ["secretsmanager:GetSecretValue"], Effect: "Allow", Resource: "*")
managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")
`;

const V6_TASK = `iam_policy("EcsExecuteCommand",
  Action: [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
  ],
  Effect: "Allow",
  Resource: "*",
)
# managed_iam_policy("AmazonSSMReadOnlyAccess")
`;

describe('UFO starter files check clean', () => {
  let iam: IamKnowledge;
  before(async () => {
    iam = await knowledge();
  });

  const cases: [string, string, 'task_role' | 'execution_role', 5 | 6][] = [
    ['v5 execution_role.rb', V5_EXECUTION, 'execution_role', 5],
    ['v5 task_role.rb', V5_TASK, 'task_role', 5],
    ['v6 execution_role.rb', V6_EXECUTION, 'execution_role', 6],
    ['v6 task_role.rb', V6_TASK, 'task_role', 6],
  ];
  for (const [name, text, role, version] of cases) {
    test(name, () => {
      const { findings } = checkText(text, { role, version }, iam);
      assert.deepEqual(findings.map((f) => `${f.code}: ${f.message}`), []);
    });
  }

  test("UFO's builder spec fixture", () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../fixtures/projects/builder_spec/.ufo/iam_roles/task_role.rb'), 'utf8');
    const { findings } = checkText(text, { role: 'task_role', version: 5 }, iam);
    assert.deepEqual(findings.map((f) => `${f.code}: ${f.message}`), []);
  });

  test('the same starter files in the wrong role get the role hints (the check is not silent by accident)', () => {
    const swapped = checkText(V6_TASK, { role: 'execution_role' }, iam).findings.map((f) => f.code);
    assert.deepEqual([...new Set(swapped)], ['ROLE_TYPE_HINT']);
    const exec = checkText(V5_EXECUTION, { role: 'task_role', version: 5 }, iam).findings.map((f) => f.code);
    assert.deepEqual(exec, ['ROLE_TYPE_HINT']);
  });
});
