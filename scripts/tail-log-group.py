#!/usr/bin/env python3
"""Follows a CloudWatch Logs group, printing each line as it arrives (like
`aws logs tail --follow`), through boto3 and the AWS SDK's standard variables
(AWS_ENDPOINT_URL points it at an emulator). Usage: tail-log-group.py GROUP"""
import os
import sys
import time

import boto3

group = sys.argv[1]
# boto3 reads AWS_DEFAULT_REGION only; the Rust SDK and this README use AWS_REGION.
logs = boto3.client("logs", region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))
seen, start = set(), 0
while True:
    token, kwargs = None, {"logGroupName": group, "startTime": start}
    try:
        while True:
            page = logs.filter_log_events(**kwargs, **({"nextToken": token} if token else {}))
            for event in page.get("events", []):
                if event["eventId"] not in seen:
                    seen.add(event["eventId"])
                    start = max(start, event["timestamp"])
                    print(event["message"], flush=True)
            token = page.get("nextToken")
            if not token or not page.get("events"):
                break
    except logs.exceptions.ResourceNotFoundException:
        pass  # the server creates the group with its first lines
    time.sleep(1)
