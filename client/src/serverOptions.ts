// How the extension starts the language server: the bundled launcher, forked with the extension host's environment
// less the eager load of NODE_EXTRA_CA_CERTS, whose path is forwarded instead (server/src/project/extraCaCerts.ts:
// Node 20 would read the file at every start, about 35 ms, for connections only AWS and the IAM data update make).
// Apart from extension.ts and without vscode, so that a test can check what the server gets.
import type { NodeModule, Transport } from 'vscode-languageclient/node';
import { serverProcessEnv } from '../../server/src/project/extraCaCerts';

/** The run and debug configurations of the server at `serverModule`; vscode-languageclient merges `env` over its own. */
export function languageServerOptions(serverModule: string, transport: Transport, env: NodeJS.ProcessEnv = process.env): { run: NodeModule; debug: NodeModule } {
  return {
    run: { module: serverModule, transport, options: { env: serverProcessEnv(env) } },
    debug: { module: serverModule, transport, options: { env: serverProcessEnv(env), execArgv: ['--nolazy', '--inspect=6019'] } },
  };
}
