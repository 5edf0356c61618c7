// The use case behind `ufo-iam import` and "UFO: Import Role from AWS…": where the role file goes (the file UFO reads
// for that role in the project's layout, else the default path of the layout; with the precreated target, the same in
// the pre-created folder), in which key style (the style of the
// project's existing role files), and its text (core/convert/policyToDsl.ts, from the live role). The callers read
// the role from AWS (aws/readRole.ts) and write the file; nothing here does either.
import * as path from 'node:path';
import { analyzeRoleFile, isUfoTrustPolicy, keyStyleOf, roleToDsl, type CValue, type KeyStyle, type RoleType } from '../core';
import type { ProjectContext } from './projectContext';
import { getPrism } from './prismInstance';
import { readProjectFile } from './readProjectFile';

export const IMPORT_ROLE_TYPES: Readonly<Record<string, RoleType>> = { task: 'task_role', execution: 'execution_role' };

export interface ImportTarget {
  readonly roleType: RoleType;
  /** Project-relative POSIX path. */
  readonly rel: string;
  readonly file: string;
  /** The file exists: writing it replaces what UFO reads for this role. */
  readonly exists: boolean;
  readonly keyStyle: KeyStyle;
}

/** What an import needs of a live role (aws/liveRole.ts `LiveRole` has this shape). */
export interface ImportedRole {
  readonly roleName: string;
  readonly arn: string;
  readonly trustPolicy: CValue;
  readonly inlinePolicies: ReadonlyArray<{ readonly name: string; readonly document: CValue }>;
  readonly managedPolicies: ReadonlyArray<{ readonly arn: string }>;
}

export function importTarget(project: ProjectContext, roleType: RoleType): ImportTarget {
  // A project of pre-created roles gets the file in its pre-created folder, which UFO never reads (docs/apply.md).
  const precreatedDir = project.target.target === 'precreated' ? project.layout.precreatedDir : undefined;
  const files = precreatedDir ? project.layout.precreatedFiles : project.layout.roleFiles;
  const existing = files[roleType];
  const rel = existing ?? `${precreatedDir ?? project.layout.rolesDir}/${roleType}.rb`;
  // The style of the target first, then of the other role file; `ufo init`'s symbol keys otherwise.
  let keyStyle: KeyStyle | undefined;
  const others = [existing, ...Object.values(files).filter((f) => f !== existing)];
  for (const f of others) {
    if (keyStyle || !f) continue;
    const read = readProjectFile(project.root, f);
    if (read.ok) keyStyle = keyStyleOf(analyzeRoleFile(getPrism(), read.text).model);
  }
  return { roleType, rel, file: path.join(project.root, ...rel.split('/')), exists: existing !== undefined, keyStyle: keyStyle ?? 'symbol' };
}

export type ImportText = { readonly ok: true; readonly text: string; readonly notes: readonly string[] } | { readonly ok: false; readonly message: string };

/** The role file for a live role, with the notes on what the file cannot carry. */
export function importText(role: ImportedRole, target: ImportTarget, project: ProjectContext): ImportText {
  const trustDiffers = !isUfoTrustPolicy(role.trustPolicy);
  const header = [`Imported from the IAM role ${role.roleName} (${role.arn}) by ufo-iam import.`];
  if (trustDiffers) header.push("Its trust policy is not here: UFO gives every role its own (ecs-tasks.amazonaws.com may assume it).");
  const r = roleToDsl(
    { header, inlinePolicies: role.inlinePolicies, managedPolicyArns: role.managedPolicies.map((m) => m.arn) },
    { keyStyle: target.keyStyle, ufoVersion: project.layout.version },
  );
  if (!r.ok) return r;
  const notes = [...r.notes];
  if (trustDiffers) notes.push(`the live trust policy of ${role.roleName} differs from the one UFO gives every role (ecs-tasks.amazonaws.com may assume it); the DSL has no trust policy, so the role UFO deploys will have UFO's`);
  if (role.inlinePolicies.length === 0 && role.managedPolicies.length === 0) notes.push(`${role.roleName} has no policies, so UFO would build no ${target.roleType === 'task_role' ? 'task' : 'execution'} role from this file`);
  return { ok: true, text: r.text, notes };
}
