// The one IamKnowledge of a process. It reads the data that `ufo-iam update-data` / "UFO: Update IAM Data" stored
// (project/iamDataUpdate.ts) when that data is valid and not older than the bundled data, else the compacted data
// that ships beside the bundle (dist/data/, or the repository's dist/data when running from source: tests). Files are
// read on first use: the index at the first query, a service's details on its first hover or check.
//
// The editor's server and the CLI find the stored data in the same place (storedDataRoot), so they use the same data;
// a running server notices an update that another process stored within PointerCheckMs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheRoot } from './userCache';
import { textOfBytes } from './bytesText';
import { IamKnowledge, INDEX_FILE, type DataLoader, type DataRangeReader, type IndexFile } from '../core';

/** The stored data's pointer file: `{ "folder": "data-…" }`, replaced by a rename so that readers never see half. */
export const POINTER_FILE = 'current.json';
const POINTER_CHECK_MS = 5000;
const DAY_MS = 86_400_000;

export interface IamDataInfo {
  /** The folder the data is read from. */
  readonly dir: string;
  readonly source: 'bundled' | 'downloaded';
  /** Where downloaded data is stored (whether or not there is any). */
  readonly storeRoot: string;
  /** Why stored data was not used (invalid, or older than the bundled data). */
  readonly note?: string;
}

let instance: { iam: IamKnowledge; info: IamDataInfo; pointer: string | undefined } | undefined;
let lastPointerCheck = 0;
const listeners: (() => void)[] = [];

export function iamDataDir(): string {
  const candidates = [path.join(__dirname, 'data'), path.join(__dirname, '..', '..', '..', 'dist', 'data'), path.join(process.cwd(), 'dist', 'data')];
  const found = candidates.find((c) => fs.existsSync(path.join(c, 'iam-index.json')));
  if (!found) throw new Error(`IAM data not found (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

/**
 * Where downloaded IAM data is stored: `UFO_IAM_DATA_DIR`, else `$XDG_CACHE_HOME/ufo-iam/iam-data`, else
 * `%LOCALAPPDATA%\ufo-iam\iam-data` on Windows, else `~/.cache/ufo-iam/iam-data`. The extension's server inherits
 * the editor's environment, so the editor and the CLI of one user agree.
 */
export function storedDataRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.UFO_IAM_DATA_DIR) return path.resolve(env.UFO_IAM_DATA_DIR);
  return path.join(userCacheRoot(env), 'iam-data');
}

/** A loader over a data folder. */
export function folderLoader(dir: string): DataLoader {
  return (rel) => JSON.parse(textOfBytes(fs.readFileSync(path.join(dir, rel))));
}

/** Reads byte ranges of a data folder's files (one managed policy's record of the documents file). */
export function folderRangeReader(dir: string): DataRangeReader {
  return (rel, start, end) => {
    const buffer = Buffer.allocUnsafe(end - start);
    const fd = fs.openSync(path.join(dir, rel), 'r');
    try {
      let done = 0;
      while (done < buffer.length) {
        const n = fs.readSync(fd, buffer, done, buffer.length - done, start + done);
        if (n === 0) throw new Error(`${rel}: shorter than ${end} bytes`);
        done += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    // The file is ASCII (dataFormat.ts), so bytes are characters.
    return buffer.toString('latin1');
  };
}

/** The IAM knowledge of a data folder: its files, and the managed policy documents by their byte ranges. */
export function folderKnowledge(dir: string): IamKnowledge {
  return new IamKnowledge(folderLoader(dir), folderRangeReader(dir));
}

/** The loader of the data that ships with ufo-iam (what an update starts from). */
export function bundledLoader(): DataLoader {
  return folderLoader(iamDataDir());
}

/** The stored pointer's text, or undefined when nothing was stored (or it cannot be read). */
function readPointer(dir: string): string | undefined {
  const rel = POINTER_FILE;
  try {
    return fs.readFileSync(path.join(dir, rel), 'utf8');
  } catch {
    return undefined;
  }
}

function load(): NonNullable<typeof instance> {
  const storeRoot = storedDataRoot();
  const bundledDir = iamDataDir();
  const bundled = folderKnowledge(bundledDir);
  const pointer = readPointer(storeRoot);
  let note: string | undefined;
  if (pointer !== undefined) {
    try {
      const folder = (JSON.parse(pointer) as { folder?: unknown }).folder;
      if (typeof folder !== 'string' || folder.includes('/') || folder.includes('\\') || folder.startsWith('.')) throw new Error(`${POINTER_FILE} names no folder`);
      const dir = path.join(storeRoot, folder);
      const stored = folderKnowledge(dir);
      if (!stored.provenance.serviceReference) throw new Error('the stored index has no serviceReference provenance');
      if (stored.listServices().length === 0) throw new Error('the stored index has no services');
      // A release whose bundled data is newer than the last download wins: an old download must not hide it.
      if (stored.provenance.dataDate >= bundled.provenance.dataDate) {
        return { iam: stored, info: { dir, source: 'downloaded', storeRoot }, pointer };
      }
      note = `the downloaded data of ${stored.provenance.dataDate} is older than the bundled data of ${bundled.provenance.dataDate}`;
    } catch (e) {
      note = `the stored IAM data in ${storeRoot} is not usable (${e instanceof Error ? e.message : String(e)}); using the bundled data`;
    }
  }
  return { iam: bundled, info: { dir: bundledDir, source: 'bundled', storeRoot, ...(note ? { note } : {}) }, pointer };
}

export function getIam(): IamKnowledge {
  if (instance && Date.now() - lastPointerCheck > POINTER_CHECK_MS) {
    lastPointerCheck = Date.now();
    // Another process (the CLI, another window) stored new data: switch to it, and tell the listeners afterwards.
    if (readPointer(instance.info.storeRoot) !== instance.pointer) {
      instance = undefined;
      setImmediate(() => listeners.forEach((l) => l()));
    }
  }
  if (!instance) {
    instance = load();
    lastPointerCheck = Date.now();
  }
  return instance.iam;
}

/** Which data getIam() reads, and why stored data was passed over. */
export function iamDataInfo(): IamDataInfo {
  getIam();
  return instance!.info;
}

/** The index of the data getIam() reads (an update compares against it). */
export function currentIndex(): IndexFile {
  return folderLoader(iamDataInfo().dir)(INDEX_FILE) as IndexFile;
}

/** Loads the preferred data again (after an update); the caches keyed by the old IamKnowledge fall away with it. */
export function reloadIam(): IamKnowledge {
  instance = undefined;
  return getIam();
}

/** Called after getIam() switched to data that another process stored. */
export function onIamReplaced(listener: () => void): void {
  listeners.push(listener);
}

/** "IAM data of 2026-09-26 (bundled, 68 days old)"; downloaded data names its URL. */
export function describeIamData(dataDate: string, downloadedFrom: string | undefined, now: number): string {
  const days = Math.max(0, Math.floor((now - Date.parse(`${dataDate}T00:00:00Z`)) / DAY_MS));
  const age = days === 0 ? 'from today' : `${days} day${days === 1 ? '' : 's'} old`;
  return `IAM data of ${dataDate} (${downloadedFrom ? `downloaded from ${downloadedFrom}` : 'bundled'}, ${age})`;
}
