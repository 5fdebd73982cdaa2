#!/usr/bin/env python3
"""Writes checkout.json, the example trace Spanwise bundles: one online-shop checkout, in the JSON
that Jaeger's query service returns from GET /api/traces/{id}.

The trace is designed by hand, so it can teach the viewer. A shopper places an order of 34 grocery
items: web-frontend -> api-gateway -> checkout-service, which loads the cart (cart-service, Redis),
then prices it (pricing-service) while it reserves the stock (inventory-service), charges the card
(payment-service, which calls the payment provider), stores the order and publishes order.placed to
Kafka; notification-worker sends the confirmation e-mail afterwards. Planted in it:

- an N+1 loop: pricing-service runs `SELECT ... FROM products WHERE id = $1` once per item;
- a slow query on the critical path: inventory-service's `UPDATE inventory` waits 419 ms for row
  locks another checkout holds;
- a retried call: the payment provider answers the first POST with 503, the retry 200 ms later succeeds;
- an asynchronous consumer: notification-worker processes order.placed (FOLLOWS_FROM the producer)
  and finishes after the response went out;
- clock skew: payment-service's node runs 6.3 ms behind, so its server span starts before its
  client parent.

With --after it writes the same checkout a release later, to compare with: the products are loaded
in one query, no other checkout holds the stock rows, and the payment provider answers at once.

Attributes follow the OpenTelemetry semantic conventions (HTTP, database, RPC, messaging).
Deterministic: the same script writes the same bytes. Standard library only.

    python3 resources/examples/make_checkout.py            # writes checkout.json next to this script
    python3 resources/examples/make_checkout.py -o FILE
    python3 resources/examples/make_checkout.py --after -o /tmp/checkout-after.json
"""

import argparse
import hashlib
import json
import os

# When each variant's request arrived, in microseconds since the epoch as Jaeger writes times.
START_US = {
    "before": 1_773_325_625_318_412,  # 2026-03-12 14:27:05.318412 UTC
    "after": 1_773_412_113_904_227,   # 2026-03-13 14:28:33.904227 UTC, a release later
}

# The payment-service node's clock runs behind the others (milliseconds).
PAYMENT_CLOCK_OFFSET_MS = -6.3

