/**
 * `rxllm/otel`: OpenTelemetry traces and metrics of every chat, after the GenAI semantic
 * conventions, through `streamChat$`'s `telemetry` option (`@opentelemetry/api`, an optional peer
 * dependency). See docs/observability.md.
 *
 * @example
 * import { otelTelemetry } from 'rxllm/otel';
 * streamChat$('anthropic', messages, { telemetry: otelTelemetry({ recordContent: false }) });
 */
// Public names, listed in spec/packaging/publicNames.spec.ts; the mapping helpers stay internal.
export { otelTelemetry } from './otelTelemetry';
export type { OtelTelemetryConfig } from './otelTelemetry';
