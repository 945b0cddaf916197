import { resolve } from 'node:path';
import { answerFor } from '../../testing';
import { runInTerminal, type TerminalRun } from '../support/pseudoTerminal';

const CLI = resolve(__dirname, '../../dist/cli.cjs');
const ROWS = 24;
/** what the status line sets up: the text scrolls in rows 1 to 23, the status keeps row 24 */
const SET_REGION = `\x1b[1;${ROWS - 1}r`;
/** what gives the whole terminal back to the text */
const RESET_REGION = '\x1b[r';

/** The built command line with no provider keys, the mock server pacing its answer (so there is a "while"). */
const env = (delayMs: number) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|^RXLLM_/.test(k))),
  RXLLM_MOCK_DELAY_MS: String(delayMs),
  RXLLM_LOCAL_PROBE: 'off',
});

describe('the rxllm command line on a terminal', () => {
  test('the live status line sits below a scroll region, labels its tokens/s as estimated, and the region is undone at the end', async () => {
    const prompt = 'A status line please';
    const run = runInTerminal([process.execPath, CLI, 'chat', '--mock', prompt], { env: env(5), size: { rows: ROWS, columns: 100 } });
    const { code, output } = await run.done;
    expect(code).toBe(0);
    expect(output).toContain(SET_REGION);
    expect(output.lastIndexOf(RESET_REGION)).toBeGreaterThan(output.lastIndexOf(SET_REGION));
    // the first value comes with the first chunk: one chunk, in the singular
    expect(output).toContain('\x1b[2m1 chunk · TTFT ');
    // the live rate counts tokens estimated from the text; the summary's, the count the mock reported
    expect(output).toMatch(/\x1b\[2m\d+ chunks · TTFT \d+ ms · [\d.]+ tok\/s \(estimated\) · /);
    expect(output).toMatch(/✓ completed · openai\/gpt-4o-mini · \d+ chunks · .* · \d+ tokens · [\d.]+ tok\/s · /);
    // each drawing of the status is saved-cursor … restored-cursor: without them, the answer is whole
    expect(output.replace(/\x1b7[^]*?\x1b8/g, '')).toContain(`${answerFor([{ role: 'user', content: prompt }]).text}\n`);
  });

  test.each([
    ['SIGTERM', 143, (run: TerminalRun) => run.pid.then((pid) => process.kill(pid, 'SIGTERM'))],
    ['SIGINT (Ctrl-C typed on the terminal)', 130, (run: TerminalRun) => run.type('\x03')],
  ])('%s mid-answer gives the terminal its scroll region back before the exit (status %d)', async (_, status, signal) => {
    const run = runInTerminal([process.execPath, CLI, 'chat', '--mock', 'Interrupt me'], { env: env(200), size: { rows: ROWS, columns: 100 } });
    // the region is set and the status line drawn: the stream is under way
    await run.waitFor('tok/s');
    expect(run.output()).toContain(SET_REGION);
    expect(run.output()).not.toContain(RESET_REGION);
    await signal(run);
    const { code, output } = await run.done;
    expect(code).toBe(status);
    expect(output.lastIndexOf(RESET_REGION)).toBeGreaterThan(output.lastIndexOf(SET_REGION));
    expect(output).toMatch(/■ cancelled · openai\/gpt-4o-mini · /);
  });

  test('on a terminal that reports no size the answer is written whole: no status line erases it', async () => {
    const prompt = 'No size here';
    const run = runInTerminal([process.execPath, CLI, 'chat', '--mock', prompt], { env: env(5) });
    const { code, output } = await run.done;
    expect(code).toBe(0);
    expect(output).toContain(`${answerFor([{ role: 'user', content: prompt }]).text}\n`);
    // no erase-line, no carriage return, no scroll region: nothing that could overwrite the text
    expect(output).not.toMatch(/\x1b\[2K|\r|\x1b\[[\d;]*r/);
    expect(output).toMatch(/✓ completed · /);
  });
});
