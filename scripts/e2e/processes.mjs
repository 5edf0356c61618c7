// Child processes that must never outlive the runner: each is started in its own process group
// (`detached: true`) so that killing `-pid` also ends the grandchildren (code-server's extension host,
// pty host, agent host and any language server the extension forks; docs/e2e.md).
// `onShutdown` registers async cleanups; SIGINT/SIGTERM/SIGHUP run them once and exit, and a synchronous
// 'exit' hook SIGKILLs whatever group is still registered, so even an uncaught error leaves no orphans.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

/** @type {Set<import('node:child_process').ChildProcess>} */
const groups = new Set();
/** @type {Array<() => Promise<void> | void>} */
const shutdownHooks = [];
/** @type {Array<() => void>} */
const afterHooks = [];
let shuttingDown = false;
/** A signal repeated within this time is the same Ctrl+C (see installSignalHandlers). */
const DUPLICATE_SIGNAL_MS = 1500;
let installed = false;

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment of every process the bootstrap, the e2e runner and the demo start (`spawnGroup`'s default): the caller's, without
 * what an outer `npm run …` exports (`npm_config_user_agent`, `npm_config_*`, `npm_package_*`, `npm_lifecycle_*`,
 * `npm_execpath`, `npm_node_execpath`, …). Those describe the outer npm and its Node 20; inherited, they make the
 * nested `npm install code-server` believe it runs on Node 20 (its postinstall reads `npm_config_user_agent`
 * and refuses), point npm at the outer npm's configuration, and let settings of the outer run leak into the
 * nested one. npm matches these names case-insensitively, and so does this filter.
 * Keys of `extra` are added afterwards; those whose value is undefined are removed.
 */
export function childEnv(extra = {}, base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) if (!/^npm_/i.test(k)) env[k] = v;
  Object.assign(env, extra);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/**
 * Spawns a command as the leader of a new process group and registers it for cleanup. Without `options.env` the
 * child gets `childEnv()`; callers that pass an environment build it with `childEnv` (or `toolEnv`) themselves.
 */
export function spawnGroup(command, args, options = {}) {
  installSignalHandlers();
  const child = spawn(command, args, { ...options, env: options.env ?? childEnv(), detached: true });
  if (child.pid) groups.add(child);
  child.on('exit', () => {
    // The leader may exit before its children: keep the group registered while members remain.
    if (!groupAlive(child.pid)) groups.delete(child);
  });
  return child;
}

/**
 * Ends a process group: SIGTERM, then SIGKILL after `graceMs` if any member remains.
 * Resolves once no process of the group is left (or after the SIGKILL).
 */
export async function killGroup(child, graceMs = 3000) {
  if (!child?.pid) return;
  const pid = child.pid;
  try { process.kill(-pid, 'SIGTERM'); } catch { groups.delete(child); return; }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    const hardDeadline = Date.now() + 2000;
    while (Date.now() < hardDeadline && groupAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
  groups.delete(child);
}

/** True once shutdown() started (e.g. after Ctrl+C): exits of children are then expected. */
export function isShuttingDown() {
  return shuttingDown;
}

/**
 * Processes (pid and command line) in the process group `pgid` or whose command line mentions `marker`;
 * used to prove that nothing outlived a shutdown. Linux only (reads /proc); elsewhere returns [].
 */
export function leftoverProcesses({ pgid, marker } = {}) {
  const found = [];
  let pids;
  try { pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)); } catch { return found; }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
      const [, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if ((pgid && Number(group) === pgid) || (marker && cmd.includes(marker))) found.push(`${pid} ${cmd.slice(0, 140)}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/**
 * Registers a cleanup run by `shutdown()` and by SIGINT/SIGTERM/SIGHUP. Hooks run in reverse order
 * while the child processes still live (e.g. closing the browser); with `afterProcesses` the hook
 * runs once every process group is gone (e.g. deleting the folder they wrote into).
 */
export function onShutdown(hook, { afterProcesses = false } = {}) {
  installSignalHandlers();
  (afterProcesses ? afterHooks : shutdownHooks).push(hook);
}

/** A promise that never settles: lets a flow interrupted by shutdown() stop where it is. */
export function haltIfShuttingDown() {
  return shuttingDown ? new Promise(() => {}) : Promise.resolve();
}

/** Runs the cleanups, then kills every registered group. Safe to call more than once. */
export async function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const hook of shutdownHooks.reverse()) {
    try {
      await Promise.race([hook(), new Promise((r) => setTimeout(r, 5000))]);
    } catch {
      // A failing cleanup must not keep the others from running.
    }
  }
  await Promise.all([...groups].map((child) => killGroup(child)));
  runAfterHooks();
}

function runAfterHooks() {
  while (afterHooks.length > 0) {
    const hook = afterHooks.shift();
    try {
      hook();
    } catch {
      // A failing cleanup must not keep the others from running.
    }
  }
}

function installSignalHandlers() {
  if (installed) return;
  installed = true;
  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (shuttingDown) {
        // Under `npm run …`, one Ctrl+C arrives twice: from the terminal (the whole foreground group) and forwarded
        // by npm to its script. A repeat within a moment is that same press; a later one is a second Ctrl+C.
        if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
        // A second Ctrl+C: stop waiting for graceful cleanups.
        killAllSync();
        process.exit(130);
      }
      firstSignalAt = Date.now();
      console.error(`\n${signal} received: stopping child processes…`);
      shutdown().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  // Also on an abrupt exit (an uncaught error): kill what is left, then run the file cleanups.
  process.on('exit', () => {
    killAllSync();
    runAfterHooks();
  });
  // A reader that goes away (`… | head`) must not crash the run before it cleans up.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
}

function killAllSync() {
  for (const child of groups) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
