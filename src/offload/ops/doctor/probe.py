"""Store checks: reachable, writable (write-read-delete a probe), conditional create, public URL.

The probe lives under ``.offload-doctor/`` and is removed again. Every step runs in one worker
thread with an overall deadline, so a store that never answers costs at most ``DEADLINE`` s.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from pathlib import Path

from offload.errors import ObjectExistsError, OffloadError
from offload.ops.doctor import Check
from offload.ops.doctor.public import check_public_url
from offload.workspace import Workspace

DEADLINE = 45.0
ATTEMPTS = 2  # one retry: enough to ride out a blip, short enough to report a dead endpoint
PROBE_PREFIX = ".offload-doctor/"


def check_store(ws: Workspace, deadline: float = DEADLINE) -> list[Check]:
    _fewer_attempts(ws)
    checks: list[Check] = []
    worker = threading.Thread(target=_probe, args=(ws, checks), daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        return [*checks, Check(
            "store reachable", "fail",
            f"{ws.backend.description} did not answer within {deadline:.0f} s",
            "check the network and the endpoint (`s3.endpoint_url`, the rclone remote), "
            "then run `offload doctor` again")]
    return list(checks)


def _fewer_attempts(ws: Workspace) -> None:
    from offload.store.s3 import S3Backend

    backend = ws.backend
    if isinstance(backend, S3Backend) and "AWS_MAX_ATTEMPTS" not in os.environ:
        backend.max_attempts = ATTEMPTS  # read when the client is first built


def _probe(ws: Workspace, checks: list[Check]) -> None:
    backend = ws.backend
    key = f"{PROBE_PREFIX}{secrets.token_hex(8)}.txt"
    data = f"offload doctor probe {secrets.token_hex(16)}\n".encode()
    try:
        backend.head(key)
    except OffloadError as exc:
        checks.append(Check("store reachable", "fail", exc.message, exc.next_step))
        return
    checks.append(Check("store reachable", "ok", backend.description))
    try:
        backend.create_if_absent(key, data, "text/plain")
        if _read_back(ws, key) != data:
            checks.append(Check("store writable", "fail", f"{key} read back different bytes",
                                "the store or a proxy alters objects: check its settings"))
            return
    except OffloadError as exc:
        checks.append(Check("store writable", "fail", exc.message, exc.next_step))
        return
    try:
        later = [_conditional_create(ws, key), check_public_url(ws, key)]
    finally:
        checks.append(_delete(ws, key))
    checks.extend(later)


def _read_back(ws: Workspace, key: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="offload-doctor-") as folder:
        target = Path(folder) / "probe"
        ws.backend.download(key, target)
        return target.read_bytes()


def _conditional_create(ws: Workspace, key: str) -> Check:
    from offload.store.rclone import RcloneBackend

    name = "conditional create"
    if isinstance(ws.backend, RcloneBackend):
        return Check(name, "warn", "transport: rclone checks then writes (no atomic create)",
                     "use `transport: boto3` where several agents may claim the same version")
    try:
        ws.backend.create_if_absent(key, b"second writer\n", "text/plain")
    except ObjectExistsError:
        return Check(name, "ok", "a second create of the same key is refused")
    except OffloadError as exc:
        return Check(name, "warn", f"the second create failed otherwise: {exc.message}",
                     exc.next_step)
    return Check(name, "warn",
                 "ignored: a second create overwrote the probe (If-None-Match: * is not "
                 "enforced, as with `rclone serve s3`)",
                 "keep content-addressed keys ({sha256:12}); do not let two agents generate "
                 "the same version at once on this store (R2, AWS S3 and SeaweedFS enforce it)")


def _delete(ws: Workspace, key: str) -> Check:
    try:
        ws.backend.delete(key)
        left = ws.backend.head(key) is not None
        _remove_empty_folders(ws)
    except OffloadError as exc:
        return Check("store writable", "warn", f"the probe {key} could not be deleted: "
                     f"{exc.message}", "delete it by hand; the token may lack delete rights")
    if left:
        return Check("store writable", "warn", f"the probe {key} is still there after delete",
                     "delete it by hand")
    return Check("store writable", "ok", f"wrote, read back and deleted {key}")


def _remove_empty_folders(ws: Workspace) -> None:
    """The local store keeps folders; leave none behind for the probe."""
    from offload.store.local import META_DIR, LocalBackend

    if isinstance(ws.backend, LocalBackend):
        for folder in (ws.backend.root / META_DIR / PROBE_PREFIX, ws.backend.root / PROBE_PREFIX):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty (another doctor running) or already gone
