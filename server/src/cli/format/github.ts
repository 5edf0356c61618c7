// `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns into annotations on the
// pull request's files (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions): `::error`,
// `::warning` or `::notice` with the file, its 1-based line and column range and the code as the title. Data and
// property values are escaped as the runner reads them (`%`, CR and LF everywhere; `:` and `,` in properties too).
import type { Problem } from './problem';

const LEVEL: Record<Problem['severity'], 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(problems: readonly Problem[]): string {
  return problems
    .map((p) => {
      const props = [
        `file=${escapeProperty(p.file)}`,
        `line=${p.line}`,
        `col=${p.column}`,
        `endLine=${p.endLine}`,
        `endColumn=${p.endColumn}`,
        `title=${escapeProperty(`ufo-iam ${p.code}`)}`,
      ];
      return `::${LEVEL[p.severity]} ${props.join(',')}::${escapeData(p.message)}\n`;
    })
    .join('');
}
