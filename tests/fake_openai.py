"""A scriptable OpenAI-compatible fake server (stdlib only) for tests, the app helper and the browser test.

Start it in a thread::

    with FakeOpenAI(reject_formats={"json_schema"}) as fake:
        fake.push({"json": {...}}, {"status": 429}, {"stream": ["一", "二"]})
        ... OPENAI_BASE_URL=fake.url ...

or as a process: ``python tests/fake_openai.py --port 8765 --script script.json`` (prints the URL, runs until
killed). A script file is ``{"reject_formats": [...], "responses": [action, ...], "default": action}``.

Actions (dicts), consumed in order, one per ``POST /v1/chat/completions``:

- ``{"content": "text"}`` / ``{"json": obj}``: a normal completion (``finish_reason`` "stop")
- ``{"stream": ["a", "b"]}``: a server-sent-event stream; with ``"break_after": n`` the connection drops after
  n chunks (the client sees an incomplete body)
- ``{"empty": true}``: empty content; ``{"malformed": true}``: content that is not JSON
- ``{"status": 429|500|400|…, "error": "message", "retry_after": seconds}``: an error response
- ``"delay": seconds`` on any action: sleep first (for client timeouts)

A request whose ``response_format.type`` is in ``reject_formats`` gets HTTP 400 without consuming an action.
When the queue is empty the ``default`` action is used; the built-in default answers extraction requests
with an empty proposal list and streams a short number-free paragraph for everything else.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Action = dict[str, Any]

EMPTY_EXTRACTION = {"updates": [], "meta": {"agency": None, "level": None, "report_year": None}, "narrative": []}
DEFAULT_PROSE = ["本机关认真贯彻落实《中华人民共和国政府信息公开条例》，", "持续推进政府信息公开工作。"]


def _completion(content: str | None, usage: dict[str, int] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    }
    body["usage"] = usage or {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
    return body


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    data = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "fake-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class FakeOpenAI:
    """The server object: a queue of actions, recorded requests, start/stop."""

    def __init__(
        self,
        responses: list[Action] | None = None,
        *,
        reject_formats: set[str] | tuple[str, ...] = (),
        default: Action | None = None,
        handler: Callable[[dict[str, Any]], Action | None] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.queue: deque[Action] = deque(responses or [])
        self.reject_formats = set(reject_formats)
        self.default = default
        self.handler = handler
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ---- control ---------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *actions: Action) -> FakeOpenAI:
        with self._lock:
            self.queue.extend(actions)
        return self

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def start(self) -> FakeOpenAI:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- behaviour -------------------------------------------------------------------------------
    def next_action(self, body: dict[str, Any]) -> Action:
        fmt = body.get("response_format") or {}
        if isinstance(fmt, dict) and fmt.get("type") in self.reject_formats:
            return {"status": 400, "error": f"response_format type '{fmt.get('type')}' is not supported"}
        if self.handler is not None:
            action = self.handler(body)
            if action is not None:
                return action
        with self._lock:
            if self.queue:
                return self.queue.popleft()
        if self.default is not None:
            return self.default
        if body.get("stream"):
            return {"stream": DEFAULT_PROSE}
        return {"json": EMPTY_EXTRACTION}


_CLERK_MESSAGE = re.compile(r"<clerk_message>\n(.*)\n</clerk_message>", re.DOTALL)


def clerk_message(body: dict[str, Any]) -> str | None:
    """The clerk message an extraction request carries (None for drafting and other requests)."""
    for m in reversed(body.get("messages") or []):
        content = m.get("content")
        if isinstance(content, str) and (found := _CLERK_MESSAGE.search(content)):
            return found.group(1)
    return None


def competent_model(script: dict[str, dict[str, Any]]) -> Callable[[dict[str, Any]], Action | None]:
    """A handler for :class:`FakeOpenAI` that plays a *competent* model: each extraction request is answered with
    the correct extraction scripted for its clerk message (by the test author, from the truth); a message without
    a script gets an empty extraction, and other requests fall through to the queue and the default."""

    def handle(body: dict[str, Any]) -> Action | None:
        message = clerk_message(body)
        if message is None:
            return None
        return {"json": script.get(message.strip(), EMPTY_EXTRACTION)}

    return handle


def _make_handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            fake.requests.append({"path": self.path, "body": None, "headers": dict(self.headers)})
            if self.path.rstrip("/").endswith("/models"):
                self._send_json(
                    200,
                    {
                        "object": "list",
                        "data": [{"id": "fake-model", "object": "model", "created": 0, "owned_by": "fake"}],
                    },
                )
            else:
                self._send_json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._send_json(400, {"error": {"message": "invalid JSON body"}})
                return
            fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send_json(404, {"error": {"message": "not found"}})
                return
            action = fake.next_action(body)
            if action.get("delay"):
                time.sleep(float(action["delay"]))
            try:
                self._respond(body, action)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing to do

        def _respond(self, body: dict[str, Any], action: Action) -> None:
            if "status" in action:
                headers = {}
                if "retry_after" in action:
                    headers["Retry-After"] = str(action["retry_after"])
                message = action.get("error", "error")
                self._send_json(int(action["status"]), {"error": {"message": message, "type": "fake_error"}}, headers)
                return
            if "stream" in action:
                self._stream(action)
                return
            if action.get("empty"):
                content: str | None = ""
            elif action.get("malformed"):
                content = action.get("content", '{"updates": [ {"cell": "t3.received.natural_person", "value": ')
            elif "json" in action:
                content = json.dumps(action["json"], ensure_ascii=False)
            else:
                content = str(action.get("content", ""))
            if body.get("stream"):  # a non-stream action for a streamed request: stream it in one piece
                self._stream({"stream": [content or ""]})
                return
            self._send_json(200, _completion(content, action.get("usage")))

        def _stream(self, action: Action) -> None:
            chunks = [str(c) for c in action["stream"]]
            parts = [_chunk({"role": "assistant", "content": ""})]
            parts += [_chunk({"content": c}) for c in chunks]
            parts.append(_chunk({}, "stop"))
            usage = {"prompt_tokens": 100, "completion_tokens": max(1, len("".join(chunks))), "total_tokens": 0}
            usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
            parts.append(
                f"data: {json.dumps({'id': 'chatcmpl-fake', 'object': 'chat.completion.chunk', 'created': 0, 'model': 'fake-model', 'choices': [], 'usage': usage})}\n\n".encode()
            )
            parts.append(b"data: [DONE]\n\n")
            full = b"".join(parts)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", str(len(full)))  # a broken stream then ends visibly short
            self.end_headers()
            if "break_after" in action:
                sent = b"".join(parts[: 1 + int(action["break_after"])])
                self.wfile.write(sent)
                self.wfile.flush()
                self.close_connection = True
                try:
                    import socket

                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            for p in parts:
                self.wfile.write(p)
                self.wfile.flush()

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="OpenAI-compatible fake server for tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--script", help="JSON file: {reject_formats, responses, default}")
    args = parser.parse_args(argv)
    script: dict[str, Any] = {}
    if args.script:
        with open(args.script, encoding="utf-8") as f:
            script = json.load(f)
    fake = FakeOpenAI(
        script.get("responses"),
        reject_formats=set(script.get("reject_formats", [])),
        default=script.get("default"),
        host=args.host,
        port=args.port,
    )
    print(fake.url, flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
