import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, run } from '../support/packedPackage';

const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const LAYERS = ['lib', 'operators', 'providers', 'redis', 'otel', 'testing', 'cli'];

/** dependency-cruiser with the project's rules over `layers` of `cwd`: its report, and whether it passed. */
async function cruise(cwd: string, layers: string[]) {
  try {
    const { stdout } = await run(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'err', ...layers], { cwd });
    return { ok: true, report: stdout };
  } catch (error) {
    return { ok: false, report: String((error as { stdout?: string }).stdout ?? error) };
  }
}

/** A tree of tiny modules, `{ 'lib/a.ts': "import '../operators/b';" }`, in a fresh temporary folder. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rxllm-layers-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node10' } }));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `${source}\nexport const here = 1;\n`);
  }
  return dir;
}

describe('the import rule (.dependency-cruiser.cjs)', () => {
  it('holds for the project: only lib/assembly composes operators and providers', async () => {
    const { ok, report } = await cruise(ROOT, LAYERS);
    expect(report).toContain('no dependency violations found');
    expect(ok).toBe(true);
  });

  describe('on a tree that breaks each rule once', () => {
    let dir: string;
    let result: { ok: boolean; report: string };
    beforeAll(async () => {
      dir = tree({
        'lib/base.ts': "import '../operators/op';",
        'lib/transport/t.ts': "import '../../providers/x/p';",
        'operators/op.ts': "import '../providers/x/p';",
        'operators/assembled.ts': "import '../lib/assembly/streamChat';",
        'providers/x/p.ts': "import '../../operators/plain';",
        'providers/x/other.ts': "import '../y/q';",
        'providers/y/q.ts': "import '../../testing/mock';",
        'operators/plain.ts': '',
        'lib/assembly/streamChat.ts': '',
        'testing/mock.ts': '',
      });
      result = await cruise(dir, ['lib', 'operators', 'providers', 'testing']);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('fails', () => expect(result.ok).toBe(false));
    it.each([
      ['the core importing an operator', 'only-the-assembly-composes: lib/base.ts → operators/op.ts'],
      ['the core importing a provider', 'only-the-assembly-composes: lib/transport/t.ts → providers/x/p.ts'],
      ['an operator importing a provider', 'operators-stand-on-the-core: operators/op.ts → providers/x/p.ts'],
      ['a provider importing an operator', 'providers-stand-on-the-core: providers/x/p.ts → operators/plain.ts'],
      ['a provider importing another provider', 'providers-share-only-the-base: providers/x/other.ts → providers/y/q.ts'],
      ['an operator importing the assembly', 'nothing-below-leans-on-the-assembly: operators/assembled.ts → lib/assembly/streamChat.ts'],
      ['a provider importing the mock server', 'the-library-ships-no-test-code: providers/y/q.ts → testing/mock.ts'],
    ])('names %s', (_what, violation) => expect(result.report).toContain(violation));
  });

  it('lets the assembly, the root entry and the shared OpenAI-compatible base be imported as the layers allow', async () => {
    const dir = tree({
      'lib/assembly/streamChat.ts': "import '../../operators/op'; import '../../providers/x/p';",
      'lib/index.ts': "import './assembly/streamChat'; import '../operators/op';",
      'operators/op.ts': "import '../lib/base';",
      'providers/x/p.ts': "import '../openai-compatible/base'; import '../../lib/base';",
      'providers/openai-compatible/base.ts': "import '../../lib/base';",
      'lib/base.ts': '',
    });
    try {
      const { ok, report } = await cruise(dir, ['lib', 'operators', 'providers']);
      expect(report).toContain('no dependency violations found');
      expect(ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
