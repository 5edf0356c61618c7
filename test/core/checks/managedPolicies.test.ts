// No false positives on AWS's own policies: the latest document of every AWS managed policy in the data is
// rendered as a Ruby `iam_policy` call (which also exercises the parser and the model), analysed and checked
// as a task role. No shape error may fire, and INVALID_ACTION / INVALID_SERVICE_IN_ACTION only for the honest
// exceptions below: actions and services that AWS's policies still name but the Service Authorization
// Reference (the data of 2026-09-26) does not list. Those are reported as information, never as a warning.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { knowledge } from '../iam/iamData';
import { checkText, type Located } from './checkText';
import { iamPolicyCall } from './rubyLiteral';

/** Errors of statement shape and syntax: AWS's policies are valid, so none of these may fire. */
const SHAPE_CODES = [
  'SYNTAX_ERROR',
  'PARSE_FAILURE',
  'DSL_ARITY',
  'DSL_ARGUMENT_TYPE',
  'SYMBOL_VALUE',
  'INVALID_ACTION_FORMAT',
  'INVALID_EFFECT',
  'MISSING_EFFECT',
  'MISSING_ACTION',
  'MISSING_RESOURCE',
  'UNSUPPORTED_ELEMENT_COMBINATION',
  'INVALID_POLICY_ELEMENT',
  'UNSUPPORTED_PRINCIPAL',
  'UNIQUE_SIDS_REQUIRED',
  'UNSUPPORTED_SID',
  'DATA_TYPE_MISMATCH',
  'INVALID_ARN_PREFIX',
  'MISSING_ARN_FIELD',
  'INVALID_PARTITION',
  'INVALID_CONDITION_OPERATOR',
  'NULL_WITH_IF_EXISTS',
  'INVALID_CONDITION_KEY_FORMAT',
];

/**
 * Services that AWS's policies name but the data lacks: all retired or never documented. AWS keeps old managed
 * policies (and ReadOnlyAccess, SecurityAudit, the tagging policy) that still mention them.
 */
const RETIRED_SERVICES = [
  'builderid', // AWS Builder ID invitations: never in the reference.
  'datazonecontrol', // The DataZone preview console.
  'deepcomposer', // AWS DeepComposer, retired.
  'deeplens', // AWS DeepLens, retired.
  'deepracer', // The AWS DeepRacer console, gone from the reference.
  'elastic-inference', // Amazon Elastic Inference, retired.
  'iot1click', // AWS IoT 1-Click, retired.
  'iotroborunner', // AWS IoT RoboRunner, retired.
  'mobilehub', // AWS Mobile Hub, retired.
  'sagemaker-groundtruth-synthetic', // Ground Truth synthetic data, gone from the reference.
  'zocalo', // Amazon WorkDocs (zocalo), retired.
];

/** Actions of known services that AWS's policies grant but the data lacks (undocumented or retired actions). */
const UNDOCUMENTED_ACTIONS = [
  'budgets:CreateBudget', // AWSManagedSettingsAdminAccess names these; the reference lists budgets:ModifyBudget and the like.
  'budgets:DeleteBudget',
  'budgets:DescribeBudget',
  'budgets:DescribeBudgets',
  'budgets:UpdateBudget',
  'cloud9:ValidateEnvironmentName',
  'cloudhsm:CreateLunaClient', // CloudHSM Classic (RDSCloudHsmAuthorizationRole), retired.
  'cloudhsm:DeleteLunaClient',
  'cloudhsm:DescribeHapg',
  'cloudhsm:DescribeLunaClient',
  'cloudhsm:GetConfig',
  'cloudhsm:ModifyHapg',
  'cloudhsm:ModifyLunaClient',
  'memorydb:ReplicateMultiRegionClusterData', // In MemoryDB's service-linked role policy only.
  'organizations:CreateBuilderIdOwnedAccount',
  'payments:AcceptTermsAndConditionsForProgramByAccountId', // Payments actions the reference does not list.
  'payments:BatchGetPaymentProfiles',
  'payments:CreatePaymentAttempt',
  'payments:CreatePaymentProfile',
  'payments:Get',
  'payments:GetAcceptedTermsAndConditionsForProgramByAccountId',
  'payments:GetAccountBalance',
  'payments:GetDefaultPaymentProfile',
  'payments:GetEligibleCurrencies',
  'payments:GetPaymentAttempt',
  'payments:GetPaymentPreferences',
  'payments:GetPreferredCurrency',
  'payments:GetRecommendedTermsAndConditionsForProgram',
  'payments:ListPaymentProfiles',
  'payments:SearchFinancialRecords',
  'payments:SetPreferredCurrency',
  'payments:UpdatePaymentProfile',
  'qapps:ImportDocumentToQApp',
  'qapps:ImportDocumentToQAppSession',
  'route53-recovery-control-config:DescribeRoutingControlByName',
  'securityagent:BatchGetAgentInstances', // SecurityAgentWebAppAPIPolicy: a new service; names the reference does not have.
  'securityagent:BatchGetSecurityTestContentMetadata',
  'securityagent:BatchGetTasks',
  'securityagent:CreateDocumentReview',
  'securityagent:DeleteDocumentReview',
  'securityagent:GetCodeReviewTask',
  'securityagent:GetDocReviewTask',
  'securityagent:GetDocumentReview',
  'securityagent:GetDocumentReviewArtifact',
  'securityagent:ListAgentInstances',
  'securityagent:ListControls',
  'securityagent:ListDocumentReviewComments',
  'securityagent:ListDocumentReviews',
  'securityagent:ListTasks',
  'securityagent:StartPentestExecution',
  'securityagent:StopPentestExecution',
];

