"""What a migration would move: assets, references, dangling references, mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offload.migrate.gitwalk.gitdata import GITLINK, SYMLINK, CommitChanges, batch_check, read_blobs
from offload.migrate.pointer import MAX_POINTER_SIZE, CorruptPointer, parse_pointer
from offload.migrate.recipe import Rules


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@dataclass
class Asset:
    blob: str
    kind: str  # "lfs" (blob is a pointer) or "plain"
    sha256: str
    size: int
    paths: set[str] = field(default_factory=set)
    local: bool = True


@dataclass
class Inventory:
    refs: dict[str, str]
    commits: list[CommitChanges]
    assets: dict[str, Asset] = field(default_factory=dict)
    corrupt: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # symlinks, submodules

    @property
    def asset_paths(self) -> set[str]:
        return {p for a in self.assets.values() for p in a.paths}


def lfs_object_path(common_dir: Path, oid: str) -> Path:
    return common_dir / "lfs" / "objects" / oid[:2] / oid[2:4] / oid


def take_inventory(cwd: Path, common_dir: Path, refs: dict[str, str], rules: Rules,
                   commits: list[CommitChanges]) -> Inventory:
    inv = Inventory(refs=refs, commits=commits)
    pairs: dict[tuple[str, str], str] = {}  # (path, blob) -> mode
    for commit in commits:
        for ch in commit.changes:
            if not ch.deleted:
                pairs.setdefault((decode_path(ch.path), ch.blob), ch.mode)
    sizes = batch_check(cwd, {blob for (_, blob), mode in pairs.items() if mode != GITLINK})
    small = {b for b, (kind, size) in sizes.items() if kind == "blob" and size <= MAX_POINTER_SIZE}
    contents = read_blobs(cwd, small)
    plain: dict[str, set[str]] = {}
    # A symlink's blob is its target's name. Selecting that blob anywhere would make the run
    # strip the symlink too (runs match blobs, not modes), so it is never an asset.
    link_blobs = {blob for (_, blob), mode in pairs.items() if mode == SYMLINK}
    for (path, blob), mode in sorted(pairs.items()):
        if mode in (GITLINK, SYMLINK) or blob in link_blobs:
            if rules.artifact_name(path) or mode == GITLINK:
                inv.skipped.append({"path": path, "kind": _skip_kind(mode), "blob": blob})
            continue
        _classify(inv, rules, path, blob, contents.get(blob), sizes.get(blob), plain)
    if plain:
        from offload.migrate.gitwalk.blobstream import hash_blobs

        for blob, digest in hash_blobs(cwd, plain).items():
            inv.assets[blob] = Asset(blob, "plain", digest, sizes[blob][1], plain[blob])
    for asset in inv.assets.values():
        if asset.kind == "lfs":
            asset.local = lfs_object_path(common_dir, asset.sha256).is_file()
    return inv


def _skip_kind(mode: str) -> str:
    if mode == GITLINK:
        return "submodule"
    return "symlink" if mode == SYMLINK else "same content as a symlink"


def _classify(inv: Inventory, rules: Rules, path: str, blob: str, data: bytes | None,
              size: tuple[str, int] | None, plain: dict[str, set[str]]) -> None:
    if rules.excluded(path):
        return
    if data is not None and rules.lfs:
        try:
            pointer = parse_pointer(data)
        except CorruptPointer as exc:
            inv.corrupt.append({"path": path, "blob": blob, "reason": str(exc)})
            return
        if pointer is not None:
            asset = inv.assets.setdefault(blob, Asset(blob, "lfs", pointer.oid, pointer.size))
            asset.paths.add(path)
            return
    if size is not None and rules.plain_selected(path, size[1]) and not rules.is_doc(path):
        plain.setdefault(blob, set()).add(path)
