// A throwaway certificate authority and a server certificate it signed for 127.0.0.1, made with the `openssl` command
// for one test run (P-256 keys, valid for a day), so that TLS tests trust a CA nothing else trusts and reach nothing
// but 127.0.0.1.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestCa {
  /** The CA's certificate (PEM): what a client must trust. */
  caFile: string;
  caPem: string;
  /** The server's key and certificate (PEM), for `https.createServer`. */
  key: string;
  cert: string;
}

/** Whether the `openssl` command is there (the tests that need it skip without it, saying so). */
export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
}

/** Writes the CA and the server's certificate into `dir`. */
export function makeTestCa(dir: string): TestCa {
  const run = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=ufo-iam test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', 'server.pem', '-extfile', 'server.ext']);
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  return { caFile: path.join(dir, 'ca.pem'), caPem: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}
