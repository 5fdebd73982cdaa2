#!/usr/bin/env node
// Sends a known set of spans through the real OpenTelemetry JavaScript exporters (OTLP/gRPC,
// OTLP/HTTP protobuf, OTLP/HTTP JSON, Zipkin) and writes what each exporter was handed, as the
// recorded file must show it, to a JSON file:
//
//   node send_spans.js --otlp-grpc HOST:PORT --otlp-http HOST:PORT --zipkin HOST:PORT --out sent.json
//
// Each exporter gets traces of its own: a server span with attributes of every type, a client call
// with an event, an internal span failing with an exception, a producer span and a consumer span
// linked to it, nested. Times have nanosecond digits (Zipkin keeps microseconds, and the fraction the
// exporter writes for a span's start).
'use strict';

const fs = require('fs');
const api = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { ExportResultCode, hrTimeToMicroseconds } = require('@opentelemetry/core');
const { OTLPTraceExporter: GrpcExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
const { OTLPTraceExporter: ProtoExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPTraceExporter: JsonExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { ZipkinExporter } = require('@opentelemetry/exporter-zipkin');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  if (!args.out) throw new Error('--out FILE is required');
  return args;
}

const BASE_S = 1767225600; // 2026-01-01T00:00:00Z
// [seconds, nanoseconds] a given number of nanoseconds after BASE_S, plus a trace's own offset.
const at = (traceOffsetMs, ns) => [BASE_S + Math.floor(traceOffsetMs / 1000), (traceOffsetMs % 1000) * 1e6 + ns];
const nanos = (hr) => (BigInt(hr[0]) * 1000000000n + BigInt(hr[1])).toString();

// ---- what the recorded file must hold for a span, per protocol

function typedValue(value) {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'int', value } : { type: 'double', value };
  if (Array.isArray(value)) return { type: 'array', value: value.map(typedValue) };
  throw new Error(`attribute value of unexpected type ${typeof value}`);
}

function typedAttributes(attributes) {
  return Object.entries(attributes).map(([key, value]) => ({ key, ...typedValue(value) }));
}

function otlpExpectation(span) {
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext ? span.parentSpanContext.spanId : '',
    name: span.name,
    service: span.resource.attributes['service.name'],
    kind: span.kind + 1, // the API counts from INTERNAL = 0, OTLP from UNSPECIFIED = 0
    startNs: nanos(span.startTime),
    endNs: nanos(span.endTime),
    attributes: typedAttributes(span.attributes),
    resource: typedAttributes(span.resource.attributes),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version || '' },
    events: span.events.map((e) => ({ name: e.name, timeNs: nanos(e.time), attributes: typedAttributes(e.attributes || {}) })),
    links: span.links.map((l) => ({
      traceId: l.context.traceId, spanId: l.context.spanId, attributes: typedAttributes(l.attributes || {}),
    })),
    status: { code: span.status.code, message: span.status.message || '' },
  };
}

// Microseconds as JSON writes the number (1767225600123456.8) in nanoseconds, digits past them dropped:
// the exporter sends span starts with a fraction.
function jsonMicrosToNanos(us) {
  const [whole, fraction = ''] = JSON.stringify(us).split('.');
  return BigInt(whole) * 1000n + BigInt(fraction.slice(0, 3).padEnd(3, '0'));
}

// The exporter's Zipkin mapping: microseconds, every attribute (and resource attribute) a string tag,
// the status as tags, events as annotations without attributes, no links, internal spans without kind.
function zipkinExpectation(span) {
  const startNs = jsonMicrosToNanos(hrTimeToMicroseconds(span.startTime));
  const durationUs = Math.round(hrTimeToMicroseconds(span.duration));
  const tags = {};
  for (const [key, value] of Object.entries(span.attributes)) tags[key] = String(value);
  if (span.status.code !== api.SpanStatusCode.UNSET) tags['otel.status_code'] = api.SpanStatusCode[span.status.code];
  if (span.status.code === api.SpanStatusCode.ERROR && span.status.message) tags.error = span.status.message;
  for (const [key, value] of Object.entries(span.resource.attributes)) tags[key] = String(value);
  const zipkinKinds = { [api.SpanKind.SERVER]: 2, [api.SpanKind.CLIENT]: 3, [api.SpanKind.PRODUCER]: 4, [api.SpanKind.CONSUMER]: 5 };
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext ? span.parentSpanContext.spanId : '',
    name: span.name,
    service: span.resource.attributes['service.name'],
    kind: zipkinKinds[span.kind] || 1, // a span without kind nor remote endpoint is internal
    startNs: startNs.toString(),
    endNs: (startNs + BigInt(durationUs) * 1000n).toString(),
    attributes: Object.entries(tags).map(([key, value]) => ({ key, type: 'string', value })),
    events: span.events.map((e) => ({
      name: e.name, timeNs: (BigInt(Math.round(hrTimeToMicroseconds(e.time))) * 1000n).toString(), attributes: [],
    })),
    links: [],
    status: {
      code: span.status.code === api.SpanStatusCode.ERROR ? 2 : span.status.code === api.SpanStatusCode.OK ? 1 : 0,
      message: span.status.code === api.SpanStatusCode.ERROR ? span.status.message || '' : '',
    },
  };
}

