// IAM data without a release (docs/data.md, "Updating the data without a release"): downloads AWS's service reference
// (the service list, then every service's file), validates every file, compacts it with the build's compaction
// (core/iam/serviceReference.ts → compactData.ts) over the bundled data's descriptions and managed policies, and
// stores it where iamInstance.ts looks first. The one implementation behind `ufo-iam update-data` and "UFO: Update
// IAM Data".
//
// All or nothing: a failed request (an HTTP error, a timeout, a file over the size cap), a truncated or malformed
// file, or a service of the list whose file fails leaves the stored data as it was and returns the reason. The new
// data goes into a folder of its own and becomes current by renaming the pointer file, so a reader sees the old
// data or the new, never a mix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  IamKnowledge,
  INDEX_FILE,
  SERVICE_REFERENCE_URL,
  compactServiceReference,
  diffIamIndexes,
  validateServiceFile,
  validateServiceList,
  type CompactedData,
  type IamDataDiff,
  type IndexFile,
  type ServiceReferenceEntry,
  type ServiceReferenceService,
} from '../core';
import { trustForwardedCaCerts } from './extraCaCerts';
import { POINTER_FILE, bundledLoader, currentIndex, storedDataRoot } from './iamInstance';

export { SERVICE_REFERENCE_URL };

export interface UpdateIamDataOptions {
  /** The service list's URL; AWS's by default. */
  readonly from?: string;
  /** Download, validate and compare, but store nothing. */
  readonly dryRun?: boolean;
  /** Per request. */
  readonly timeoutMs?: number;
  /** Per file (the service list and each service). */
  readonly maxFileBytes?: number;
  readonly concurrency?: number;
  /** After each service file: how many of how many are done. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export type UpdateIamDataResult =
  | {
      readonly ok: true;
      readonly url: string;
      readonly dryRun: boolean;
      /** The folder the new data was stored in (absent in a dry run). */
      readonly stored?: string;
      readonly storeRoot: string;
      readonly retrievedAt: string;
      readonly services: number;
      readonly actions: number;
      /** Against the data in use before the update. */
      readonly diff: IamDataDiff;
    }
  | { readonly ok: false; readonly url: string; readonly reason: string };

const TIMEOUT_MS = 30_000;
/** ec2's file, the largest, is about 2 MB; the list about 100 KB. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const CONCURRENCY = 8;

class UpdateFailure extends Error {}

export async function updateIamData(options: UpdateIamDataOptions = {}): Promise<UpdateIamDataResult> {
  const url = options.from ?? SERVICE_REFERENCE_URL;
  try {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UpdateFailure(`${url} is not a URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UpdateFailure(`${url} is not an http(s) URL`);
    // Before the first fetch: the user's NODE_EXTRA_CA_CERTS, which the editor's server gets forwarded (extraCaCerts.ts).
    trustForwardedCaCerts();
    const abort = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    const get = (u: string, what: string) => fetchJson(u, what, { timeoutMs: options.timeoutMs ?? TIMEOUT_MS, maxBytes: options.maxFileBytes ?? MAX_FILE_BYTES, signal });

    const list = await get(url, 'the service list');
    const listProblem = validateServiceList(list);
    if (listProblem) throw new UpdateFailure(`${url}: ${listProblem}`);
    const entries = list as ServiceReferenceEntry[];
    const retrievedAt = new Date().toISOString();

    const files = new Map<string, ServiceReferenceService>();
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < entries.length) {
        const entry = entries[next++]!;
        const fileUrl = new URL(entry.url, url).href;
        if (!/^https?:$/.test(new URL(fileUrl).protocol)) throw new UpdateFailure(`${entry.service}: ${fileUrl} is not an http(s) URL`);
        const json = await get(fileUrl, entry.service);
        const problem = validateServiceFile(json, entry.service);
        if (problem) throw new UpdateFailure(`${problem} (${fileUrl})`);
        files.set(entry.service, json as ServiceReferenceService);
        options.onProgress?.(++done, entries.length);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(options.concurrency ?? CONCURRENCY, entries.length) }, worker));
    } finally {
      abort.abort();
    }

    let data: CompactedData;
    try {
      data = compactServiceReference(files, bundledLoader(), { url, retrievedAt });
      // The result must load as the server will load it: the index, and each managed policy's document by its range.
      const text = (rel: string) => data.files.get(rel) ?? missing(rel);
      const loaded = new IamKnowledge((rel) => JSON.parse(text(rel)), (rel, start, end) => text(rel).slice(start, end));
      for (const p of loaded.listManagedPolicies()) loaded.managedPolicyDocument(p.name);
    } catch (e) {
      throw new UpdateFailure(`the downloaded data cannot be compacted: ${message(e)}`);
    }
    const diff = diffIamIndexes(currentIndex(), JSON.parse(data.files.get(INDEX_FILE)!) as IndexFile);
    const storeRoot = storedDataRoot();
    const base = { ok: true as const, url, dryRun: !!options.dryRun, storeRoot, retrievedAt, services: data.counts.services, actions: data.counts.actions, diff };
    if (options.dryRun) return base;
    return { ...base, stored: store(storeRoot, data, retrievedAt) };
  } catch (e) {
    return { ok: false, url, reason: message(e) };
  }
}

/** Writes the files into a new folder under root and makes it current; returns the folder. */
function store(root: string, data: CompactedData, retrievedAt: string): string {
  const name = `data-${retrievedAt.replace(/[-:.]/g, '')}-${process.pid}`;
  const staging = path.join(root, `.staging-${name}`);
  const folder = path.join(root, name);
  try {
    fs.mkdirSync(path.join(staging, 'services'), { recursive: true });
    for (const [rel, text] of data.files) fs.writeFileSync(path.join(staging, rel), text);
    fs.renameSync(staging, folder);
    const pointerTmp = path.join(root, `.${POINTER_FILE}.${process.pid}`);
    fs.writeFileSync(pointerTmp, JSON.stringify({ folder: name, retrievedAt }));
    fs.renameSync(pointerTmp, path.join(root, POINTER_FILE));
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new UpdateFailure(`cannot store the data in ${root}: ${message(e)}`);
  }
  // Older downloads go, except the one before this (a process that loaded it may still read its service files).
  const older = fs
    .readdirSync(root)
    .filter((n) => /^data-/.test(n) && n !== name)
    .sort();
  for (const n of older.slice(0, -1)) fs.rmSync(path.join(root, n), { recursive: true, force: true });
  return folder;
}

