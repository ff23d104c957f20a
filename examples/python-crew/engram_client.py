"""A tiny Engram REST client using only the Python standard library (urllib)."""

import json
import os
import urllib.error
import urllib.request

BASE_URL = os.environ.get("ENGRAM_URL", "http://127.0.0.1:8787")
API_KEY = os.environ.get("ENGRAM_API_KEY", "")


class EngramError(Exception):
    """An error answered by the server; `code` is the stable EngramError code."""

    def __init__(self, status, body):
        self.status = status
        self.code = body.get("code") if isinstance(body, dict) else None
        super().__init__(f"{status} {self.code}: {body.get('message') if isinstance(body, dict) else body}")


def _request(method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(BASE_URL + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    if API_KEY:
        request.add_header("authorization", f"Bearer {API_KEY}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    return request


def call(method, path, body=None):
    """Sends one JSON request and returns the parsed JSON answer."""
    try:
        with urllib.request.urlopen(_request(method, path, body), timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise EngramError(error.code, json.loads(error.read() or b"{}")) from None


def remember(namespace, content, **fields):
    return call("POST", "/v1/memories", {"namespace": namespace, "content": content, **fields})


def search(query, within=None, limit=5):
    body = {"query": query, "limit": limit}
    if within is not None:
        body["within"] = within
    return call("POST", "/v1/search", body)["memories"]


def follow_events(within, last_event_id=None):
    """Yields ("ready", None) once connected, then (event_type, event) for each change."""
    path = "/v1/events?within=" + "/".join(within)
    headers = {"accept": "text/event-stream"}
    if last_event_id:
        headers["last-event-id"] = last_event_id
    with urllib.request.urlopen(_request("GET", path, headers=headers), timeout=60) as stream:
        fields = {}
        for raw in stream:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith(": connected"):
                yield "ready", None
            elif line == "":
                if "data" in fields:
                    yield fields.get("event", "message"), json.loads(fields["data"])
                fields = {}
            elif not line.startswith(":") and ":" in line:
                name, value = line.split(":", 1)
                fields[name] = value.strip()
