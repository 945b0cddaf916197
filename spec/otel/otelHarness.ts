import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import { otelTelemetry, type OtelTelemetryConfig } from '../../otel';

/** One histogram point: its attributes, count and sum. */
export interface Point {
  attributes: Attributes;
  count: number;
  sum: number;
  boundaries: number[];
}

/**
 * The real OpenTelemetry SDK, in memory: a tracer provider whose ended spans are kept, a meter
 * provider whose histograms are read on demand, and an `otelTelemetry` on both.
 */
export function otelHarness(config: Omit<OtelTelemetryConfig, 'tracerProvider' | 'meterProvider'> = {}) {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    telemetry: otelTelemetry({ ...config, tracerProvider, meterProvider }),
    /** the spans ended so far */
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    /** the points of each histogram recorded so far, by name */
    async histograms(): Promise<Record<string, Point[]>> {
      await reader.forceFlush();
      const out: Record<string, Point[]> = {};
      const exported = metricExporter.getMetrics();
      const last = exported[exported.length - 1];
      for (const scope of last?.scopeMetrics ?? []) {
        for (const metric of scope.metrics as HistogramMetricData[]) {
          out[metric.descriptor.name] = metric.dataPoints.map((p) => ({
            attributes: p.attributes,
            count: p.value.count,
            sum: p.value.sum ?? 0,
            boundaries: p.value.buckets.boundaries,
          }));
        }
      }
      return out;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** What a span tells a backend, as text: its name, status, attributes and events (for secret scans). */
export function spanText(span: ReadableSpan): string {
  return JSON.stringify({ name: span.name, status: span.status, attributes: span.attributes, events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })) });
}
