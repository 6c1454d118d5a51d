"""Atomic version numbers: a conditional create of a claim object per version.

The claim lives in the store, not in a worktree, so agents on different worktrees (or
machines) that share a store can never both get the same number.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime

from offload.errors import ObjectExistsError, UsageError
from offload.generate.names import claim_key, turnaround_dir, turnaround_path, version_of
from offload.workspace import Workspace

MAX_ATTEMPTS = 1000


def known_versions(ws: Workspace, character: str) -> set[int]:
    """Versions in this worktree's manifest, claimed in the store, or stored there already.

    A version another clone stored without a claim (``offload put`` of ``vN.png``) counts too.
    """
    found: set[int] = set()
    for path in ws.manifest.read():
        if path.startswith(turnaround_dir(character) + "/"):
            number = version_of(path)
            if number is not None:
                found.add(number)
    return found | claimed_versions(ws, character)


def claimed_versions(ws: Workspace, character: str) -> set[int]:
    """One listing of the character's turnaround folder: claims and version objects."""
    folder = turnaround_dir(character) + "/"
    claims = claim_key(character, 0)[: -len("v0")]
    found: set[int] = set()
    for info in ws.backend.iter_objects(folder):
        if info.key.startswith(claims):
            name = info.key[len(claims):]
            if name.startswith("v") and name[1:].isdigit():
                found.add(int(name[1:]))
        elif (number := version_of(info.key)) is not None:
            found.add(number)
    return found


def claim(ws: Workspace, character: str, version: int | None) -> int:
    """Claim ``version`` (refused when taken) or the next free one; return the number."""
    if version is not None:
        if version < 1:
            raise UsageError("--version must be 1 or more", "pass e.g. --version 1")
        path = turnaround_path(character, version)
        if path in ws.manifest.read() or version in claimed_versions(ws, character):
            raise _taken(character, version)
        try:
            _create_claim(ws, character, version)
        except ObjectExistsError as exc:
            raise _taken(character, version) from exc
        return version
    candidate = max(known_versions(ws, character), default=0) + 1
    for _ in range(MAX_ATTEMPTS):
        try:
            _create_claim(ws, character, candidate)
            return candidate
        except ObjectExistsError:
            candidate += 1
    raise UsageError(f"could not claim a version for {character} after {MAX_ATTEMPTS} tries",
                     "check the store's claims under " + turnaround_dir(character) + "/.claims/")


def release(ws: Workspace, character: str, version: int) -> None:
    """Give a claim back after a failed generation (best effort: a gap is harmless)."""
    try:
        ws.backend.delete(claim_key(character, version))
    except Exception:  # the original failure is what the user must see
        pass


def _create_claim(ws: Workspace, character: str, version: int) -> None:
    body = {
        "version": version,
        "path": turnaround_path(character, version),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "claimed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    ws.backend.create_if_absent(claim_key(character, version),
                                json.dumps(body, sort_keys=True).encode("utf-8"),
                                "application/json")


def _taken(character: str, version: int) -> UsageError:
    return UsageError(
        f"{turnaround_path(character, version)} already exists (version {version} is taken)",
        "drop --version to get the next free version, or pick an unused number; existing "
        "versions are never overwritten",
    )
