/** The live status line on a terminal, drawn where it does not mix with the streamed text. */
export interface StatusLine {
  update(text: string): void;
  /** removes the line and gives the terminal back as it was; safe to call again */
  close(): void;
}

interface Tty {
  write(text: string): boolean;
  isTTY?: boolean;
  rows?: number;
  columns?: number;
}

const NONE: StatusLine = { update() {}, close() {} };

/**
 * When the text and the status share one terminal, the status lives on the bottom row, outside a
 * scroll region that holds the text (as apt's progress bar does). When the text goes elsewhere (a
 * pipe, a file), the status is a plain `\r`-redrawn line. Not a terminal: no status at all.
 *
 * A shared terminal that reports no size (rows or columns undefined or 0, as a pseudo-terminal
 * nobody sized does) gets no live status either: without its last row there is no region to set,
 * and a `\r`-redrawn line would erase the line of the answer being written.
 */
export function createStatusLine(stderr: Tty, stdoutIsTTY: boolean): StatusLine {
  if (!stderr.isTTY) return NONE;
  const rows = stderr.rows ?? 0;
  const columns = stderr.columns ?? 0;
  const width = () => Math.max(10, (stderr.columns || 80) - 1);
  const fit = (text: string) => (text.length > width() ? text.slice(0, width()) : text);

  if (!stdoutIsTTY) {
    let drawn = false;
    return {
      update(text) {
        drawn = true;
        stderr.write(`\r\x1b[2K${fit(text)}`);
      },
      close() {
        if (drawn) stderr.write('\r\x1b[2K');
        drawn = false;
      },
    };
  }
  if (rows < 3 || columns < 1) return NONE;

  // make room for one line, then keep the text above the last row
  stderr.write(`\n\x1b[1A\x1b7\x1b[1;${rows - 1}r\x1b8`);
  let closed = false;
  return {
    update(text) {
      if (closed) return;
      stderr.write(`\x1b7\x1b[${rows};1H\x1b[2K\x1b[2m${fit(text)}\x1b[0m\x1b8`);
    },
    close() {
      if (closed) return;
      closed = true;
      stderr.write(`\x1b7\x1b[${rows};1H\x1b[2K\x1b[r\x1b8`);
    },
  };
}
