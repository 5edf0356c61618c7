// The user's cache folder for ufo-iam: `$XDG_CACHE_HOME/ufo-iam`, else `%LOCALAPPDATA%\ufo-iam` on Windows, else
// `~/.cache/ufo-iam`. Downloaded IAM data (iamInstance.ts, `iam-data/`) and the code caches of the CLI and the server
// (cli/codeCache.ts, `code-cache/`) live there. Only node:os and node:path: the launchers (cli/launch.ts, launch.ts)
// import it before anything else loads.
import * as os from 'node:os';
import * as path from 'node:path';

export function userCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'ufo-iam');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'ufo-iam');
  return path.join(os.homedir(), '.cache', 'ufo-iam');
}

/** Where the launchers keep compiled code (cli/codeCache.ts); undefined without a home folder to hold it. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    return path.join(userCacheRoot(env), 'code-cache');
  } catch {
    return undefined;
  }
}
