// The server's view of the workspace: open documents, their analyses (cached by version, with the
// last syntax-error-free one kept), and for each file the UFO project around it. All file-system
// access of the language server happens here.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeEdit, analyzeRoleFile, editedPart, indexText, type IndexedText, type RoleFileAnalysis, type PrismParse, RAISING_CODES } from './core';
import { fileContextIn, OUTSIDE, type FileContext } from './project/fileContext';
import { listUfoFiles, openProject, projectRootOfPath, type ProjectContext } from './project/projectContext';
import { readConfigApp, type ConfigApp } from './project/ufoConfig';
import { readProjectFile, type FileRead } from './project/readProjectFile';
import type { Settings } from './settings';

export type { FileContext };

interface ProjectInfo {
  files: string[];
  config?: ConfigApp;
  /** The context opened with each settings object (one per document's pulled settings), while the listing holds. */
  contexts: WeakMap<Settings, ProjectContext>;
}

export class Workspace {
  private readonly texts = new Map<string, { version: number; indexed: IndexedText }>();
  private readonly analyses = new Map<string, { version: number; analysis: RoleFileAnalysis }>();
  private readonly lastGood = new Map<string, RoleFileAnalysis>();
  /** Analyses of role-file texts read from disk (analysisOf), by text, oldest first. */
  private readonly byText = new Map<string, RoleFileAnalysis>();
  private readonly projects = new Map<string, ProjectInfo>();

  constructor(
    private readonly parse: PrismParse,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /**
   * The current text of a document with its bytes and line index, built once per version: completion reads it
   * without waiting for a parse, and the analysis of that version starts from it.
   */
  indexed(doc: TextDocument): IndexedText {
    const text = doc.getText();
    const hit = this.texts.get(doc.uri);
    // A reopened document starts its versions again: the text decides (the same string object while unchanged).
    if (hit && hit.version === doc.version && hit.indexed.text === text) return hit.indexed;
    const indexed = indexText(text);
    this.texts.set(doc.uri, { version: doc.version, indexed });
    return indexed;
  }

  /**
   * The analysis of a document at its current version (computed once per version, from the previous version's when
   * the edit lies inside one call: core/incremental.ts).
   */
  analyze(doc: TextDocument): RoleFileAnalysis {
    const cached = this.analyses.get(doc.uri);
    // The text decides too: a request that waited while its document was closed and opened again analyses the old
    // document after the new one's versions started again, under a version the new one will reach.
    if (cached && cached.version === doc.version && cached.analysis.text === doc.getText()) return cached.analysis;
    const indexed = this.indexed(doc);
    const analysis = analyzeEdit(this.parse, cached?.analysis, indexed);
    this.analyses.set(doc.uri, { version: doc.version, analysis });
    if (!analysis.findings.some((f) => RAISING_CODES.has(f.code))) this.lastGood.set(doc.uri, analysis);
    return analysis;
  }

  /**
   * Whether the document's current text differs from its last analysed one only inside one call, one comment or the
   * top-level statements around the edit, so that its analysis may keep the rest of the model (cheap: the texts are
   * compared, nothing is parsed).
   */
  editStaysInOnePart(doc: TextDocument): boolean {
    const cached = this.analyses.get(doc.uri);
    return !!cached && cached.analysis.text !== doc.getText() && editedPart(cached.analysis, this.indexed(doc)) !== undefined;
  }

  /** The latest analysis that UFO could evaluate (no syntax or DSL errors), for features that need a whole model. */
  lastGoodAnalysis(uri: string): RoleFileAnalysis | undefined {
    return this.lastGood.get(uri);
  }

  /**
   * The analysis of a project's role file with this text, for compiling the project (compileProject's `analyze`): an
   * open document's analysis when its current text is this text, else the one made for the same text before (the
   * role file that is not open is read from disk on every check and rarely changes), else a new one.
   */
  analysisOf(root: string, relPath: string, text: string): RoleFileAnalysis {
    const uri = pathToFileURL(path.join(root, relPath)).href;
    const open = this.analyses.get(uri);
    if (open && open.analysis.text === text) return open.analysis;
    const known = this.byText.get(text);
    if (known) return known;
    const analysis = analyzeRoleFile(this.parse, text);
    // A few texts are enough: the role files of the projects being edited; a large one is not kept twice.
    if (this.byText.size >= 4) this.byText.delete(this.byText.keys().next().value!);
    this.byText.set(text, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.texts.delete(uri);
    this.analyses.delete(uri);
    this.lastGood.delete(uri);
  }

  /** Drops cached project listings (a file under `.ufo/` was created, deleted or renamed). */
  invalidateProjects(): void {
    this.projects.clear();
  }

  private project(root: string): ProjectInfo {
    let p = this.projects.get(root);
    if (!p) {
      p = { files: listUfoFiles(root), config: readConfigApp(root), contexts: new WeakMap() };
      this.projects.set(root, p);
    }
    return p;
  }

  /** The project context of a project root with these settings (opened once per listing and settings object). */
  projectAt(root: string, settings: Settings): ProjectContext {
    const info = this.project(root);
    let ctx = info.contexts.get(settings);
    if (!ctx) {
      ctx = openProject(root, { settings, env: this.env, files: info.files, config: info.config ?? null });
      info.contexts.set(settings, ctx);
    }
    return ctx;
  }

  contextOf(uri: string, settings: Settings): FileContext {
    let fsPath: string;
    try {
      if (!uri.startsWith('file:')) return OUTSIDE;
      fsPath = fileURLToPath(uri);
    } catch {
      return OUTSIDE;
    }
    const root = projectRootOfPath(fsPath);
    if (!root) return OUTSIDE;
    const relPath = path.relative(root, fsPath).split(path.sep).join('/');
    return fileContextIn(this.projectAt(root, settings), relPath);
  }

  /** Reads a project file from disk (for the role file that is not open), under the rules of readProjectFile. */
  readFile(root: string, relPath: string): FileRead {
    return readProjectFile(root, relPath);
  }
}
