// The server's own share of the latencies that bench/run.mjs measures over LSP: the same requests on the same
// generated file, computed and turned into JSON in-process (the handlers' code, without pipes, the other process and
// the scheduling of the machine). Run by bench/run.mjs through tsx; prints JSON.
// Usage: node --import tsx bench/inServer.ts LINES REQUESTS
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../server/src/workspace';
import { getPrism } from '../server/src/project/prismInstance';
import { getIam } from '../server/src/project/iamInstance';
import { completionSupportOf, provideCompletion, warmUpCompletion } from '../server/src/features/completion';
import { provideHover } from '../server/src/features/hover';
import { tuneV8ForServer } from '../server/src/v8Tuning';
import { setFlagsFromString } from 'node:v8';
// @ts-expect-error plain ESM helper shared with bench/run.mjs
import { benchPositions, generateRoleFile } from './generate.mjs';

tuneV8ForServer(setFlagsFromString, process.execArgv);
const lines = Number(process.argv[2] ?? 100);
const requests = Number(process.argv[3] ?? 500);
const text: string = generateRoleFile(lines);
const { actionPos, managedPos, condPos, hoverPos } = benchPositions(text);
const doc = TextDocument.create('file:///bench/.ufo/iam_roles/task_role.rb', 'ruby', 1, text);
const workspace = new Workspace(getPrism());
const iam = getIam();
// What VS Code announces (as bench/run.mjs does).
const support = completionSupportOf({
  textDocument: {
    completion: {
      completionItem: { snippetSupport: true, labelDetailsSupport: true, tagSupport: { valueSet: [1] }, documentationFormat: ['markdown', 'plaintext'] },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
  },
});
warmUpCompletion(iam, support);

function measure(run: () => unknown): { p50: number; p99: number; max: number } {
  // As over LSP, the first request of each kind (which builds lazy indexes) is not counted.
  JSON.stringify(run());
  const ms: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    JSON.stringify(run());
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const pct = (p: number) => +ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)].toFixed(3);
  return { p50: pct(50), p99: pct(99), max: +ms[ms.length - 1].toFixed(3) };
}

const complete = (position: { line: number; character: number }) => () => provideCompletion(workspace.indexed(doc), position, iam, support);
console.log(
  JSON.stringify({
    completion: { actionValues: measure(complete(actionPos)), managedPolicyNames: measure(complete(managedPos)), conditionKeys: measure(complete(condPos)) },
    hover: measure(() => provideHover(workspace.analyze(doc), hoverPos, iam)),
  }),
);
