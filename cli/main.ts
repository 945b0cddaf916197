import { parseArgs } from 'node:util';
import type { Subscription } from 'rxjs';
import { isRxllmError } from '../lib/errors/rxllmError';
import { getProvider, providerIds } from '../lib/assembly/registry';
import { createResponseAccumulator } from '../lib/responseAccumulator';
import { streamChat$ } from '../lib/assembly/streamChat';
import type { ChatMessage } from '../lib/types/chatMessage';
import type { StreamChatOptions } from '../lib/assembly/streamChatOptions';
import type { StreamMetrics } from '../lib/types/streamMetrics';
import { mockBaseURL } from '../testing/mockBaseURL';
import { answerFor } from '../testing/mockModel';
import { startMockServer, type MockServer } from '../testing/mockServer';
import { chooseProvider } from './chooseProvider';
import { mockFaultFor } from './faultFlag';
import { formatStatus, formatSummary } from './formatMetrics';
import { readChatFlags, type ChatFlags } from './readChatFlags';
import { createStatusLine } from './statusLine';
import { UsageError } from './usageError';

const USAGE = `Usage: rxllm chat [options] "prompt"

Streams a chat answer to stdout. With no --provider (or RXLLM_PROVIDER) it picks the first provider
whose API key is set, else a local Ollama or LM Studio that answers, else it starts the embedded mock
server and streams from it — so it works with no key and no network.

Options:
  -p, --provider <id>     ${'one of ' + providerIds().join(', ')} (default: RXLLM_PROVIDER)
  -m, --model <id>        the model (default: the provider's)
      --base-url <url>    where to send the request (a proxy, a local server); not with --mock
  -s, --system <text>     a system message before the prompt
      --max-tokens <n>    an upper bound on the answer's length
      --temperature <t>   sampling temperature, 0 to 2
      --mock              use the embedded mock server even when a provider is configured
      --fault <f>         with --mock: break the first answer to show recovery at work; f is
                          reset (halfway through the text), reset@<bytes> or status@<code>
      --json              print each chunk as one JSON line instead of the text
      --metrics           a metrics line on stderr even when it is not a terminal
      --recover           continue the stream if it breaks (--strategy exact|sentence|paragraph)
      --strategy <s>      the recovery commit unit (default exact; implies --recover)
      --buffer <n>        coalesce n chunks into one
      --timeout <ms|off>  fail (or, with --recover, retry) after this long without bytes (default 5
                          minutes, and 10 minutes to the first chunk); off: no time limit at all
      --no-status         no live status line on stderr
  -h, --help              this text
      --version           the version

API keys come from each provider's environment variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, …).
Exit status: 0 when the answer completed, 1 when the stream failed, 2 for a usage error, 130 on
Ctrl-C (SIGINT), 143 on SIGTERM, 141 when the reader of stdout went away (rxllm chat … | head).`;

/** Exit statuses of the shell's convention, 128 + the signal's number. */
const EXIT_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;
/** what `cat` or `yes` exits with when they write to a pipe whose reader is gone (killed by SIGPIPE) */
const EXIT_PIPE_CLOSED = 141;

const VERSION = '0.1.0';

interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Runs the command line; resolves with the exit status. */
export async function main({ argv, env, stdout, stderr }: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        provider: { type: 'string', short: 'p' },
        model: { type: 'string', short: 'm' },
        'base-url': { type: 'string' },
        system: { type: 'string', short: 's' },
        'max-tokens': { type: 'string' },
        temperature: { type: 'string' },
        mock: { type: 'boolean' },
        fault: { type: 'string' },
        json: { type: 'boolean' },
        metrics: { type: 'boolean' },
        recover: { type: 'boolean' },
        strategy: { type: 'string' },
        buffer: { type: 'string' },
        timeout: { type: 'string' },
        'no-status': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    stderr.write(`rxllm: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...words] = positionals;
  if (command !== 'chat') {
    stderr.write(`rxllm: ${command ? `unknown command '${command}'` : 'no command given'}\n\n${USAGE}\n`);
    return 2;
  }
  const prompt = words.join(' ').trim();
  if (!prompt) {
    stderr.write(`rxllm: no prompt given\n\n${USAGE}\n`);
    return 2;
  }
  let flags: ChatFlags;
  try {
    flags = readChatFlags(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`rxllm: ${error.message}\n`);
    return 2;
  }

  const named = values.provider ?? env.RXLLM_PROVIDER;
  const picked = named || values.mock ? undefined : await chooseProvider(env);
  const configured = named ?? picked?.id;
  const providerId = configured ?? 'openai';
  if (picked) stderr.write(`rxllm: using ${picked.id} (${picked.reason})\n`);
  const provider = getProvider(providerId);
  if (!provider) {
    stderr.write(`rxllm: unknown provider '${providerId}' (known: ${providerIds().join(', ')})\n`);
    return 2;
  }
  if (!configured && values['base-url'] !== undefined) {
    // the mock server would answer in its place, and the flag would be silently ignored
    stderr.write(`rxllm: --base-url needs a provider: name one with -p (or RXLLM_PROVIDER), or set its API key\n`);
    return 2;
  }
  const options: StreamChatOptions = flags.options;
  if (values.model) options.model = values.model;

  const messages: Array<ChatMessage & { content: string }> = [];
  if (values.system) messages.push({ role: 'system', content: values.system });
  messages.push({ role: 'user', content: prompt });

  let server: MockServer | undefined;
  if (values.mock || !configured) {
    server = await startMockServer({ chunkDelayMs: Number(env.RXLLM_MOCK_DELAY_MS ?? 25) });
    options.baseURL = mockBaseURL(server, providerId);
    options.apiKey ??= 'mock-key';
    stderr.write(
      `rxllm: ${values.mock ? '--mock given' : 'no provider configured'}; streaming from the embedded mock server at ${server.url} (${providerId} wire format)\n`,
    );
    if (flags.fault) {
      server.queueFaults(mockFaultFor(flags.fault, answerFor(messages).text));
      const what = flags.fault.kind === 'status' ? 'refuses its first request' : 'breaks its first answer';
      stderr.write(`rxllm: --fault ${values.fault}: the mock server ${what}${options.streamRecovery || options.recovery ? '' : ' (add --recover to see recovery at work)'}\n`);
    }
  }

  // Output can fail: the reader of a pipe goes away (`| head`); stop the stream then, quietly.
  let outputClosed = false;
  const write = (text: string) => {
    if (!outputClosed) stdout.write(text);
  };
  const writeErr = (text: string) => {
    if (!stderr.destroyed) stderr.write(text);
  };
  let stopStream: (code: number) => void = () => undefined;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (outputClosed) return;
    outputClosed = true;
    if (error.code !== 'EPIPE') writeErr(`rxllm: cannot write the answer: ${error.message}\n`);
    stopStream(error.code === 'EPIPE' ? EXIT_PIPE_CLOSED : 1);
  };
  // stderr may be the same closed pipe (`2>&1 | head`): nothing is left to tell
  const onStderrError = () => undefined;
  stdout.on('error', onStdoutError);
  stderr.on('error', onStderrError);

  const status = createStatusLine(values['no-status'] ? ({} as never) : stderr, Boolean(stdout.isTTY));
  // an uncaught error or a process.exit from here on still gives the terminal its scroll region
  // back; SIGINT and SIGTERM are handled below, and end the stream first
  const closeStatus = () => status.close();
  process.once('exit', closeStatus);
  let final: StreamMetrics | undefined;
  const accumulator = createResponseAccumulator();
  let endsWithNewline = true;

  const signals: Array<[NodeJS.Signals, () => void]> = [];
  const code = await new Promise<number>((resolve) => {
    let subscription: Subscription | undefined = undefined;
    stopStream = (code) => {
      subscription?.unsubscribe();
      resolve(code);
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const onSignal = () => stopStream(EXIT_SIGNAL[signal]);
      signals.push([signal, onSignal]);
      process.once(signal, onSignal);
    }
    subscription = streamChat$(provider, messages, {
      ...options,
      onMetrics: (m) => {
        if (m.status !== 'streaming') final = m;
        else if (values.metrics && !stderr.isTTY) writeErr(`metrics: ${formatStatus(m)}\n`);
        else status.update(formatStatus(m));
      },
      trackMetrics: { intervalMs: 100 },
    }).subscribe({
      next(chunk) {
        accumulator.add(chunk);
        if (values.json) {
          write(`${JSON.stringify(chunk)}\n`);
          return;
        }
        if (chunk.reasoning) writeErr(stderr.isTTY ? `\x1b[2m${chunk.reasoning}\x1b[0m` : chunk.reasoning);
        if (chunk.content) {
          write(chunk.content);
          endsWithNewline = chunk.content.endsWith('\n');
        }
      },
      error(error: unknown) {
        status.close();
        if (!endsWithNewline) write('\n');
        endsWithNewline = true;
        writeErr(`rxllm: ${isRxllmError(error) ? `${error.name}: ${error.message}` : String(error)}\n`);
        resolve(1);
      },
      complete() {
        resolve(0);
      },
    });
  });

  status.close();
  // from here a signal ends the process at once: there is no terminal state left to restore
  for (const [signal, onSignal] of signals) process.removeListener(signal, onSignal);
  process.removeListener('exit', closeStatus);
  if (!outputClosed) {
    const answer = accumulator.snapshot();
    for (const call of values.json ? [] : answer.toolCalls) {
      write(`${endsWithNewline ? '' : '\n'}[tool call] ${call.name ?? '?'}(${call.argumentsText})\n`);
      endsWithNewline = true;
    }
    if (!endsWithNewline) write('\n');
    if (final) writeErr(`${formatSummary(final)}\n`);
  }
  await server?.close();
  stdout.removeListener('error', onStdoutError);
  stderr.removeListener('error', onStderrError);
  return code;
}

if (require.main === module) {
  main({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`rxllm: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