interface Hit {
  readonly policy: string;
  readonly finding: Located;
  readonly text: string;
}

describe('AWS managed policies check clean', () => {
  let iam: IamKnowledge;
  const hits: Hit[] = [];
  let policies = 0;
  let statements = 0;
  before(async () => {
    iam = await knowledge();
    for (const p of iam.listManagedPolicies()) {
      const doc = iam.managedPolicyDocument(p.name);
      if (!doc) continue;
      policies++;
      const text = iamPolicyCall(p.name, doc.document);
      const { analysis, findings } = checkText(text, { role: 'task_role' }, iam);
      statements += analysis.model.calls.reduce((n, c) => n + (c.method === 'iam_policy' ? c.statements.length : 0), 0);
      for (const f of findings) hits.push({ policy: p.name, finding: f, text: analysis.lineIndex.slice(f.span.start, f.span.end) });
    }
  });

  test('every document of the data was checked', () => {
    assert.ok(policies > 1500, `only ${policies} policy documents`);
    assert.ok(statements > policies, `only ${statements} statements`);
  });

  test('no shape or syntax error fires on any of them', () => {
    const bad = hits.filter((h) => SHAPE_CODES.includes(h.finding.code));
    assert.deepEqual(
      bad.map((h) => `${h.policy}: ${h.finding.code} ${h.text}: ${h.finding.message}`),
      [],
    );
  });

  test('INVALID_SERVICE_IN_ACTION fires only for the listed retired services, as information', () => {
    const found = hits.filter((h) => h.finding.code === 'INVALID_SERVICE_IN_ACTION');
    const services = [...new Set(found.map((h) => JSON.parse(h.text).split(':')[0].toLowerCase()))].sort();
    assert.deepEqual(services, [...RETIRED_SERVICES].sort());
    for (const h of found) assert.equal(h.finding.severity, 'information', `${h.policy}: ${h.text}`);
  });

  test('INVALID_ACTION fires only for the listed undocumented actions, as information', () => {
    const found = hits.filter((h) => h.finding.code === 'INVALID_ACTION');
    const actions = [...new Set(found.map((h) => JSON.parse(h.text) as string))].sort();
    assert.deepEqual(actions, [...UNDOCUMENTED_ACTIONS].sort());
    for (const h of found) {
      assert.equal(h.finding.severity, 'information', `${h.policy}: ${h.text}`);
      assert.match(h.finding.message, /AWS's managed policy \S+ grants it/);
    }
  });

  test('no wildcard of AWS matches nothing', () => {
    const found = hits.filter((h) => h.finding.code === 'UNMATCHED_ACTION_WILDCARD' && !RETIRED_SERVICES.includes(JSON.parse(h.text).split(':')[0]));
    assert.deepEqual(found.map((h) => `${h.policy}: ${h.text}`), []);
  });

  test('a typo next to an AWS-granted name is still a warning with a suggestion', () => {
    const { findings } = checkText('iam_policy("P", Action: ["budgets:CreateBudgett"], Effect: "Allow", Resource: "*")\n', {}, iam);
    const f = findings.find((x) => x.code === 'INVALID_ACTION');
    assert.equal(f?.severity, 'warning');
  });
});
