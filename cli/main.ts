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
import { startMockServer, type MockServer } from '../testing/mockServer';
import { chooseProvider } from './chooseProvider';
import { formatStatus, formatSummary } from './formatMetrics';
import { createStatusLine } from './statusLine';

const USAGE = `Usage: rxllm chat [options] "prompt"

Streams a chat answer to stdout. With no --provider (or RXLLM_PROVIDER) it picks the first provider
whose API key is set, else a local Ollama or LM Studio that answers, else it starts the embedded mock
server and streams from it — so it works with no key and no network.

Options:
  -p, --provider <id>     ${'one of ' + providerIds().join(', ')} (default: RXLLM_PROVIDER)
  -m, --model <id>        the model (default: the provider's)
      --base-url <url>    where to send the request (a proxy, a local server)
  -s, --system <text>     a system message before the prompt
      --max-tokens <n>    an upper bound on the answer's length
      --temperature <t>   sampling temperature, 0 to 2
      --mock              use the embedded mock server even when a provider is configured
      --json              print each chunk as one JSON line instead of the text
      --metrics           a metrics line on stderr even when it is not a terminal
      --recover           continue the stream if it breaks (--strategy exact|sentence|paragraph)
      --strategy <s>      the recovery commit unit (default exact)
      --buffer <n>        coalesce n chunks into one
      --timeout <ms|off>  fail (or, with --recover, retry) after this long without bytes (default 5
                          minutes, and 10 minutes to the first chunk); off: no time limit at all
      --no-status         no live status line on stderr
  -h, --help              this text
      --version           the version

API keys come from each provider's environment variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, …).
Exit status: 0 when the answer completed, 1 when the stream failed, 2 for a usage error, 130 on Ctrl-C.`;

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
  const options: StreamChatOptions = {};
  if (values.model) options.model = values.model;
  if (values['base-url']) options.baseURL = values['base-url'];
  if (values['max-tokens'] !== undefined) options.maxTokens = Number(values['max-tokens']);
  if (values.temperature !== undefined) options.temperature = Number(values.temperature);
  if (values.buffer !== undefined) options.bufferChunks = Number(values.buffer);
  // a number is the idle limit (the first-chunk default stays); 'off' turns every limit off
  if (values.timeout !== undefined) options.timeout = values.timeout === 'off' ? false : Number(values.timeout);
  if (values.recover) options.streamRecovery = true;
  if (values.strategy !== undefined) options.recovery = { strategy: values.strategy as 'exact' };

  let server: MockServer | undefined;
  if (values.mock || !configured) {
    server = await startMockServer({ chunkDelayMs: Number(env.RXLLM_MOCK_DELAY_MS ?? 25) });
    options.baseURL = mockBaseURL(server, providerId);
    options.apiKey ??= 'mock-key';
    stderr.write(
      `rxllm: ${values.mock ? '--mock given' : 'no provider configured'}; streaming from the embedded mock server at ${server.url} (${providerId} wire format)\n`,
    );
  }

  const messages: ChatMessage[] = [];
  if (values.system) messages.push({ role: 'system', content: values.system });
  messages.push({ role: 'user', content: prompt });

  const status = createStatusLine(values['no-status'] ? {} as never : stderr, Boolean(stdout.isTTY));
  let final: StreamMetrics | undefined;
  const accumulator = createResponseAccumulator();
  let endsWithNewline = true;

  const code = await new Promise<number>((resolve) => {
    let subscription: Subscription | undefined = undefined;
    const onSigint = () => {
      subscription?.unsubscribe();
      resolve(130);
    };
    process.once('SIGINT', onSigint);
    subscription = streamChat$(provider, messages, {
      ...options,
      onMetrics: (m) => {
        if (m.status !== 'streaming') final = m;
        else if (values.metrics && !stderr.isTTY) stderr.write(`metrics: ${formatStatus(m)}\n`);
        else status.update(formatStatus(m));
      },
      trackMetrics: { intervalMs: 100 },
    }).subscribe({
      next(chunk) {
        accumulator.add(chunk);
        if (values.json) {
          stdout.write(`${JSON.stringify(chunk)}\n`);
          return;
        }
        if (chunk.reasoning) stderr.write(stderr.isTTY ? `\x1b[2m${chunk.reasoning}\x1b[0m` : chunk.reasoning);
        if (chunk.content) {
          stdout.write(chunk.content);
          endsWithNewline = chunk.content.endsWith('\n');
        }
      },
      error(error: unknown) {
        process.removeListener('SIGINT', onSigint);
        status.close();
        if (!endsWithNewline) stdout.write('\n');
        endsWithNewline = true;
        stderr.write(`rxllm: ${isRxllmError(error) ? `${error.name}: ${error.message}` : String(error)}\n`);
        resolve(1);
      },
      complete() {
        process.removeListener('SIGINT', onSigint);
        resolve(0);
      },
    });
  });

  status.close();
  const answer = accumulator.snapshot();
  for (const call of values.json ? [] : answer.toolCalls) {
    stdout.write(`${endsWithNewline ? '' : '\n'}[tool call] ${call.name ?? '?'}(${call.argumentsText})\n`);
    endsWithNewline = true;
  }
  if (!endsWithNewline) stdout.write('\n');
  if (final) stderr.write(`${formatSummary(final)}\n`);
  await server?.close();
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
