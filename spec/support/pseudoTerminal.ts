import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** A command running on a pseudo-terminal: what it wrote there so far, its pid, and how it ended. */
export interface TerminalRun {
  /** everything written to the terminal so far (stdout and stderr mixed, `\n` as the terminal's `\r\n`) */
  output(): string;
  /** settles when the output contains `text` (rejects when the command ends first) */
  waitFor(text: string): Promise<void>;
  /** types on the terminal's keyboard: `'\x03'` is Ctrl-C (the terminal sends SIGINT) */
  type(keys: string): void;
  /** the command's pid (the shell that started it became the command) */
  pid: Promise<number>;
  /** the command's exit status and all it wrote */
  done: Promise<{ code: number; output: string }>;
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const PID_LINE = /^pid (\d+)\r\n/;

/**
 * Runs a command on a pseudo-terminal with Debian's `script` (util-linux), so that its stdout and
 * stderr are a terminal as a user's are. `size` sets the terminal's rows and columns with `stty`;
 * without it the terminal reports none (0 × 0: what a pseudo-terminal nobody sized reports).
 */
export function runInTerminal(command: readonly string[], options: { env?: NodeJS.ProcessEnv; size?: { rows: number; columns: number } } = {}): TerminalRun {
  const { size } = options;
  const shell = `${size ? `stty rows ${size.rows} cols ${size.columns}; ` : ''}echo "pid $$"; exec ${command.map(quote).join(' ')}`;
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', shell, '/dev/null'], { env: options.env ?? process.env });
  let raw = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const output = () => raw.replace(PID_LINE, '').replace(/\r\n/g, '\n');
  child.stdout.setEncoding('utf8').on('data', (part: string) => {
    raw += part;
    for (const check of waiters) check();
  });
  const done = new Promise<{ code: number; output: string }>((resolve) =>
    child.on('close', (code, signal) => {
      ended = true;
      for (const check of waiters) check();
      resolve({ code: code ?? (signal ? 128 : 1), output: output() });
    }),
  );
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output().includes(text)) resolve();
        else if (ended) reject(new Error(`the command ended before writing ${JSON.stringify(text)}; it wrote ${JSON.stringify(output())}`));
        else return;
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  const pid = new Promise<number>((resolve, reject) => {
    const check = () => {
      const match = PID_LINE.exec(raw);
      if (match) resolve(Number(match[1]));
      else if (ended) reject(new Error(`no pid line in ${JSON.stringify(raw)}`));
      else return;
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });
  return { output, waitFor, type: (keys) => child.stdin.write(keys), pid, done };
}
