// Which task-definition template gets the role ARNs: the one rule that the preview, `UFO: Update Task Definition ARNs`
// and `ufo-iam arns` all follow, so they never name different files.
//   - A template the user named (`--file`, or the file picked in the editor's question) wins.
//   - v6: the file UFO renders, the first of `.ufo/resources/task_definitions/{<UFO_ROLE>,web,default}.{json,yml}`.
//   - v5: `.ufo/task_definitions.rb` chooses a template per task definition with `source "<name>"` (Ruby, not read
//     here), and `main` is both the generated template and the fallback; so `main.json.erb` when it exists, the
//     only template when there is one, and otherwise the user must choose.
import type { UfoVersion } from '../compile/compileRoles';
import { pickTaskDefinitionFiles, type TaskDefinitionFile } from './pickTaskDefinitionFiles';

export type TemplateChoice =
  | { readonly kind: 'file'; readonly file: TaskDefinitionFile }
  /** Several v5 templates and none is main.json.erb: ask (the editor) or require `--file` (the CLI). */
  | { readonly kind: 'choose'; readonly candidates: readonly TaskDefinitionFile[]; readonly message: string }
  | { readonly kind: 'none'; readonly message: string };

/** The format UFO parses a template in, from its name. */
export function templateFormat(relPath: string): TaskDefinitionFile['format'] {
  return /\.ya?ml$/.test(relPath) ? 'yaml' : 'json';
}

export function chooseTemplate(version: UfoVersion, relPaths: readonly string[], ufoRole: string, explicit?: string): TemplateChoice {
  if (explicit !== undefined) return { kind: 'file', file: { path: explicit, format: templateFormat(explicit), status: 'used' } };
  const picked = pickTaskDefinitionFiles(version, relPaths, ufoRole);
  if (picked.length === 0) {
    const role = ufoRole || 'web';
    return {
      kind: 'none',
      message:
        version === 6
          ? `No task definition found: UFO v6 reads .ufo/resources/task_definitions/{${[...new Set([role, 'web', 'default'])].join(',')}}.{json,yml}.`
          : 'No task definition found: UFO v5 reads .ufo/templates/<name>.json.erb.',
    };
  }
  if (version === 6 || picked.length === 1 || /(^|\/)main\.json\.erb$/.test(picked[0].path)) return { kind: 'file', file: picked[0] };
  return {
    kind: 'choose',
    candidates: picked,
    message: `Several templates could be the task definition (${picked.map((f) => f.path).join(', ')}): .ufo/task_definitions.rb chooses one per task definition with \`source\`.`,
  };
}