/** GETs a JSON file with a timeout and a size cap; throws an UpdateFailure that says what went wrong. */
async function fetchJson(url: string, what: string, o: { timeoutMs: number; maxBytes: number; signal: AbortSignal }): Promise<unknown> {
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]), headers: { accept: 'application/json' } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new UpdateFailure(`${what}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${url}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > o.maxBytes) throw new UpdateFailure(`${what}: ${url} is larger than ${o.maxBytes} bytes`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body?.getReader();
    for (;;) {
      const r = await reader?.read();
      if (!r || r.done) break;
      size += r.value.byteLength;
      if (size > o.maxBytes) {
        await reader!.cancel();
        throw new UpdateFailure(`${what}: ${url} is larger than ${o.maxBytes} bytes`);
      }
      chunks.push(r.value);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof UpdateFailure) throw e;
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError') throw new UpdateFailure(`${what}: no answer from ${url} within ${o.timeoutMs} ms`);
    if (name === 'AbortError') throw new UpdateFailure(`${what}: cancelled`);
    const cause = (e as { cause?: unknown }).cause;
    throw new UpdateFailure(`${what}: cannot download ${url} (${message(cause ?? e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UpdateFailure(`${what}: ${url} is not valid JSON (truncated or malformed: ${message(e)})`);
  }
}

function missing(rel: string): never {
  throw new Error(`${rel} was not produced`);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** How many names a summary lists before "and N more". */
const LISTED = 20;

/** The update's outcome in lines, for the CLI and the editor's output channel alike. */
export function describeUpdate(r: UpdateIamDataResult): string[] {
  if (!r.ok) return [`IAM data not updated: ${r.reason}`, 'The data in use is unchanged.'];
  const list = (label: string, names: readonly string[]) =>
    names.length === 0 ? [] : [`${label} (${names.length}): ${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? `, and ${names.length - LISTED} more` : ''}`];
  const d = r.diff;
  const removedServices = new Set(d.servicesRemoved.map((s) => s.toLowerCase()));
  return [
    `${r.dryRun ? 'Would store' : 'Stored'} IAM data of ${r.retrievedAt.slice(0, 10)} from ${r.url}: ${r.services} services, ${r.actions} actions.`,
    ...list('services added', d.servicesAdded),
    ...list('services removed', d.servicesRemoved),
    ...list('actions added', d.actionsAdded),
    // The actions of a removed service are implied by its line: list those that services still present lost.
    ...list('actions removed from remaining services', d.actionsRemoved.filter((a) => !removedServices.has(a.slice(0, a.indexOf(':')).toLowerCase()))),
    ...(d.servicesAdded.length + d.servicesRemoved.length + d.actionsAdded.length + d.actionsRemoved.length === 0 ? ['No service or action added or removed.'] : []),
    r.stored ? `Stored in ${r.stored}.` : `Nothing stored (dry run); the data would go to ${r.storeRoot}.`,
  ];
}
