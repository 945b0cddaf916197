import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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
  /** the tarball itself, as npm would publish it (shared: read it, never change it) */
  tarball: string;
  /** `<dir>/node_modules/rxllm` */
  packageDir: string;
  /** deletes the folder */
  remove(): void;
}

/**
 * Unpacks the repository as `npm pack` makes it (what `npm publish` would upload; packed once per
 * build, see `packedTarball`) into a fresh temporary folder as `node_modules/rxllm`, beside links to `links` in the repository's
 * own node_modules — a consumer that sees only the published files.
 *
 * @example
 * const packed = await installPackedPackage();
 * await run(process.execPath, ['consumer.mjs'], { cwd: packed.dir });
 * packed.remove();
 */
export async function installPackedPackage(links: readonly string[] = PEERS_AND_DEPS): Promise<PackedPackage> {
  const dir = mkdtempSync(join(tmpdir(), 'rxllm-consumer-'));
  const tarball = await packedTarball();
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

/** Every file `npm pack` takes (the manifest, README, LICENSE and dist/), by path and content. */
function packedContentKey(): string {
  const hash = createHash('sha256');
  const add = (path: string) => hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else add(path);
    }
  };
  for (const name of readdirSync(ROOT).sort()) if (/^(package\.json|readme|license|licence)/i.test(name)) add(join(ROOT, name));
  walk(join(ROOT, 'dist'));
  return hash.digest('hex').slice(0, 16);
}

/**
 * `npm pack` of the repository as it is now, made once and shared by every suite and jest worker
 * that installs it: kept in the temporary folder under a hash of what npm packs, so a new build
 * packs again. A pack is written beside and renamed into place, so a suite never reads half a one.
 */
export async function packedTarball(): Promise<string> {
  const cache = join(tmpdir(), `rxllm-packed-${packedContentKey()}`);
  const made = existsSync(cache) ? readdirSync(cache).find((name) => name.endsWith('.tgz')) : undefined;
  if (made) return join(cache, made);
  const scratch = mkdtempSync(join(tmpdir(), 'rxllm-pack-'));
  try {
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: ROOT });
    const name = stdout.trim().split('\n').pop()!;
    mkdirSync(cache, { recursive: true });
    renameSync(join(scratch, name), join(cache, name));
    return join(cache, name);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
