"""Multipart uploads that offload leaves behind, and how the next put of the key removes them.

s3transfer aborts a multipart upload when it fails or is cancelled (an exception, Ctrl-C, and
SIGTERM, which :func:`terminate_as_interrupt` turns into Ctrl-C). A killed process cannot:
its parts would stay in the bucket, billed and invisible. So every upload offload starts is
recorded in a small file while it is open; the next put of the same key lists the key's
multipart uploads and aborts those whose recorded process is gone.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from hashlib import sha256
from pathlib import Path
from types import FrameType
from typing import Any


def ledger_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "offload" / "multipart"


class MultipartLedger:
    """One JSON file per open multipart upload: bucket, key, upload id, host and pid."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or ledger_folder()

    def _file(self, upload_id: str) -> Path:
        return self.folder / f"{sha256(upload_id.encode()).hexdigest()[:32]}.json"

    def started(self, bucket: str, key: str, upload_id: str) -> None:
        record = {"bucket": bucket, "key": key, "upload_id": upload_id,
                  "host": socket.gethostname(), "pid": os.getpid()}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._file(upload_id).write_text(json.dumps(record), encoding="utf-8")
        except OSError:
            pass  # without a record, a kill leaves the upload to the bucket's lifecycle rule

    def finished(self, upload_id: str) -> None:
        self._file(upload_id).unlink(missing_ok=True)

    def stale(self, bucket: str) -> dict[str, set[str]]:
        """Key → upload ids started on this host by a process that no longer runs."""
        found: dict[str, set[str]] = {}
        if not self.folder.is_dir():
            return found
        for path in self.folder.glob("*.json"):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if (isinstance(record, dict) and record.get("bucket") == bucket
                    and record.get("host") == socket.gethostname()
                    and not _running(record.get("pid"))):
                found.setdefault(str(record.get("key")), set()).add(str(record.get("upload_id")))
        return found

    def install(self, client: Any) -> None:
        """Record uploads as the client starts them; forget them once completed or aborted."""
        events = client.meta.events
        events.register("after-call.s3.CreateMultipartUpload", self._on_create)
        for operation in ("CompleteMultipartUpload", "AbortMultipartUpload"):
            events.register(f"before-parameter-build.s3.{operation}", _remember_upload_id)
            events.register(f"after-call.s3.{operation}", self._on_end)

    def _on_create(self, parsed: dict[str, Any], **kwargs: Any) -> None:
        if parsed.get("UploadId"):
            self.started(str(parsed.get("Bucket")), str(parsed.get("Key")),
                         str(parsed["UploadId"]))

    def _on_end(self, http_response: Any, context: dict[str, Any], **kwargs: Any) -> None:
        upload_id = context.get("offload_upload_id")
        if upload_id and getattr(http_response, "status_code", 500) < 300:
            self.finished(upload_id)


def _remember_upload_id(params: dict[str, Any], context: dict[str, Any], **kwargs: Any
                        ) -> None:
    context["offload_upload_id"] = params.get("UploadId")


def _running(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While uploading on the main thread, SIGTERM raises KeyboardInterrupt like Ctrl-C does,
    so transfers are cancelled and their multipart uploads aborted instead of abandoned."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def announce_cancel() -> None:
    print("interrupted: cancelling the uploads in flight and removing their partial uploads",
          file=sys.stderr, flush=True)
