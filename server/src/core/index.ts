// The core's façade: everything the adapters (the language server's features, the CLI, the project layer, the AWS
// edge and the client) use of the pure core is exported here, and they import nothing else of it
// (test/architecture.test.ts checks it). The core itself is pure: no IO, no LSP, no VS Code, no AWS SDK.

export { analyzeEdit, analyzeRoleFile, indexText, type IndexedText, type RoleFileAnalysis } from './analysis';
export { editedPart } from './incremental';
export { resolveSeverity, runChecks } from './checks';
export { CODES, RULES, ruleOf, type Code } from './checks/rules';
export { LOGICAL_IDS, RAISING_CODES, compileRoles, type CompiledRole, type LogicalId, type RoleType, type UfoVersion } from './compile/compileRoles';
export { fromJsonText, fromPlain, type CMap, type CValue } from './compile/cvalue';
export { buildPreview, type PreviewInput, type TemplateRoleRef } from './compile/preview';
export { toCompactJson, toJsonText, toYamlText } from './compile/serialize';
export { isUfoTrustPolicy, keyStyleOf, managedPolicyName, policyToDsl, roleToDsl, rubyString, type ConvertOptions, type ConvertResult, type KeyStyle, type RoleToDslInput } from './convert/policyToDsl';
export { NOT_CONSIDERED, evaluate, evaluateStatement } from './eval/evaluate';
export { arnMatches, evaluateCondition, normalizeContext } from './eval/conditions';
export { inlineSources, roleStatements, type RoleStatementsOptions } from './eval/statements';
export { EFFECTIVE_STEP, effectivePermissions, effectivePermissionsSteps, type EffectiveAction, type EffectiveOptions, type EffectivePermissions } from './eval/effective';
export { NAMED_LIMIT, NO_PERMISSIONS, accessChangeLine, accessDiff, accessDiffIsEmpty, EMPTY_ACCESS_REPORT, accessEntry, accessNote, accessReport, accessSummary, compareAccessChanges, isEscalationAction, type AccessChange, type AccessDiff, type AccessEntry, type AccessReport, type AccessSummaryOptions, type UnknownDocument } from './eval/accessDiff';
export { type ContextEntry, type Decision, type EvalRequest, type EvalResult, type EvalStatement, type StatementResult, type StatementSource, type Tri } from './eval/types';
export { complete, entryText, prepareCompletionLists, prepareFileLists, resolveDetail, resolveDocumentation, type CompletionEntry, type CompletionResult, type EntryKind, type ResolveKey } from './complete/complete';
export { narrowResult } from './complete/narrow';
export { type SourceText } from './cursor/cursorContext';
export { type Finding, type Severity } from './findings';
export { computeFixes, computeRefactors } from './fixes/computeFixes';
export { type ByteEdit, type Fix, type FixContext } from './fixes/fix';
export { hover } from './hover/hover';
export { IamKnowledge, type DataLoader, type DataRangeReader } from './iam/iamKnowledge';
export { compactIamData, type CompactedData } from './iam/compactData';
export { INDEX_FILE, type IndexFile } from './iam/dataFormat';
export { SERVICE_REFERENCE_URL, compactServiceReference, diffIamIndexes, validateServiceFile, validateServiceList, type IamDataDiff, type ServiceReferenceEntry, type ServiceReferenceService } from './iam/serviceReference';
export { V5_DIR, V6_DIR, classifyFile, detectVersion, precreatedDirProblem, resolveLayout, roleTypeOf, type FileRole, type ProjectLayout } from './layout/projectLayout';
export { DEFAULT_ROLE_NAME_TEMPLATE, checkRoleName, renderRoleName, resolveNameParts, type RoleNameParts, type RoleNameResult } from './layout/roleName';
export { V6_DEFAULT_STACK_PATTERN, expandV6Names, resolveStackName, type StackNameResult } from './layout/stackName';
export { type RoleFileModel } from './model/roleFile';
export { keyText, type Value } from './model/values';
export { instantiatePrism, type PrismParse } from './parse/prism';
export { applyTextEdits, chooseTemplate, checkTaskDefinition, editRoleArns, isTaskDefinitionTemplate, readRoleArns, ROLE_ARN_PATTERN, templateFormat, type BuiltRole, type RoleArnKey, type RoleArnRef, type TemplateChoice, type TemplateFinding, type Utf16Edit } from './taskdef';
export { LineIndex } from './text/lineIndex';
export { type Span } from './text/span';
export { describeDenyReason, parseAccessDenied, type AccessDenied, type DenyReason, type ParseDeniedResult, type PrincipalKind } from './denied/parseAccessDenied';
export { policyNameFor, proposeAllowEdit, type ProposeFixOptions, type ProposedFix } from './denied/proposeFix';
export { applyEdits } from './fixes/fix';
