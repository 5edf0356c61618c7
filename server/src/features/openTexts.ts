// How the editor's evaluation requests (ufoIam/can, ufoIam/permissions) read a project's role files: the open editors'
// text where a file is open, the disk (project/readProjectFile.ts) otherwise; which of the files read had an unsaved
// text that differs from the disk (the answer names them: the CLI and AWS would read the saved file); and the
// workspace's analysis of a text, so that an open role file is not parsed again for every question about it.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompileOptions } from '../project/compileProject';
import { readProjectFile, type FileRead } from '../project/readProjectFile';
import { stripBom, type AwsRequests } from './awsContext';

export interface OpenTextsReader extends Pick<CompileOptions, 'analyze'> {
  readonly read: (rel: string) => FileRead;
  /** Project-relative files (with `/`) whose open text differs from the disk, filled in as they are read. */
  readonly unsaved: Set<string>;
}

export function openTextsReader(requests: AwsRequests, documents: TextDocuments<TextDocument>, root: string): OpenTextsReader {
  const unsaved = new Set<string>();
  const read = (rel: string): FileRead => {
    const disk = readProjectFile(root, rel);
    const doc = documents.get(pathToFileURL(path.resolve(root, rel)).href);
    if (!doc) return disk;
    if (!disk.ok || stripBom(disk.text) !== doc.getText()) unsaved.add(rel.split(path.sep).join('/'));
    return { ok: true, text: doc.getText() };
  };
  const analysisOf = requests.deps.analysisOf;
  return { read, unsaved, ...(analysisOf ? { analyze: (rel: string, text: string) => analysisOf(root, rel, text) } : {}) };
}
