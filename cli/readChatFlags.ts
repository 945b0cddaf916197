import type { StreamChatOptions } from '../lib/assembly/streamChatOptions';
import { readFaultFlag, type FaultFlag } from './faultFlag';
import { UsageError } from './usageError';

/** The flags of `rxllm chat` as `parseArgs` reads them (strings and booleans, unchecked). */
export interface ChatFlagValues {
  'base-url'?: string;
  'max-tokens'?: string;
  temperature?: string;
  buffer?: string;
  timeout?: string;
  strategy?: string;
  recover?: boolean;
  mock?: boolean;
  fault?: string;
}

/** What the flags ask for: the stream's options, and the fault for the mock server. */
export interface ChatFlags {
  options: StreamChatOptions;
  fault?: FaultFlag;
}

const STRATEGIES = ['exact', 'sentence', 'paragraph'] as const;
type Strategy = (typeof STRATEGIES)[number];

const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** A whole number ≥ 1 (`--buffer`, `--max-tokens`): digits only, so `1e3`, `0x10` and `''` are refused. */
function count(flag: string, value: string): number {
  if (WHOLE.test(value) && Number(value) >= 1) return Number(value);
  throw new UsageError(`${flag} needs a whole number of 1 or more, got '${value}'`);
}

/**
 * Reads and checks the flags that take values, and the flags that go together, before anything
 * starts: a bad value is a `UsageError` in plain words (`--buffer needs a whole number of 1 or
 * more, got 'abc'`), never a `ConfigError` from the stream after a server started.
 */
export function readChatFlags(values: ChatFlagValues): ChatFlags {
  const options: StreamChatOptions = {};
  let fault: FaultFlag | undefined;
  const baseURL = values['base-url'];
  if (baseURL !== undefined) {
    if (values.mock) throw new UsageError('--base-url and --mock do not go together: --mock streams from the embedded mock server at its own address');
    let url: URL | undefined;
    try {
      url = new URL(baseURL);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new UsageError(`--base-url needs an http:// or https:// URL, got '${baseURL}'`);
    options.baseURL = baseURL;
  }
  if (values['max-tokens'] !== undefined) options.maxTokens = count('--max-tokens', values['max-tokens']);
  if (values.temperature !== undefined) {
    const t = values.temperature;
    if (!DECIMAL.test(t) || Number(t) > 2) throw new UsageError(`--temperature needs a number from 0 to 2, got '${t}'`);
    options.temperature = Number(t);
  }
  if (values.buffer !== undefined) options.bufferChunks = count('--buffer', values.buffer);
  if (values.timeout !== undefined) {
    // a number is the idle limit (the first-chunk default stays); 'off' turns every limit off
    const t = values.timeout;
    if (t === 'off') options.timeout = false;
    else if (DECIMAL.test(t) && Number(t) > 0) options.timeout = Number(t);
    else throw new UsageError(`--timeout needs a number of milliseconds above 0, or off, got '${t}'`);
  }
  if (values.recover) options.streamRecovery = true;
  if (values.strategy !== undefined) {
    const s = values.strategy;
    if (!STRATEGIES.includes(s as Strategy)) throw new UsageError(`--strategy needs one of ${STRATEGIES.join(', ')}, got '${s}'`);
    // recovery is on when its strategy is given
    options.recovery = { strategy: s as Strategy };
  }
  if (values.fault !== undefined) {
    if (!values.mock) throw new UsageError('--fault needs --mock: only the embedded mock server can break its stream on purpose');
    fault = readFaultFlag(values.fault);
  }
  return fault ? { options, fault } : { options };
}
