"""Atomic version numbers in a versioned folder: a conditional create of a claim per version.

The claim lives in the store, not in a worktree, so agents on different worktrees (or
machines) that share a store can never both get the same number. A folder is a character's
turnarounds or a storyboard shot's frames (``names.turnaround_dir``, ``names.frame_dir``).
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from offload.errors import ObjectExistsError, UsageError
from offload.generate.names import folder_claim_key, version_in, versioned_path
from offload.isotime import now_utc
from offload.manifest import Entry
from offload.workspace import Workspace

MAX_ATTEMPTS = 1000


def known_versions(ws: Workspace, folder: str) -> set[int]:
    """Versions in this worktree's manifest, claimed in the store, or stored there already.

    A version another clone stored without a claim (``offload put`` of ``vN.png``) counts too.
    """
    found = {n for path in ws.manifest.read() if (n := version_in(folder, path)) is not None}
    return found | claimed_versions(ws, folder)


def claimed_versions(ws: Workspace, folder: str) -> set[int]:
    """One listing of the folder: claims and version objects."""
    claims = folder_claim_key(folder, 0)[: -len("v0")]
    found: set[int] = set()
    for info in ws.backend.iter_objects(folder + "/"):
        if info.key.startswith(claims):
            name = info.key[len(claims):]
            if name.startswith("v") and name[1:].isdigit():
                found.add(int(name[1:]))
        elif (number := version_in(folder, info.key)) is not None:
            found.add(number)
    return found


def claim(ws: Workspace, folder: str, version: int | None, suffix: str = ".png") -> int:
    """Claim ``version`` (refused when taken) or the next free one; return the number."""
    if version is not None:
        if version < 1:
            raise UsageError("--version must be 1 or more", "pass e.g. --version 1")
        if versioned_path(folder, version, suffix) in ws.manifest.read() or version in \
                claimed_versions(ws, folder):
            raise _taken(versioned_path(folder, version, suffix), version)
        try:
            _create_claim(ws, folder, version, suffix)
        except ObjectExistsError as exc:
            raise _taken(versioned_path(folder, version, suffix), version) from exc
        return version
    candidate = max(known_versions(ws, folder), default=0) + 1
    for _ in range(MAX_ATTEMPTS):
        try:
            _create_claim(ws, folder, candidate, suffix)
            return candidate
        except ObjectExistsError:
            candidate += 1
    raise UsageError(f"could not claim a version in {folder} after {MAX_ATTEMPTS} tries",
                     f"check the store's claims under {folder}/.claims/")


@contextmanager
def claimed(ws: Workspace, folder: str, version: int | None = None,
            suffix: str = ".png") -> Iterator[int]:
    """A claimed version for the block; given back when the block fails."""
    number = claim(ws, folder, version, suffix)
    try:
        yield number
    except BaseException:
        release(ws, folder, number)
        raise


def store_version(ws: Workspace, path: str, meta: dict[str, Any], data: bytes) -> Entry:
    """Upload ``data`` to ``path`` with ``meta`` and record it in offload.lock."""
    from offload.api import Store

    with Store(ws).open_write(path, meta) as out:
        out.write(data)
    assert out.entry is not None
    return out.entry


def release(ws: Workspace, folder: str, version: int) -> None:
    """Give a claim back after a failed generation (best effort: a gap is harmless)."""
    try:
        ws.backend.delete(folder_claim_key(folder, version))
    except Exception:  # the original failure is what the user must see
        pass


def _create_claim(ws: Workspace, folder: str, version: int, suffix: str) -> None:
    body = {
        "version": version,
        "path": versioned_path(folder, version, suffix),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "claimed_at": now_utc(),
    }
    ws.backend.create_if_absent(folder_claim_key(folder, version),
                                json.dumps(body, sort_keys=True).encode("utf-8"),
                                "application/json")


def _taken(path: str, version: int) -> UsageError:
    return UsageError(
        f"{path} already exists (version {version} is taken)",
        "drop --version to get the next free version, or pick an unused number; existing "
        "versions are never overwritten",
    )
