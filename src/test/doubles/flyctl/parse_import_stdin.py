#!/usr/bin/env python3
"""Test helper: runs the double's model of flyctl's import parser on each stream of a JSON list (base64) read
from stdin and prints the outcomes as a JSON list (values base64), so the Java model can be checked against it."""
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from fakefly.secrets import parse_import, Panic, ParseError  # noqa: E402

results = []
for item in json.load(sys.stdin):
    data = base64.b64decode(item)
    try:
        res = {"secrets": {k.decode("utf-8", "replace"): base64.b64encode(v).decode()
                           for k, v in parse_import(data).items()}}
    except Panic:
        res = {"panic": True}
    except ParseError:
        res = {"error": True}
    results.append(res)
print(json.dumps(results))
