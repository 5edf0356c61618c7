// A real LSP client for protocol tests: spawns `node dist/server.js --stdio` and speaks JSON-RPC to it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

export interface LspClientOptions {
  /** Settings returned for `workspace/configuration` (section ufoIam). */
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  rootUri?: string;
  /** The server to start (default dist/server.js) and Node's options before it. */
  server?: string;
  nodeArgs?: readonly string[];
  /** The client's text document capabilities, in place of the default ones (a client of another kind). */
  textDocument?: Record<string, unknown>;
}

export class LspClient {
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** Every registration the server asked for (`client/registerCapability`). */
  readonly registrations: unknown[] = [];
  /** Every publishDiagnostics notification, in the order received. */
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** The last publish for each URI's current document (see waitForVersion). */
  private readonly session = new Map<string, PublishDiagnosticsParams>();
  /** Per URI, the closes whose clearing publish has not arrived yet. */
  private readonly closing = new Map<string, number>();
  private readonly waiters: Array<() => void> = [];
  private versions = new Map<string, number>();
  /** How the server process ended, once it has (code or signal): every wait and request then fails at once with it. */
  exited: string | undefined;
  settings: Record<string, unknown>;

  private constructor(readonly child: ChildProcessWithoutNullStreams, options: LspClientOptions) {
    this.settings = options.settings ?? {};
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    child.stderr.on('data', (d) => this.stderr.push(String(d)));
    // vscode-jsonrpc leaves pending requests unanswered forever when the peer's stream closes: a server that crashed
    // would hang the test. Its exit disposes the connection (which rejects them) and wakes the waiters.
    child.once('exit', (code, signal) => {
      this.exited = signal ? `signal ${signal}` : `exit code ${code}`;
      this.connection.dispose();
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      // The server clears a closed document's diagnostics with a publish without a version: what it published for the
      // URI before that belongs to the closed document, even when it arrives after the URI was opened again.
      const closing = this.closing.get(p.uri) ?? 0;
      if (p.version === undefined && closing > 0) this.closing.set(p.uri, closing - 1);
      else if (closing === 0) this.session.set(p.uri, p);
      this.published.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  static async start(options: LspClientOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.server ?? SERVER, '--stdio'], { env: { ...process.env, ...options.env }, stdio: 'pipe' });
    const client = new LspClient(child, options);
    await client.request('initialize', {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: options.textDocument ?? {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } } },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        },
      },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /**
   * Sends a notification. One written as the server dies fails with the pipe (ERR_STREAM_DESTROYED): it is lost, as
   * it would be, and the test learns of the death from its requests and waits, not from an unhandled rejection.
   */
  private notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params).catch(() => undefined);
  }

  open(uri: string, text: string, languageId = 'ruby'): void {
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    this.session.delete(uri);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-document change event). */
  replace(uri: string, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** An incremental edit. */
  edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  close(uri: string): void {
    this.closing.set(uri, (this.closing.get(uri) ?? 0) + 1);
    this.session.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /**
   * Waits for the diagnostics published for exactly this version of the document as it is open now: not a publish
   * without a version, nor one for an earlier document of the same URI that the server sends before it handles that
   * document's close (a test that closes and opens again at once is often a whole document ahead of the server).
   */
  async waitForVersion(uri: string, version: number, timeoutMs = 5000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.session.get(uri);
      if (p && p.version === version) return p.diagnostics;
      if (this.exited) throw new Error(`the server ended (${this.exited}) while waiting for diagnostics of ${uri}; stderr: ${this.stderr.join('')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for version ${version} of ${uri} within ${timeoutMs} ms (last: version ${p?.version})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for diagnostics of the document's current version (or matching `predicate`). */
  async waitForDiagnostics(uri: string, predicate?: (d: Diagnostic[]) => boolean, timeoutMs = 5000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.diagnostics.get(uri);
      const current = p && (p.version === undefined || p.version === this.version(uri));
      if (p && current && (!predicate || predicate(p.diagnostics))) return p.diagnostics;
      if (this.exited) throw new Error(`the server ended (${this.exited}) while waiting for diagnostics of ${uri}; stderr: ${this.stderr.join('')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} within ${timeoutMs} ms (last: ${JSON.stringify(p?.diagnostics)}); stderr: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends a request; rejects, naming the request and with the server's stderr, if the server ends or has not answered within `timeoutMs`. */
  async request<R>(method: string, params: unknown, timeoutMs = 30_000): Promise<R> {
    if (this.exited) throw new Error(`${method}: the server has ended (${this.exited}); stderr: ${this.stderr.join('')}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method}: no answer within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`)), timeoutMs);
    });
    try {
      return (await Promise.race([this.connection.sendRequest(method, params), timeout])) as R;
    } catch (e) {
      if (this.exited) throw new Error(`${method}: the server ended (${this.exited}) before answering; stderr: ${this.stderr.join('')}`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      /* the server may be gone already */
    }
    this.connection.dispose();
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 2000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}
