import { createStatusLine } from '../../cli/statusLine';

/** A stand-in for stderr: what it says about itself, and everything written to it. */
function tty(size: { rows?: number; columns?: number }, isTTY = true) {
  const written: string[] = [];
  return { isTTY, ...size, written, write: (text: string) => (written.push(text), true) };
}

describe('createStatusLine', () => {
  test('sharing a sized terminal with the text: the bottom row, outside a scroll region that close() undoes once', () => {
    const stderr = tty({ rows: 24, columns: 80 });
    const status = createStatusLine(stderr, true);
    expect(stderr.written.join('')).toContain('\x1b[1;23r');
    status.update('3 chunks');
    expect(stderr.written.at(-1)).toBe('\x1b7\x1b[24;1H\x1b[2K\x1b[2m3 chunks\x1b[0m\x1b8');
    status.close();
    expect(stderr.written.at(-1)).toBe('\x1b7\x1b[24;1H\x1b[2K\x1b[r\x1b8');
    const count = stderr.written.length;
    status.close();
    status.update('late');
    expect(stderr.written.length).toBe(count);
  });

  test.each([
    ['rows and columns undefined', {}],
    ['rows and columns 0', { rows: 0, columns: 0 }],
    ['rows 0', { rows: 0, columns: 80 }],
    ['columns 0', { rows: 24, columns: 0 }],
    ['two rows', { rows: 2, columns: 80 }],
  ])('sharing a terminal that reports no usable size (%s): nothing is written, so nothing erases the answer', (_, size) => {
    const stderr = tty(size);
    const status = createStatusLine(stderr, true);
    status.update('3 chunks');
    status.close();
    expect(stderr.written).toEqual([]);
  });

  test('the text elsewhere: a \\r-redrawn line, cut to the width (80 columns when none is reported), cleared by close()', () => {
    const stderr = tty({});
    const status = createStatusLine(stderr, false);
    status.update('x'.repeat(100));
    expect(stderr.written.at(-1)).toBe(`\r\x1b[2K${'x'.repeat(79)}`);
    status.close();
    expect(stderr.written.at(-1)).toBe('\r\x1b[2K');
  });

  test('stderr not a terminal: no status at all', () => {
    const stderr = tty({ rows: 24, columns: 80 }, false);
    const status = createStatusLine(stderr, true);
    status.update('3 chunks');
    status.close();
    expect(stderr.written).toEqual([]);
  });
});
