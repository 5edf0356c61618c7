// NODE_EXTRA_CA_CERTS without its cost at every server start. Node 20 reads the file that variable names, and builds
// its bundled root store to add it to, when the process starts: with a system bundle of 144 certificates `node -e 0`
// takes about 60 ms instead of 25 ms. The language server makes TLS connections only for AWS (aws/session.ts) and the
// IAM data update (iamDataUpdate.ts), so the client starts it with the variable emptied (`serverProcessEnv`, which
// Node treats as unset) and the path in UFO_IAM_EXTRA_CA_CERTS; the server puts the variable back for the processes
// it starts (`restoreExtraCaCertsEnv`), and trusts the file's certificates the first time it is about to connect
// (`trustForwardedCaCerts`), with Node's own meaning: every TLS context that does not name its own `ca` trusts them
// in addition to the default roots. The CLI is started by the user's shell, never gets the forwarded variable, and
// leaves it all to Node.
//
// The state lives on `globalThis` under a registered symbol: the AWS bundle (dist/aws.js) has its own copy of this
// module, and the file must be read and trusted once per process, not once per copy.
import * as fs from 'node:fs';
import type * as Tls from 'node:tls';

/** Where the client passes the user's NODE_EXTRA_CA_CERTS to the server. */
export const FORWARDED_CA_CERTS = 'UFO_IAM_EXTRA_CA_CERTS';

/**
 * The environment the client starts the server with: NODE_EXTRA_CA_CERTS emptied (vscode-languageclient merges the
 * options' env over the extension host's, so a deleted key would come back) and its path in FORWARDED_CA_CERTS.
 * Without the variable, a copy of `env` as it is. Never changes `env`.
 */
export function serverProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return { ...env };
  return { ...env, NODE_EXTRA_CA_CERTS: '', [FORWARDED_CA_CERTS]: file };
}

interface State {
  /** The forwarded file, once `restoreExtraCaCertsEnv` has taken it out of the environment. */
  file?: string;
  /** `trustForwardedCaCerts` has run (whatever its outcome: it warns once). */
  done?: boolean;
}
const STATE = Symbol.for('ufo-iam.extraCaCerts');
function state(): State {
  const g = globalThis as { [STATE]?: State };
  return (g[STATE] ??= {});
}

/**
 * At the server's start: NODE_EXTRA_CA_CERTS back in the environment from FORWARDED_CA_CERTS, and FORWARDED_CA_CERTS
 * removed, so that git and any other process the server starts sees the user's environment. Reads no file and loads
 * nothing. When NODE_EXTRA_CA_CERTS was set at this process's start anyway, Node has loaded it and nothing is
 * forwarded.
 */
export function restoreExtraCaCertsEnv(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[FORWARDED_CA_CERTS];
  if (file === undefined) return;
  delete env[FORWARDED_CA_CERTS];
  if (!file || env.NODE_EXTRA_CA_CERTS) return;
  env.NODE_EXTRA_CA_CERTS = file;
  state().file = file;
}

/** The file the client forwarded, whether or not the environment has been restored yet; undefined in the CLI. */
function forwardedFile(): string | undefined {
  return state().file ?? (process.env[FORWARDED_CA_CERTS] || undefined);
}

/**
 * Makes this process trust the forwarded certificates as Node trusts NODE_EXTRA_CA_CERTS: called before the first
 * connection to AWS or to the service reference. Once per process; nothing without a forwarded file. A file that
 * cannot be read, or holds no certificate, gets one warning on stderr (the server's log), as Node warns, and the
 * connections go on with the default roots.
 */
export function trustForwardedCaCerts(warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): void {
  const s = state();
  if (s.done) return;
  s.done = true;
  const file = forwardedFile();
  if (!file) return;
  const ignoring = `ufo-iam: Warning: ignoring extra certs from \`${file}\` (NODE_EXTRA_CA_CERTS)`;
  let text: string;
  try {
    // The user's own file, named by the user's environment: not a project file (project/readProjectFile.ts).
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    warn(`${ignoring}, load failed: ${(e as Error).message}`);
    return;
  }
  // Loaded here, not at the top: the server's start loads neither tls nor crypto.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tls = require('node:tls') as typeof Tls;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { X509Certificate } = require('node:crypto') as typeof import('node:crypto');
  const blocks = pemCertificates(text);
  const certs = blocks.filter((pem) => {
    try {
      new X509Certificate(pem);
      return true;
    } catch {
      return false;
    }
  });
  if (certs.length === 0) {
    warn(`${ignoring}, load failed: no certificate in it`);
    return;
  }
  if (certs.length < blocks.length) {
    warn(`ufo-iam: Warning: ignoring ${blocks.length - certs.length} malformed certificate(s) of \`${file}\` (NODE_EXTRA_CA_CERTS)`);
  }
  installExtraCaCerts(tls, certs);
}

/** The PEM certificates of a file, as Node's loader reads them (anything between them is ignored). */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** The base64 of a PEM block without its lines: two PEM texts of the same certificate give the same key. */
const derKey = (pem: string): string => pem.replace(/-----(?:BEGIN|END) CERTIFICATE-----|\s/g, '');

/** What `installExtraCaCerts` needs of node:tls (tests pass a stand-in). */
export type TlsModule = Pick<typeof Tls, 'createSecureContext' | 'rootCertificates'> & {
  getCACertificates?: (type: 'default') => string[];
  setDefaultCACertificates?: (certs: string[]) => void;
};

/**
 * Adds certificates to the roots of every TLS context that gives no `ca`. Where Node can set its default store
 * (`tls.setDefaultCACertificates`, Node 24.5 on and recent 22.x), it is set to the default roots plus these. Node 20
 * has no such API: `tls.createSecureContext`, which tls.connect calls for every connection without a `secureContext`
 * (https agents, undici's fetch, the AWS SDK's handlers and credential providers), is wrapped so that a context
 * without `ca` gets them through its native `addCACert`, which first copies the shared root store, as win-ca and
 * syswide-cas do. That costs each connection about 1 ms, plus 0.2 ms per certificate added: those already among the
 * bundled roots are left out (a corporate file is often the system bundle plus a CA or two).
 */
export function installExtraCaCerts(tls: TlsModule, certs: readonly string[]): void {
  if (typeof tls.setDefaultCACertificates === 'function' && typeof tls.getCACertificates === 'function') {
    const defaults = tls.getCACertificates('default');
    const known = new Set(defaults.map(derKey));
    tls.setDefaultCACertificates([...defaults, ...certs.filter((c) => !known.has(derKey(c)))]);
    return;
  }
  const known = new Set(defaultStoreIsBundled() ? tls.rootCertificates.map(derKey) : []);
  const extra = certs.filter((c) => !known.has(derKey(c))).join('\n');
  if (!extra) return;
  const original = tls.createSecureContext;
  tls.createSecureContext = function createSecureContext(this: unknown, options?: Tls.SecureContextOptions): Tls.SecureContext {
    const context = original.call(this, options);
    if (!options?.ca) (context as unknown as { context: { addCACert(pem: string): void } }).context.addCACert(extra);
    return context;
  };
}

/**
 * Whether the roots of a context without `ca` are `tls.rootCertificates`: not when Node uses OpenSSL's store instead
 * (`--use-openssl-ca`, or a build with `--openssl-use-def-ca-store`), whose contents Node 20 cannot list.
 */
function defaultStoreIsBundled(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (flags.includes('--use-openssl-ca')) return false;
  return !(process.config.variables as Record<string, unknown>).openssl_use_def_ca_store;
}
