"""A local stand-in for the part of the Gemini API offload uses: models.generateContent.

Run as a process (``python -m testing.fake_gemini PORT LOG_DIR``); each request is saved as
``LOG_DIR/request-N.json`` (path, headers, body) so tests can check what the SDK sent. The
model name picks the answer: ``*quota*`` → 429, ``*safety*`` → blocked prompt,
``*textonly*`` → text without an image, ``*jpeg*`` → a JPEG image, anything else → a PNG.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from testing.servers import free_port, stop_process, wait_for_port

_PATH = re.compile(r"^/(v1\w*)/models/([^/:]+):generateContent$")


def _image(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 32), (30, 120, 200)).save(out, format=kind)
    return out.getvalue()


def answer(model: str) -> tuple[int, dict[str, Any]]:
    if "quota" in model:
        return 429, {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
                               "message": "Resource has been exhausted (e.g. check quota)."}}
    if "safety" in model:
        return 200, {"promptFeedback": {"blockReason": "SAFETY"}, "candidates": []}
    if "textonly" in model:
        parts: list[dict[str, Any]] = [{"text": "I can only describe it: a pilot."}]
    else:
        kind = "JPEG" if "jpeg" in model else "PNG"
        data = base64.b64encode(_image(kind)).decode("ascii")
        parts = [{"text": "Here is the sheet."},
                 {"inlineData": {"mimeType": f"image/{kind.lower()}", "data": data}}]
    return 200, {"candidates": [{"content": {"role": "model", "parts": parts},
                                 "finishReason": "STOP", "index": 0}],
                 "modelVersion": model}


def serve(port: int, log_dir: Path) -> None:
    counter = itertools.count(1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            record = {"path": self.path, "headers": {k.lower(): v for k, v in
                                                     self.headers.items()}, "body": body}
            (log_dir / f"request-{next(counter)}.json").write_text(json.dumps(record))
            match = _PATH.match(self.path.split("?")[0])
            status, payload = answer(match.group(2)) if match else (
                404, {"error": {"code": 404, "status": "NOT_FOUND", "message": self.path}})
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


@dataclass(frozen=True)
class FakeGemini:
    base_url: str
    log_dir: Path

    def requests(self) -> list[dict[str, Any]]:
        files = sorted(self.log_dir.glob("request-*.json"), key=lambda p: int(p.stem[8:]))
        return [json.loads(p.read_text()) for p in files]


@contextmanager
def fake_gemini_server(log_dir: Path) -> Iterator[FakeGemini]:
    port = free_port()
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "testing.fake_gemini", str(port),
                             str(log_dir)], cwd=root)
    try:
        wait_for_port(port, proc=proc)
        yield FakeGemini(f"http://127.0.0.1:{port}", log_dir)
    finally:
        stop_process(proc)


if __name__ == "__main__":
    serve(int(sys.argv[1]), Path(sys.argv[2]))
