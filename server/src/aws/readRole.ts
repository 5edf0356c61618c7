// Reads one live role for `ufo-iam import` and the editor's "Import Role from AWS…": opens a session with the
// settings' profile, region and endpoint, reads the role (liveRole.ts) and closes the session. Nothing is changed.
import { readLiveRole, type LiveRole } from './liveRole';
import { openAwsSession, type AwsOptions } from './session';

export interface ReadRoleResult {
  /** Null when IAM has no role of that name. */
  readonly role: LiveRole | null;
  readonly account?: string;
}

export async function readRoleForImport(options: AwsOptions, roleName: string): Promise<ReadRoleResult> {
  const session = await openAwsSession(options);
  try {
    const role = await readLiveRole(session.iam, roleName);
    return { role, account: role ? role.arn.split(':')[4] : undefined };
  } finally {
    session.close();
  }
}
