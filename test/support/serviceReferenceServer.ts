// A local stand-in for AWS's service reference: serves test/fixtures/service-reference on 127.0.0.1, so the update
// tests never reach the internet. The first path segment picks how it misbehaves: `/ok/` serves the files as they
// are, `/truncated/` cuts s3's file in half, `/error500/` answers 500 for s3's file, `/malformed/` serves
// malformed-index.json as the list (its `broken` service's file has no Actions array).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export const SERVICE_REFERENCE_FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'service-reference');

export type ServiceReferenceMode = 'ok' | 'truncated' | 'error500' | 'malformed';

export interface ServiceReferenceServer {
  /** The service list's URL of a mode. */
  url(mode: ServiceReferenceMode): string;
  /** Every path requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startServiceReference(): Promise<ServiceReferenceServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const [, mode = '', ...rest] = url.pathname.split('/');
    let rel = rest.join('/');
    if (rel === '') rel = mode === 'malformed' ? 'malformed-index.json' : 'index.json';
    const file = path.join(SERVICE_REFERENCE_FIXTURE, rel);
    if (!file.startsWith(SERVICE_REFERENCE_FIXTURE + path.sep) || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    if (mode === 'error500' && rel === 'v1/s3/s3.json') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return;
    }
    let body = fs.readFileSync(file);
    if (mode === 'truncated' && rel === 'v1/s3/s3.json') body = body.subarray(0, Math.floor(body.length / 2));
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (mode) => `http://127.0.0.1:${port}/${mode}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