// Hands spans on to the real exporter and keeps, for each span the exporter acknowledged, what the
// file must show.
class RecordingExporter {
  constructor(endpoint, exporter, expectation, sent) {
    Object.assign(this, { endpoint, exporter, expectation, sent, failures: [] });
  }
  export(spans, resultCallback) {
    this.exporter.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        for (const span of spans) this.sent.push({ endpoint: this.endpoint, ...this.expectation(span) });
      } else {
        this.failures.push(String(result.error && result.error.message));
      }
      resultCallback(result);
    });
  }
  forceFlush() { return this.exporter.forceFlush ? this.exporter.forceFlush() : Promise.resolve(); }
  shutdown() { return this.exporter.shutdown(); }
}

// One trace: GET /checkout (server) → SELECT orders (client, an event) → render (internal, fails with
// an exception); the server span → publish order (producer) ← consume order (consumer, linked to it).
function sendTrace(tracer, offsetMs, label) {
  const root = tracer.startSpan('GET /checkout', {
    kind: api.SpanKind.SERVER,
    startTime: at(offsetMs, 123456789),
    attributes: {
      'http.method': 'GET', 'http.route': '/checkout', 'http.status_code': 200, 'retry.ratio': 0.25,
      'cache.hit': false, 'big.int': 9007199254740991, 'negative': -42, 'label': label,
      'tags': ['a', 'b', 'ü'], 'ports': [80, 443], 'weights': [0.5, 1.5], 'flags': [true, false],
    },
  });
  const rootContext = api.trace.setSpan(api.context.active(), root);
  const query = tracer.startSpan('SELECT orders', {
    kind: api.SpanKind.CLIENT, startTime: at(offsetMs, 223456001),
    attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = $1' },
  }, rootContext);
  query.addEvent('rows fetched', { 'rows': 17, 'partial': true }, at(offsetMs, 323456002));
  const render = tracer.startSpan('render', { kind: api.SpanKind.INTERNAL, startTime: at(offsetMs, 333000003) },
    api.trace.setSpan(rootContext, query));
  render.recordException({ name: 'TemplateError', message: 'missing block "cart"' }, at(offsetMs, 334000004));
  render.setStatus({ code: api.SpanStatusCode.ERROR, message: 'template failed' });
  render.end(at(offsetMs, 335000005));
  query.setStatus({ code: api.SpanStatusCode.OK });
  query.end(at(offsetMs, 343456006));
  const publish = tracer.startSpan('publish order', {
    kind: api.SpanKind.PRODUCER, startTime: at(offsetMs, 400000007), attributes: { 'messaging.system': 'kafka' },
  }, rootContext);
  publish.end(at(offsetMs, 410000008));
  const consume = tracer.startSpan('consume order', {
    kind: api.SpanKind.CONSUMER, startTime: at(offsetMs, 420000009),
    links: [{ context: publish.spanContext(), attributes: { 'link.reason': 'message', 'link.index': 0 } }],
  }, rootContext);
  consume.end(at(offsetMs, 480000010));
  root.end(at(offsetMs, 500000011));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const sent = [];
  const clients = [];
  const http = (addr, path) => `http://${addr}${path}`;
  // gRPC and HTTP protobuf compress their requests (gzip), HTTP JSON does not.
  if (args['otlp-grpc'])
    clients.push(['otlp-grpc', new GrpcExporter({ url: `http://${args['otlp-grpc']}`, compression: 'gzip' }), otlpExpectation, false]);
  if (args['otlp-http']) {
    clients.push(['otlp-http-proto', new ProtoExporter({ url: http(args['otlp-http'], '/v1/traces'), compression: 'gzip' }), otlpExpectation, true]);
    clients.push(['otlp-http-json', new JsonExporter({ url: http(args['otlp-http'], '/v1/traces') }), otlpExpectation, true]);
  }
  if (args.zipkin)
    clients.push(['zipkin', new ZipkinExporter({ url: http(args.zipkin, '/api/v2/spans') }), zipkinExpectation, false]);
  const traces = Number(args.traces || 2);
  const failures = [];
  for (const [index, [endpoint, exporter, expectation, batched]] of clients.entries()) {
    const recording = new RecordingExporter(endpoint, exporter, expectation, sent);
    // Simple processors send each span in a request of its own, batch ones several together.
    const processor = batched ? new BatchSpanProcessor(recording, { scheduledDelayMillis: 50 }) : new SimpleSpanProcessor(recording);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': `node-${endpoint}`, 'host.name': 'ci-runner', 'process.pid': process.pid }),
      spanProcessors: [processor],
    });
    const tracer = provider.getTracer('spanwise-test-client', '1.4.2');
    for (let t = 0; t < traces; ++t) sendTrace(tracer, index * 10000 + t * 1000, `${endpoint} #${t}`);
    await provider.forceFlush();
    await provider.shutdown();
    failures.push(...recording.failures.map((f) => `${endpoint}: ${f}`));
  }
  fs.writeFileSync(args.out, JSON.stringify({ spans: sent }, null, 1));
  if (failures.length) {
    console.error(`export failed:\n${failures.join('\n')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
