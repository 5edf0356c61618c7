// Files a hostile or broken cloned repository can hold where ufo-iam reads: git stores symbolic links, so a link to a
// device or to a file elsewhere on the machine arrives with a clone; a FIFO or a huge file can be left by any tool.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const HOSTILE_KINDS = ['fifo', 'device', 'outside', 'huge', 'loop'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** What the reader says of each kind (readProjectFile's reason). */
export const REASON_OF: Record<HostileKind, RegExp> = {
  fifo: /a FIFO \(named pipe\), not a regular file/,
  device: /symbolic link to \/dev\/zero, outside the project/,
  outside: /symbolic link to .*, outside the project/,
  huge: /64\.0 MB, over the 1\.0 MB that ufo-iam reads/,
  loop: /a loop of symbolic links/,
};

/**
 * Replaces `<root>/<rel>` with a hostile file of that kind. `outside` links to a valid file in another folder, so only
 * the containment rule can refuse it; `huge` is a sparse 64 MiB file of valid Ruby comments' worth of nothing.
 */
export function plantHostile(root: string, rel: string, kind: HostileKind, outsideContent = '# outside the project\n'): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.rmSync(p, { force: true, recursive: true });
  switch (kind) {
    case 'fifo':
      execFileSync('mkfifo', [p]);
      break;
    case 'device':
      fs.symlinkSync('/dev/zero', p);
      break;
    case 'outside': {
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-outside-'));
      fs.writeFileSync(path.join(elsewhere, path.basename(p)), outsideContent);
      fs.symlinkSync(path.join(elsewhere, path.basename(p)), p);
      break;
    }
    case 'huge':
      fs.writeFileSync(p, '');
      fs.truncateSync(p, 64 * 1024 * 1024);
      break;
    case 'loop':
      fs.symlinkSync(path.basename(p), p);
      break;
  }
}
