import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One export an OTLP/HTTP client sent: its path (`/v1/traces`, `/v1/metrics`), headers and parsed JSON body. */
export interface OtlpExport {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface OtlpReceiver {
  /** the base URL to export to (`${url}/v1/traces`) */
  url: string;
  exports: OtlpExport[];
  close(): Promise<void>;
}

/**
 * A local OTLP/HTTP receiver, as a collector's `otlp` receiver answers an exporter: every POST of
 * OTLP JSON (`content-type: application/json`, what `@opentelemetry/exporter-trace-otlp-http` sends)
 * kept, and answered `200 {}` (an export service response with nothing rejected). A body that is not
 * JSON is answered 400, as a collector does, and not kept.
 *
 * @example
 * const receiver = await startOtlpReceiver();
 * new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` });
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: OtlpExport[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      try {
        exports.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(parts).toString('utf8')) });
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"the body is not OTLP JSON"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * This process's environment without its `OTEL_*` variables, for a child process that exports to a
 * receiver: a compression, protocol, header or endpoint set around the tests would change the wire.
 *
 * @example
 * execFile(process.execPath, [script], { env: { ...withoutOtelVariables(), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
 */
export function withoutOtelVariables(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
}
