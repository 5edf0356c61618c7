// Reads the live state of one role from IAM: GetRole, then every page of ListRoleTags, ListRolePolicies
// (with GetRolePolicy for each name) and ListAttachedRolePolicies.
import { decodePolicyDocument, type Json } from './policyJson';
import type { IamApi, Tag } from './session';

export interface LiveRole {
  roleName: string;
  arn: string;
  path: string;
  trustPolicy: Json;
  tags: Tag[];
  /** In IAM's order (ListRolePolicies returns names sorted). */
  inlinePolicies: Array<{ name: string; document: Json }>;
  managedPolicies: Array<{ arn: string; name: string }>;
}

/** Null when the role does not exist. */
export async function readLiveRole(iam: IamApi, roleName: string): Promise<LiveRole | null> {
  const role = await iam.getRole(roleName);
  if (!role) return null;
  const tags = await iam.listRoleTags(roleName);
  const names = await iam.listRolePolicyNames(roleName);
  const inlinePolicies: LiveRole['inlinePolicies'] = [];
  for (const name of names) {
    inlinePolicies.push({ name, document: decodePolicyDocument(await iam.getRolePolicy(roleName, name)) });
  }
  const managedPolicies = await iam.listAttachedRolePolicies(roleName);
  return {
    roleName,
    arn: role.arn,
    path: role.path,
    trustPolicy: decodePolicyDocument(role.assumeRolePolicyDocument),
    tags,
    inlinePolicies,
    managedPolicies,
  };
}
