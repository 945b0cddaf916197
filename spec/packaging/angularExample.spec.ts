import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackedPackage, ROOT, run, type PackedPackage } from '../support/packedPackage';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const EXAMPLE = join(ROOT, 'examples', 'angular');

/** `tsc -p config`: its output (diagnostics, or the file list) and whether it passed. */
async function tsc(config: string, ...flags: string[]) {
  try {
    const { stdout } = await run(process.execPath, [TSC, '-p', config, ...flags], { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

describe('examples/angular type-checks against the packed package', () => {
  let packed: PackedPackage;
  /** `paths` sending `rxllm` and each subpath to the types its exports map names for `import` */
  let paths: Record<string, string[]>;

  beforeAll(async () => {
    packed = await installPackedPackage();
    const manifest = JSON.parse(readFileSync(join(packed.packageDir, 'package.json'), 'utf8'));
    paths = {};
    for (const [subpath, target] of Object.entries<{ import?: { types?: string } }>(manifest.exports)) {
      const types = target?.import?.types;
      if (types) paths[`rxllm${subpath.slice(1)}`] = [join(packed.packageDir, types)];
    }
  }, 120_000);
  afterAll(() => packed?.remove());

  /** A tsconfig in the consumer folder: the example's own, with `rxllm` resolved to the packed copy. */
  const config = (name: string, extra: object) => {
    const file = join(packed.dir, name);
    writeFileSync(file, JSON.stringify({ extends: join(EXAMPLE, 'tsconfig.json'), compilerOptions: { paths }, ...extra }));
    return file;
  };

  test('the exports map gives types for the root entry and the subpaths', () => {
    expect(Object.keys(paths).sort()).toEqual(['rxllm', 'rxllm/core', 'rxllm/operators', 'rxllm/otel', 'rxllm/providers/*', 'rxllm/redis', 'rxllm/testing']);
  });

  test("the components and their services (streamChat$('rxllm'), accumulate, the metrics$ Subject, partialObjects, toObject with the io-ts codec, toSignal, linkedSignal, signal inputs) compile, with rxllm from the tarball", async () => {
    const result = await tsc(config('tsconfig.angular.json', {}), '--listFiles');
    expect(result.output.split('\n').filter((line) => line.includes('error TS'))).toEqual([]);
    expect(result.ok).toBe(true);
    const files = result.output.split('\n');
    expect(files).toContain(join(packed.packageDir, 'dist', 'index.d.mts'));
    expect(files).toEqual(
      expect.arrayContaining(['chat.component.ts', 'chat.service.ts', 'profile.ts', 'profile.service.ts', 'profile-form.component.ts'].map((name) => join(EXAMPLE, name))),
    );
    expect(files.filter((file) => file.startsWith(join(ROOT, 'dist')))).toEqual([]);
    expect(files.some((file) => file.includes('/@angular/core/types/rxjs-interop.d.ts'))).toBe(true);
  }, 120_000);

  test('a misuse of the API in the same setting is a type error (the check is not vacuous)', async () => {
    writeFileSync(
      join(packed.dir, 'misuse.ts'),
      `import { streamChat$, type StreamMetrics } from 'rxllm';
import { Subject } from 'rxjs';
streamChat$('openai', [{ role: 'user', content: 'x' }], { temperature: 'hot' });
streamChat$('openai', [], { metrics$: new Subject<string>() });
export const m: StreamMetrics['status'] = 'done';
`,
    );
    const result = await tsc(config('tsconfig.misuse.json', { files: [join(packed.dir, 'misuse.ts')] }));
    expect(result.ok).toBe(false);
    const errors = result.output.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/misuse\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable/);
    expect(errors[1]).toMatch(/misuse\.ts\(4,\d+\): error TS/);
    expect(errors[2]).toMatch(/misuse\.ts\(5,\d+\): error TS2322: Type '"done"' is not assignable/);
  }, 120_000);

  test("the package's declarations need no Node types: a browser project checks them whole (skipLibCheck off, no @types/node)", async () => {
    writeFileSync(join(packed.dir, 'browser.ts'), `export * from 'rxllm';\nexport * from 'rxllm/operators';\nexport * from 'rxllm/providers/openai';\n`);
    const result = await tsc(config('tsconfig.browser.json', { compilerOptions: { paths, skipLibCheck: false, types: [] }, files: [join(packed.dir, 'browser.ts')] }));
    expect(result.output.split('\n').filter((line) => line.includes('error TS'))).toEqual([]);
    expect(result.ok).toBe(true);
  }, 120_000);
});
