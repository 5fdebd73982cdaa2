#!/usr/bin/env python3
"""Sends spans with py_zipkin (Debian's python3-py-zipkin) to a Zipkin endpoint and writes what was
sent, as the recorded file must show it, to a JSON file:

  send_zipkin.py --zipkin HOST:PORT --out sent.json

One trace goes to /api/v2/spans in Zipkin v2 JSON, one to /api/v1/spans in v1 JSON. What was sent is
read back from the payloads the server acknowledged, so it is exactly what went over the wire.
"""
import argparse
import json
import sys
import time
import urllib.request

from py_zipkin import Encoding, Kind
from py_zipkin.transport import BaseTransportHandler
from py_zipkin.zipkin import zipkin_span

class HttpTransport(BaseTransportHandler):
    """POSTs each payload and keeps the ones the server acknowledged."""

    def __init__(self, url):
        self.url = url
        self.payloads = []

    def get_max_payload_bytes(self):
        return None

    def send(self, payload):
        if isinstance(payload, str):
            payload = payload.encode()
        request = urllib.request.Request(self.url, data=payload, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status // 100 != 2:
                raise RuntimeError(f"{self.url} answered {response.status}")
        self.payloads.append(payload)


def padded_trace_id(trace_id):
    return trace_id.rjust(32, "0")


def expectation(trace_id, span_id, parent_id, name, service, kind, timestamp_us, duration_us, tags, annotations):
    status = {"code": 0, "message": ""}
    if "error" in tags:
        status = {"code": 2, "message": tags["error"]}
    return {
        "endpoint": "zipkin",
        "traceId": padded_trace_id(trace_id),
        "spanId": span_id,
        "parentSpanId": parent_id or "",
        "name": name,
        "service": service,
        "kind": kind,
        "startNs": str(timestamp_us * 1000),
        "endNs": str((timestamp_us + duration_us) * 1000),
        "attributes": [{"key": k, "type": "string", "value": v} for k, v in tags.items()],
        "events": [{"name": a["value"], "timeNs": str(a["timestamp"] * 1000), "attributes": []} for a in annotations],
        "links": [],
        "status": status,
    }


V2_KINDS = {"SERVER": 2, "CLIENT": 3, "PRODUCER": 4, "CONSUMER": 5}


def from_v2(span):
    # A span without kind (and without remote endpoint) is a local one: internal.
    return [expectation(span["traceId"], span["id"], span.get("parentId"), span["name"],
                        span["localEndpoint"]["serviceName"], V2_KINDS.get(span.get("kind"), 1), span["timestamp"],
                        span["duration"], span.get("tags", {}), span.get("annotations", []))]


# v1 carries the kind as core annotations, which are not events.
V1_CORE = ("cs", "cr", "sr", "ss")


def from_v1(span):
    """py_zipkin writes a local span in v1 with all four core annotations (cs, sr, ss, cr). As Zipkin's
    own v1 converter does, that is a client span and, under it, the server half sharing its id (timed
    by sr and ss): OTLP has no shared ids, so the file gives that half an id of its own."""
    annotations = []
    core = {}
    service = None
    for a in span.get("annotations", []):
        service = service or a.get("endpoint", {}).get("serviceName")
        if a["value"] in V1_CORE:
            core[a["value"]] = a["timestamp"]
        else:
            annotations.append(a)
    tags = {}
    for b in span.get("binaryAnnotations", []):
        service = service or b.get("endpoint", {}).get("serviceName")
        tags[b["key"]] = b["value"]
    kind = 3 if "cs" in core or "cr" in core else 2 if "sr" in core or "ss" in core else 1
    spans = [expectation(span["traceId"], span["id"], span.get("parentId"), span["name"], service, kind,
                         span["timestamp"], span["duration"], tags, annotations)]
    if "cs" in core and "sr" in core:
        server = expectation(span["traceId"], "", span["id"], span["name"], service, 2, core["sr"],
                             core["ss"] - core["sr"], {}, [])
        server["sharedHalfOf"] = span["id"]
        spans.append(server)
    return spans


def send_trace(transport, encoding, label):
    """A server span, a client call under it and a local span failing: timed by py_zipkin itself."""
    with zipkin_span(service_name="py-shop", span_name="GET /cart", transport_handler=transport, sample_rate=100.0,
                     encoding=encoding, kind=Kind.SERVER, use_128bit_trace_id=True,
                     binary_annotations={"http.method": "GET", "label": label}):
        with zipkin_span(service_name="py-shop", span_name="select cart", kind=Kind.CLIENT, encoding=encoding,
                         binary_annotations={"db.system": "sqlite"}) as query:
            query.update_binary_annotations({"db.rows": "3"})
            time.sleep(0.002)
        with zipkin_span(service_name="py-shop", span_name="render cart", kind=Kind.LOCAL, encoding=encoding,
                         binary_annotations={"error": "template missing"}):
            time.sleep(0.001)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zipkin", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sent = []
    for path, encoding, decode in (("/api/v2/spans", Encoding.V2_JSON, from_v2),
                                   ("/api/v1/spans", Encoding.V1_JSON, from_v1)):
        transport = HttpTransport(f"http://{args.zipkin}{path}")
        send_trace(transport, encoding, path)
        for payload in transport.payloads:
            sent += [half for span in json.loads(payload) for half in decode(span)]
    with open(args.out, "w") as out:
        json.dump({"spans": sent}, out, indent=1)


if __name__ == "__main__":
    sys.exit(main())
