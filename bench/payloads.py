#!/usr/bin/env python3
"""Writes POST /events bodies for the benchmark: single.json (one event) and batch10.json
(ten), following docs/events.md, timestamps now. bench/post.lua rewrites every eventId
per request so duplicates never short-cut the work."""
import datetime
import json
import os
import sys
import uuid

now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
client, session = str(uuid.uuid4()), str(uuid.uuid4())
names = ["page_view", "product_view", "add_to_cart", "checkout_start", "checkout_complete"]


def event(i):
    name = names[i % len(names)]
    e = {"eventId": str(uuid.uuid4()), "eventName": name, "eventTimestamp": now, "clientId": client,
         "sessionId": session, "urlPath": f"/products/piece-{i}", "referrer": "https://shop.example/catalog"}
    if name in ("product_view", "add_to_cart"):
        e["product"] = {"productId": f"piece-{i}", "name": f"Gold Ring {i}", "category": "rings",
                        "brand": "Aurelia", "price": 1200.0, "discountPrice": 990.0, "currency": "USD"}
        if name == "add_to_cart":
            e["product"]["quantity"] = 1
    if name == "checkout_start":
        e["cart"] = {"items": [{"productId": "piece-1", "quantity": 1, "price": 990.0}], "value": 990.0, "currency": "USD"}
    if name == "checkout_complete":
        e["order"] = {"orderId": f"JW-{i:010d}", "value": 990.0, "currency": "USD"}
    return e


out = sys.argv[1] if len(sys.argv) > 1 else "."
with open(os.path.join(out, "single.json"), "w") as f:
    json.dump({"events": [event(1)]}, f)
with open(os.path.join(out, "batch10.json"), "w") as f:
    json.dump({"events": [event(i) for i in range(10)]}, f)
