import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackedPackage, ROOT, run, type PackedPackage } from '../support/packedPackage';

/** The path of a dev-dependency's command-line script, run with this Node. */
const bin = (pkg: string, name: string) => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8'));
  return join(ROOT, 'node_modules', pkg, typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name]);
};

/** Runs a Node script; resolves with its exit code and output instead of rejecting on failure. */
async function node(args: string[], cwd = ROOT) {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

describe('the packed package is clean for every consumer', () => {
  let packed: PackedPackage;
  beforeAll(async () => {
    packed = await installPackedPackage([]);
  }, 120_000);
  afterAll(() => packed?.remove());

  test('publint finds nothing, suggestions included (--strict)', async () => {
    const result = await node([bin('publint', 'publint'), 'run', packed.tarball, '--strict', '--level', 'suggestion']);
    expect(result.stdout + result.stderr).toContain('All good!');
    expect(result.code).toBe(0);
  }, 120_000);

  test('arethetypeswrong (strict profile: node10, node16 CJS and ESM, bundler) finds no problem on any entry point, each provider included', async () => {
    const providers = readdirSync(join(packed.packageDir, 'dist', 'providers'))
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => `./providers/${file.slice(0, -'.mjs'.length)}`);
    expect(providers).toEqual(expect.arrayContaining(['./providers/openai', './providers/anthropic', './providers/gemini', './providers/ollama']));
    const result = await node([bin('@arethetypeswrong/cli', 'attw'), packed.tarball, '--format', 'json', '--include-entrypoints', ...providers]);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual({});
    const entrypoints = Object.keys(report.analysis.entrypoints);
    expect(entrypoints).toEqual(expect.arrayContaining(['.', './operators', './testing', './redis', './otel', ...providers]));
    // every entry point resolves to declarations in every mode
    for (const name of entrypoints.filter((e) => !e.includes('*') && e !== './package.json')) {
      for (const [mode, resolution] of Object.entries<{ resolution?: { isTypeScript?: boolean } }>(report.analysis.entrypoints[name].resolutions)) {
        expect({ name, mode, typed: resolution.resolution?.isTypeScript }).toEqual({ name, mode, typed: true });
      }
    }
    expect(result.code).toBe(0);
  }, 120_000);

  test('the tarball ships no stale build output: every chunk is imported by an entry or another chunk', () => {
    const dist = join(packed.packageDir, 'dist');
    const code = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? code(join(dir, entry.name)) : entry.name.endsWith('.map') ? [] : [join(dir, entry.name)],
      );
    const files = code(dist);
    const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    const chunks = files.filter((file) => file.includes('/chunks/'));
    expect(chunks.length).toBeGreaterThan(0);
    // declarations import their chunk by the JavaScript name (`./chunks/x.mjs` for x.d.mts)
    const importedAs = (name: string) => name.replace(/\.d\.(mts|cts)$/, '.$1').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
    const unused = chunks
      .map((file) => file.split('/').pop()!)
      .filter((name) => !text.includes(`/${importedAs(name)}'`) && !text.includes(`/${importedAs(name)}"`));
    expect(unused).toEqual([]);
  });
});

describe('bundle size (scripts/bundleSize.mjs)', () => {
  test('core + the OpenAI provider, minified and gzipped, peers and dependencies excluded, stays within the budget of docs/browser.md', async () => {
    // what the budget reads: the two larger entries the script also prints are left out here (6 s of CPU)
    const result = await node(['scripts/bundleSize.mjs', '--json', '--budget-only']);
    const { budgetBytes, over, results } = JSON.parse(result.stdout);
    const core = results['core + openai'];
    console.log(
      Object.entries<{ gzipBytes: number; minBytes: number }>(results)
        .map(([name, r]) => `bundle size: ${name}: ${(r.gzipBytes / 1024).toFixed(1)} kB min+gzip (${(r.minBytes / 1024).toFixed(1)} kB min)`)
        .concat(`bundle size: budget ${(budgetBytes / 1024).toFixed(1)} kB for core + openai`)
        .join('\n'),
    );
    // something real was bundled (the transport, the decoder, the operators), and minified
    expect(core.gzipBytes).toBeGreaterThan(5 * 1024);
    expect(core.minBytes).toBeGreaterThan(core.gzipBytes * 2);
    // the dependencies were left out: with them it is far bigger
    expect(results['core + openai, with dependencies'].gzipBytes).toBeGreaterThan(core.gzipBytes + 10 * 1024);
    expect(core.gzipBytes).toBeLessThanOrEqual(budgetBytes);
    expect(over).toBe(false);
    expect(result.code).toBe(0);
  }, 180_000);
});