# service -> (process tags). Each runs as one Kubernetes pod; host.name is the pod's host name.
PROCESSES = {
    "web-frontend": [
        ("host.name", "web-frontend-6d8f9c7b4-qm2xz"), ("k8s.pod.ip", "10.42.1.17"),
        ("k8s.node.name", "node-a"), ("service.version", "4.18.2"),
        ("telemetry.sdk.language", "nodejs"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.25.1")],
    "api-gateway": [
        ("host.name", "api-gateway-5b7f6d9c8-h4n2p"), ("k8s.pod.ip", "10.42.1.23"),
        ("k8s.node.name", "node-a"), ("service.version", "2.9.0"),
        ("telemetry.sdk.language", "go"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.28.0")],
    "checkout-service": [
        ("host.name", "checkout-service-7c9d8f6b5-x2kqp"), ("k8s.pod.ip", "10.42.2.31"),
        ("k8s.node.name", "node-b"), ("service.version", "3.4.1"),
        ("telemetry.sdk.language", "java"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.40.0")],
    "cart-service": [
        ("host.name", "cart-service-66b8c5d7f9-9wtzl"), ("k8s.pod.ip", "10.42.2.44"),
        ("k8s.node.name", "node-b"), ("service.version", "1.12.3"),
        ("telemetry.sdk.language", "go"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.28.0")],
    "pricing-service": [
        ("host.name", "pricing-service-84f7b9d6c-kp7vd"), ("k8s.pod.ip", "10.42.2.52"),
        ("k8s.node.name", "node-b"), ("service.version", "2.3.0"),
        ("telemetry.sdk.language", "python"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.26.0")],
    "inventory-service": [
        ("host.name", "inventory-service-5d9c7b8f4-r8mqs"), ("k8s.pod.ip", "10.42.2.58"),
        ("k8s.node.name", "node-b"), ("service.version", "5.0.7"),
        ("telemetry.sdk.language", "java"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.40.0")],
    "payment-service": [
        ("host.name", "payment-service-7f8b9c6d5-tz4wk"), ("k8s.pod.ip", "10.42.3.12"),
        ("k8s.node.name", "node-c"), ("service.version", "6.2.0"),
        ("telemetry.sdk.language", "java"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.40.0")],
    "notification-worker": [
        ("host.name", "notification-worker-6c5d8b7f9-2xjhn"), ("k8s.pod.ip", "10.42.1.39"),
        ("k8s.node.name", "node-a"), ("service.version", "1.7.4"),
        ("telemetry.sdk.language", "python"), ("telemetry.sdk.name", "opentelemetry"),
        ("telemetry.sdk.version", "1.26.0")],
}

SCOPES = {
    "http-server": {"web-frontend": "@opentelemetry/instrumentation-http",
                    "api-gateway": "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
                    "checkout-service": "io.opentelemetry.spring-webmvc-6.0",
                    "cart-service": "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
                    "pricing-service": "opentelemetry.instrumentation.fastapi"},
    "http-client": {"web-frontend": "@opentelemetry/instrumentation-undici",
                    "checkout-service": "io.opentelemetry.java-http-client",
                    "payment-service": "io.opentelemetry.java-http-client",
                    "notification-worker": "opentelemetry.instrumentation.httpx"},
    "grpc": {"checkout-service": "io.opentelemetry.grpc-1.6", "inventory-service": "io.opentelemetry.grpc-1.6",
             "payment-service": "io.opentelemetry.grpc-1.6"},
    "jdbc": "io.opentelemetry.jdbc",
    "psycopg": "opentelemetry.instrumentation.psycopg",
    "redis-go": "github.com/redis/go-redis/extra/redisotel",
    "redis-py": "opentelemetry.instrumentation.redis",
    "kafka": "io.opentelemetry.kafka-clients-2.6",
    "kafka-py": "opentelemetry.instrumentation.confluent_kafka",
}


def tag(key, value):
    if isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, int):
        kind = "int64"
    elif isinstance(value, float):
        kind = "float64"
    else:
        kind = "string"
    return {"key": key, "type": kind, "value": value}


class Span:
    def __init__(self, service, name, kind, start_ms, end_ms, parent=None, follows=None, tags=(), scope=None):
        self.id = None  # given when the trace is written
        self.service = service
        self.name = name
        self.kind = kind
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.parent = parent
        self.follows = follows
        self.tags = [("span.kind", kind)] if kind != "internal" else []
        self.tags += list(tags)
        if scope:
            self.tags.append(("otel.scope.name", scope))
        self.logs = []  # (time in ms, [(key, value)])

    def fail(self, description):
        self.tags += [("error", True), ("otel.status_code", "ERROR"), ("otel.status_description", description)]

    def log(self, at_ms, fields):
        self.logs.append((at_ms, fields))


SPANS = []


def span(*args, **kwargs):
    s = Span(*args, **kwargs)
    SPANS.append(s)
    return s


def http_server(service, parent, start, end, method, route, target, status=200):
    return span(service, f"{method} {route}", "server", start, end, parent, scope=SCOPES["http-server"][service],
                tags=[("http.request.method", method), ("http.route", route), ("url.path", target),
                      ("url.scheme", "http"), ("http.response.status_code", status),
                      ("network.protocol.version", "1.1"), ("server.address", service), ("server.port", 8080)])


def http_client(service, parent, start, end, method, url, host, port, status=200, scope=None):
    return span(service, method, "client", start, end, parent, scope=scope or SCOPES["http-client"][service],
                tags=[("http.request.method", method), ("url.full", url), ("server.address", host),
                      ("server.port", port), ("http.response.status_code", status),
                      ("network.protocol.version", "1.1")])


def grpc(kind, service, parent, start, end, rpc_service, method, peer):
    tags = [("rpc.system", "grpc"), ("rpc.service", rpc_service), ("rpc.method", method),
            ("rpc.grpc.status_code", 0)]
    tags += [("server.address", peer), ("server.port", 50051)] if kind == "client" else [
        ("network.peer.address", peer)]
    return span(service, f"{rpc_service}/{method}", kind, start, end, parent, tags=tags, scope=SCOPES["grpc"][service])


def postgres(service, parent, start, end, operation, table, statement, database="shop", rows=None, scope=None):
    tags = [("db.system", "postgresql"), ("db.name", database), ("db.user", service.replace("-", "_")),
            ("db.operation", operation), ("db.sql.table", table), ("db.statement", statement),
            ("server.address", f"{database}-db.data.svc.cluster.local"), ("server.port", 5432)]
    if rows is not None:
        tags.append(("db.response.returned_rows", rows))
    return span(service, f"{operation} {database}.{table}", "client", start, end, parent, tags=tags,
                scope=scope or SCOPES["jdbc"])


def redis(service, parent, start, end, command, statement, scope):
    return span(service, command, "client", start, end, parent, scope=scope,
                tags=[("db.system", "redis"), ("db.operation", command), ("db.statement", statement),
                      ("db.redis.database_index", 0), ("server.address", "redis-master.data.svc.cluster.local"),
                      ("server.port", 6379)])


def build(fixed):
    """The request, in milliseconds from the moment web-frontend received it (true time). `fixed`: the
    checkout after a release that fixed the N+1 loop, with no lock contention and no provider outage."""
    order_id = "ord_01HRZ4K7Q9V3M8T2X6B5N1C0DE" if not fixed else "ord_01HS1N6D2R8W4Y7K3F5J9A0TQB"
    cart_id = "c_7731942" if not fixed else "c_7740518"
    root = http_server("web-frontend", None, 0.0, None, "POST", "/checkout", "/checkout")
    root.tags += [("user_agent.original", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 "
                                          "(KHTML, like Gecko) Version/17.3 Safari/605.1.15"),
                  ("client.address", "203.0.113.54"), ("enduser.id", "cust_58213")]
    to_gateway = http_client("web-frontend", root, 0.9, None, "POST", "http://api-gateway:8080/api/v1/checkout",
                             "api-gateway", 8080)
    gateway = http_server("api-gateway", to_gateway, 1.4, None, "POST", "/api/v1/checkout", "/api/v1/checkout")
    # The gateway proxies without a client span of its own: checkout-service's span is its child.
    checkout = http_server("checkout-service", gateway, 2.3, None, "POST", "/checkouts", "/checkouts")
    checkout.tags.append(("app.order.id", order_id))

    # 1. The cart.
    to_cart = http_client("checkout-service", checkout, 3.6, 8.4, "GET",
                          f"http://cart-service:8080/carts/{cart_id}", "cart-service", 8080)
    cart = http_server("cart-service", to_cart, 4.3, 7.7, "GET", "/carts/{cartId}", f"/carts/{cart_id}")
    redis("cart-service", cart, 4.9, 6.2, "HGETALL", f"HGETALL cart:{cart_id}", SCOPES["redis-go"])

    # 2. Price it while the stock is reserved.
    to_pricing = http_client("checkout-service", checkout, 9.8, None, "POST",
                             "http://pricing-service:8080/v1/quotes", "pricing-service", 8080)
    pricing = http_server("pricing-service", to_pricing, 10.6, None, "POST", "/v1/quotes", "/v1/quotes")
    redis("pricing-service", pricing, 11.3, 12.4, "GET", "GET price-rules:eu-de", SCOPES["redis-py"])
    at = 13.1
    durations = [3.4, 2.9, 3.1, 4.2, 2.8, 3.0, 3.6, 2.7, 3.3, 5.9, 2.9, 3.1, 3.0, 2.8, 3.5, 3.2, 2.9,
                 4.4, 3.0, 2.8, 3.1, 3.3, 2.7, 3.0, 3.8, 2.9, 3.2, 3.0, 2.8, 3.6, 3.1, 2.9, 3.4, 3.0]
    if fixed:  # one query for the whole cart
        postgres("pricing-service", pricing, at, at + 6.8, "SELECT", "products",
                 "SELECT id, sku, name, list_price, tax_class FROM products WHERE id = ANY($1)",
                 rows=len(durations), scope=SCOPES["psycopg"])
        at += 6.8 + 0.35
    else:
        for i, duration in enumerate(durations):  # the ORM loads each product on its own
            postgres("pricing-service", pricing, at, at + duration, "SELECT", "products",
                     "SELECT id, sku, name, list_price, tax_class FROM products WHERE id = $1", rows=1,
                     scope=SCOPES["psycopg"])
            at += duration + 0.35 + (i % 3) * 0.05
    postgres("pricing-service", pricing, at + 0.2, at + 4.6, "SELECT", "promotions",
             "SELECT id, rule, discount FROM promotions WHERE active AND $1 BETWEEN starts_at AND ends_at",
             rows=2, scope=SCOPES["psycopg"])
    tax = span("pricing-service", "calculate tax", "internal", at + 5.0, at + 11.8, pricing,
               tags=[("app.tax.country", "DE"), ("app.cart.items", len(durations))])
    quote = redis("pricing-service", pricing, tax.end_ms + 0.4, tax.end_ms + 1.3, "SET",
                  "SET quote:q_90317 ? EX 900", SCOPES["redis-py"])
    pricing.end_ms = quote.end_ms + 13.65  # the quote serialised to JSON
    to_pricing.end_ms = pricing.end_ms + 0.8

    to_inventory = grpc("client", "checkout-service", checkout, 9.9, None, "inventory.v1.InventoryService",
                        "ReserveStock", "inventory-service")
    inventory = grpc("server", "inventory-service", to_inventory, 10.8, None, "inventory.v1.InventoryService",
                     "ReserveStock", "10.42.2.31")
    # Before: another checkout holds the rows of the same popular items, and the UPDATE waits for their locks.
    update = postgres("inventory-service", inventory, 11.6, 11.6 + (6.2 if fixed else 419.3), "UPDATE", "inventory",
                      "UPDATE inventory SET reserved = reserved + r.qty FROM unnest($1::text[], $2::int[]) "
                      "AS r(sku, qty) WHERE inventory.sku = r.sku AND inventory.on_hand - inventory.reserved >= r.qty")
    inventory.end_ms = update.end_ms + 0.9
    to_inventory.end_ms = inventory.end_ms + 0.9

    # 3. Charge the card: payment-service calls the payment provider; before, its first answer is a 503.
    at = max(to_pricing.end_ms, to_inventory.end_ms) + 0.9
    to_payment = grpc("client", "checkout-service", checkout, at, None, "payment.v1.PaymentService", "Charge",
                      "payment-service")
    payment = grpc("server", "payment-service", to_payment, at + 0.9, None, "payment.v1.PaymentService", "Charge",
                   "10.42.2.31")
    payment.tags += [("app.payment.amount", 187.46), ("app.payment.currency", "EUR"),
                     ("app.payment.idempotency_key", "chg_" + order_id[4:])]
    psp = "api.payments-provider.example"
    at += 2.1
    if not fixed:
        first = http_client("payment-service", payment, at, at + 251.3, "POST", f"https://{psp}/v1/charges", psp,
                            443, status=503)
        first.tags += [("error.type", "503")]
        first.fail("503 Service Unavailable")
        first.log(first.end_ms - 0.1, [
            ("event", "exception"), ("exception.type", "com.shop.payment.psp.ProviderUnavailableException"),
            ("exception.message", "POST /v1/charges: 503 Service Unavailable "
                                  "(upstream acquirer timeout, request id req_8Hq2LxT0)"),
            ("exception.escaped", False)])
        payment.log(first.end_ms + 0.4, [("event", "retry scheduled"), ("retry.attempt", 1), ("retry.backoff_ms", 200)])
        at = first.end_ms + 200.8
    charge = http_client("payment-service", payment, at, at + (412.4 if fixed else 438.6), "POST",
                         f"https://{psp}/v1/charges", psp, 443)
    if not fixed:
        charge.tags.append(("http.request.resend_count", 1))
    payment.end_ms = charge.end_ms + 0.6
    to_payment.end_ms = payment.end_ms + 0.9

    # 4. Store the order and tell the rest of the shop.
    at = to_payment.end_ms + 1.2
    postgres("checkout-service", checkout, at, at + 5.3, "INSERT", "orders",
             "INSERT INTO orders (id, customer_id, cart_id, total, currency, status, items) "
             "VALUES ($1, $2, $3, $4, $5, 'placed', $6)")
    at += 6.0
    producer = span("checkout-service", "order.placed publish", "producer", at, at + 5.1, checkout,
                    scope=SCOPES["kafka"],
                    tags=[("messaging.system", "kafka"), ("messaging.destination.name", "order.placed"),
                          ("messaging.operation", "publish"), ("messaging.kafka.message.key", order_id),
                          ("messaging.kafka.destination.partition", 3), ("messaging.client_id", "checkout-service-1"),
                          ("server.address", "kafka-0.kafka.data.svc.cluster.local"), ("server.port", 9092)])
    checkout.end_ms = producer.end_ms + 1.1
    gateway.end_ms = checkout.end_ms + 0.9
    to_gateway.end_ms = gateway.end_ms + 0.6
    root.end_ms = to_gateway.end_ms + 1.6

    # 5. Asynchronously: the confirmation e-mail, after the shopper has the answer.
    at = producer.end_ms + 47.8
    consumer = span("notification-worker", "order.placed process", "consumer", at, at + 408.7, follows=producer,
                    scope=SCOPES["kafka-py"],
                    tags=[("messaging.system", "kafka"), ("messaging.destination.name", "order.placed"),
                          ("messaging.operation", "process"), ("messaging.kafka.message.key", order_id),
                          ("messaging.kafka.consumer.group", "notification-worker"),
                          ("messaging.kafka.destination.partition", 3),
                          ("messaging.kafka.message.offset", 1184233 if not fixed else 1191806)])
    postgres("notification-worker", consumer, at + 1.3, at + 5.6, "SELECT", "orders",
             "SELECT id, customer_id, total, currency, items FROM orders WHERE id = $1", rows=1,
             scope=SCOPES["psycopg"])
    postgres("notification-worker", consumer, at + 6.2, at + 9.3, "SELECT", "customers",
             "SELECT email, first_name, locale FROM customers WHERE id = $1", rows=1, scope=SCOPES["psycopg"])
    span("notification-worker", "render order-confirmation", "internal", at + 9.7, at + 28.4, consumer,
         tags=[("app.template", "order-confirmation"), ("app.locale", "de-DE")])
    mail = "api.mail-provider.example"
    http_client("notification-worker", consumer, at + 29.0, at + 405.3, "POST", f"https://{mail}/v3/mail/send", mail,
                443, status=202)
    postgres("notification-worker", consumer, at + 405.8, at + 408.2, "INSERT", "notifications",
             "INSERT INTO notifications (order_id, channel, status) VALUES ($1, 'email', 'sent')",
             scope=SCOPES["psycopg"])


def clock_offset_ms(service):
    return PAYMENT_CLOCK_OFFSET_MS if service == "payment-service" else 0.0


def to_jaeger(trace_id, start_us):
    def micros(ms):
        return start_us + round(ms * 1000)

    for number, s in enumerate(SPANS, start=1):  # in the order they were made
        s.id = hashlib.sha256(f"{trace_id}/{number}".encode()).hexdigest()[:16]
    process_ids = {service: f"p{i}" for i, service in enumerate(PROCESSES, start=1)}
    spans = []
    for s in sorted(SPANS, key=lambda s: (s.start_ms, s.end_ms)):
        skew = clock_offset_ms(s.service)
        references = []
        parent = s.parent or s.follows
        if parent:
            references.append({"refType": "CHILD_OF" if s.parent else "FOLLOWS_FROM", "traceID": trace_id,
                               "spanID": parent.id})
        start = micros(s.start_ms + skew)
        spans.append({
            "traceID": trace_id, "spanID": s.id, "operationName": s.name, "references": references,
            "startTime": start, "duration": micros(s.end_ms + skew) - start,
            "tags": [tag(k, v) for k, v in s.tags],
            "logs": [{"timestamp": micros(at + skew), "fields": [tag(k, v) for k, v in fields]}
                     for at, fields in s.logs],
            "processID": process_ids[s.service], "warnings": None, "flags": 1})
    processes = {process_ids[service]: {"serviceName": service, "tags": [tag(k, v) for k, v in tags]}
                 for service, tags in PROCESSES.items()}
    return {"data": [{"traceID": trace_id, "spans": spans, "processes": processes, "warnings": None}],
            "total": 0, "limit": 0, "offset": 0, "errors": None}


def one_span_per_line(document):
    """Compact JSON, as Jaeger sends it, but with a line per span and process, so diffs read well."""
    def compact(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    trace = document["data"][0]
    spans = ",\n".join(compact(s) for s in trace["spans"])
    processes = ",\n".join(f"{compact(k)}:{compact(v)}" for k, v in trace["processes"].items())
    tail = {k: v for k, v in document.items() if k != "data"}
    return (f'{{"data":[{{"traceID":{compact(trace["traceID"])},"spans":[\n{spans}\n],"processes":{{\n{processes}\n}},'
            f'"warnings":null}}],{compact(tail)[1:]}\n')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--after", action="store_true",
                        help="the same checkout a release later: N+1 loop fixed, no lock wait, no retry")
    parser.add_argument("-o", "--output", help="default: checkout.json next to this script")
    args = parser.parse_args()
    if args.after and not args.output:
        parser.error("--after needs -o: checkout.json is the bundled example")
    output = args.output or os.path.join(here, "checkout.json")
    build(fixed=args.after)
    seed = b"spanwise example: checkout" + (b" after" if args.after else b"")
    trace_id = hashlib.sha256(seed).hexdigest()[:32]
    start_us = START_US["after" if args.after else "before"]
    with open(output, "w", encoding="utf-8") as f:
        f.write(one_span_per_line(to_jaeger(trace_id, start_us)))
    print(f"{output}: {len(SPANS)} spans, {len(PROCESSES)} services")


if __name__ == "__main__":
    main()
