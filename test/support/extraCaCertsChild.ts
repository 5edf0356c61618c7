// The process side of test/project/extraCaCerts.test.ts, run with `node --import tsx` in the environment the test
// gives it (the client's `serverProcessEnv`, or a shell's), against an HTTPS server on 127.0.0.1 whose CA only the
// test's file holds. Prints one JSON object: what each connection did ('ok' or its error code) and what was warned.
//   server URL CA_FILE: the server's start (restoreExtraCaCertsEnv), fetch before and after trustForwardedCaCerts, an
//                       https.Agent after, and requests that give their own `ca`
//   cli URL:            what the CLI does (no restore; trustForwardedCaCerts as the AWS path calls it)
//   aws URL:            the server's start, then openAwsSession against the HTTPS emulator and STS GetCallerIdentity
//   update URL:         the server's start, then the IAM data update (a dry run) from URL
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { restoreExtraCaCertsEnv, trustForwardedCaCerts } from '../../server/src/project/extraCaCerts';
import { FAKE_CREDENTIALS } from './iamTestEnv';

type Outcome = string;

const codeOf = (e: unknown): string => {
  const err = e as { code?: string; cause?: { code?: string }; message?: string };
  return err.cause?.code ?? err.code ?? err.message ?? String(e);
};

async function fetchOutcome(url: string): Promise<Outcome> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return 'ok';
  } catch (e) {
    return codeOf(e);
  }
}

function getOutcome(url: string, options: https.RequestOptions = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const agent = new https.Agent();
    https
      .get(url, { agent, ...options }, (res) => {
        res.resume();
        res.on('end', () => {
          agent.destroy();
          resolve('ok');
        });
      })
      .on('error', (e) => {
        agent.destroy();
        resolve(codeOf(e));
      });
  });
}

/** What a process the server starts sees of the two variables. */
function childSees(): { NODE_EXTRA_CA_CERTS: string | null; UFO_IAM_EXTRA_CA_CERTS: string | null } {
  const r = spawnSync(process.execPath, ['-p', 'JSON.stringify([process.env.NODE_EXTRA_CA_CERTS ?? null, process.env.UFO_IAM_EXTRA_CA_CERTS ?? null])'], {
    encoding: 'utf8',
  });
  const [a, b] = JSON.parse(r.stdout) as [string | null, string | null];
  return { NODE_EXTRA_CA_CERTS: a, UFO_IAM_EXTRA_CA_CERTS: b };
}

async function main(mode: string, url: string, caFile?: string): Promise<unknown> {
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  const original = tls.createSecureContext;
  if (mode === 'server') {
    const atStart = { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? null, UFO_IAM_EXTRA_CA_CERTS: process.env.UFO_IAM_EXTRA_CA_CERTS ?? null };
    restoreExtraCaCertsEnv();
    const restored = { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? null, UFO_IAM_EXTRA_CA_CERTS: process.env.UFO_IAM_EXTRA_CA_CERTS ?? null };
    const child = childSees();
    const fetchBefore = await fetchOutcome(url);
    trustForwardedCaCerts(warn);
    const wrapped = tls.createSecureContext;
    trustForwardedCaCerts(warn);
    return {
      atStart,
      restored,
      child,
      fetchBefore,
      fetchAfter: await fetchOutcome(url),
      agentAfter: await getOutcome(url),
      // A request that names its own roots keeps them, without the forwarded CA...
      explicitCaWithout: await getOutcome(url, { ca: [...tls.rootCertificates] }),
      // ...and with it.
      explicitCaWith: await getOutcome(url, { ca: fs.readFileSync(caFile!, 'utf8') }),
      wrappedOnce: wrapped !== original && tls.createSecureContext === wrapped,
      warnings,
    };
  }
  if (mode === 'cli') {
    trustForwardedCaCerts(warn);
    return { unchanged: tls.createSecureContext === original, fetch: await fetchOutcome(url), warnings };
  }
  if (mode === 'aws') {
    restoreExtraCaCertsEnv();
    const { openAwsSession } = await import('../../server/src/aws/session');
    const session = await openAwsSession({ endpoint: url, region: 'us-east-1', credentials: { ...FAKE_CREDENTIALS }, maxAttempts: 1 });
    try {
      return { identity: (await session.identity()).account };
    } catch (e) {
      return { error: `${(e as { code?: string }).code}: ${(e as Error).message}` };
    } finally {
      session.close();
    }
  }
  if (mode === 'update') {
    restoreExtraCaCertsEnv();
    const { updateIamData } = await import('../../server/src/project/iamDataUpdate');
    const r = await updateIamData({ from: url, dryRun: true, timeoutMs: 20_000 });
    return r.ok ? { ok: true } : { reason: r.reason };
  }
  throw new Error(`unknown mode ${mode}`);
}

const [mode, url, caFile] = process.argv.slice(2);
main(mode!, url!, caFile).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
