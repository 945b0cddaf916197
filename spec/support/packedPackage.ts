import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** Runs a command, resolving with its output (rejects on a non-zero exit, the output on the error). */
export const run = promisify(execFile);

/** The repository's root folder. */
export const ROOT = resolve(__dirname, '../..');

/** The runtime dependencies and the peer of rxllm, plus what a TypeScript consumer needs to type-check. */
export const PEERS_AND_DEPS = ['rxjs', 'axios', 'eventsource-parser', 'io-ts', 'fp-ts', 'typescript', '@types/node'];

/** The package as `npm pack` makes it, installed in a fresh folder outside the source tree. */
export interface PackedPackage {
  /** the consumer folder: `node_modules/rxllm` is the unpacked tarball */
  dir: string;
  /** the tarball itself, as npm would publish it */
  tarball: string;
  /** `<dir>/node_modules/rxllm` */
  packageDir: string;
  /** deletes the folder */
  remove(): void;
}

/**
 * Packs the repository with `npm pack` (what `npm publish` would upload) into a fresh temporary
 * folder and unpacks it there as `node_modules/rxllm`, beside links to `links` in the repository's
 * own node_modules — a consumer that sees only the published files.
 *
 * @example
 * const packed = await installPackedPackage();
 * await run(process.execPath, ['consumer.mjs'], { cwd: packed.dir });
 * packed.remove();
 */
export async function installPackedPackage(links: readonly string[] = PEERS_AND_DEPS): Promise<PackedPackage> {
  const dir = mkdtempSync(join(tmpdir(), 'rxllm-consumer-'));
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT });
  const tarball = join(dir, stdout.trim().split('\n').pop()!);
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', modules]);
  const packageDir = join(modules, 'rxllm');
  renameSync(join(modules, 'package'), packageDir);
  for (const name of links) {
    const target = join(modules, name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), target);
  }
  return { dir, tarball, packageDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
