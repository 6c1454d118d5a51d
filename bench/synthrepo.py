"""Synthetic Git LFS repositories of a chosen shape, for the migration benchmark.

Built with one ``git fast-import`` stream (no process per commit) into a bare remote whose
``lfs/objects`` is the ``file://`` LFS server; object contents are seeded random bytes
(incompressible, like generated images), written in chunks so memory stays flat.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from bench.synthlarge import LargeSpec

CHUNK = 1024 * 1024
EPOCH = 1767600000
ATTRIBUTES = b"*.png filter=lfs diff=lfs merge=lfs -text\n"


@dataclass(frozen=True)
class SynthSpec:
    commits: int = 500
    objects: int = 2000
    object_size: int = 64 * 1024
    documents: int = 50
    seed: int = 0

    def doubled(self) -> SynthSpec:
        return SynthSpec(self.commits * 2, self.objects * 2, self.object_size,
                         self.documents * 2, self.seed)


@dataclass(frozen=True)
class SynthRepo:
    remote: Path
    spec: SynthSpec | LargeSpec
    lfs_bytes: int
    asset_paths: tuple[str, ...]
    summary: str = ""


def make_synthetic_repo(dest: Path, spec: SynthSpec | LargeSpec) -> SynthRepo:
    """A bare repository ``dest`` (branch main, annotated tag ``v1``) and its LFS objects.

    A ``LargeSpec`` builds the production shape of ``bench.synthlarge`` instead.
    """
    from bench.synthlarge import LargeSpec, make_large_repo

    if isinstance(spec, LargeSpec):
        return make_large_repo(dest, spec)
    if spec.commits < 1 or spec.objects < 1:
        raise ValueError("a synthetic repository needs at least one commit and one object")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(dest)], check=True)
    rng = random.Random(spec.seed)
    # A fifth of the objects are new versions of paths that already exist.
    paths: list[str] = []
    with subprocess.Popen(["git", "fast-import", "--quiet"], cwd=dest,
                          stdin=subprocess.PIPE) as proc:
        assert proc.stdin is not None
        out = proc.stdin
        per_commit = [spec.objects // spec.commits + (i < spec.objects % spec.commits)
                      for i in range(spec.commits)]
        total = 0
        for number, count in enumerate(per_commit):
            changes: list[tuple[str, bytes]] = []
            if number == 0:
                changes.append((".gitattributes", ATTRIBUTES))
            for _ in range(count):
                path = rng.choice(paths) if paths and rng.random() < 0.2 else ""
                if not path or any(path == changed for changed, _ in changes):
                    path = f"renders/seq{len(paths) % 40:02d}/frame{len(paths):05d}.png"
                    paths.append(path)
                oid, size = write_object(dest, rng, spec.object_size)
                total += size
                changes.append((path, pointer(oid, size)))
            if spec.documents and (number % max(1, spec.commits // spec.documents) == 0
                                   or number == spec.commits - 1):
                doc = f"docs/doc{number % spec.documents:04d}.md"
                changes.append((doc, _document(doc, rng.sample(paths, min(5, len(paths))))))
            _commit(out, number, changes)
        stamp = EPOCH + 60 * spec.commits
        out.write(f"tag v1\nfrom :{spec.commits}\ntagger Bench <bench@offload.invalid> "
                  f"{stamp} +0000\n".encode())
        data(out, b"synthetic release\n")
    if proc.returncode != 0:
        raise RuntimeError(f"git fast-import failed with status {proc.returncode}")
    return SynthRepo(dest, spec, total, tuple(paths))


def fresh_clone(repo: SynthRepo, dest: Path, lfs: str = "link") -> Path:
    """A clone as a user would make it (no smudge) holding every LFS object of history.

    ``lfs="link"`` hard-links the remote's ``lfs/objects`` into ``.git/lfs/objects`` (what
    ``git lfs fetch --all`` leaves there, without copying gigabytes per clone; the remote must
    be on the same file system); ``"fetch"`` runs ``git lfs fetch --all``; ``"none"`` neither.
    """
    env = {**os.environ, "GIT_LFS_SKIP_SMUDGE": "1"}
    subprocess.run(["git", "clone", "-q", repo.remote.as_uri(), str(dest)], check=True, env=env)
    if lfs == "fetch":
        subprocess.run(["git", "lfs", "fetch", "--all"], cwd=dest, check=True, env=env,
                       stdout=subprocess.DEVNULL)
    elif lfs == "link":
        link_tree(repo.remote / "lfs" / "objects", dest / ".git" / "lfs" / "objects")
    return dest


def link_tree(source: Path, target: Path) -> int:
    """Hard-link every file under ``source`` to the same place under ``target``; how many."""
    linked = 0
    for folder, _, files in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            if not (into / name).exists():
                os.link(Path(folder) / name, into / name)
                linked += 1
    return linked


def write_object(remote: Path, rng: random.Random, size: int) -> tuple[str, int]:
    scratch = remote / "lfs" / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    tmp = scratch / "object"
    digest = hashlib.sha256()
    with open(tmp, "wb") as handle:
        left = size
        while left:
            chunk = rng.randbytes(min(CHUNK, left))
            digest.update(chunk)
            handle.write(chunk)
            left -= len(chunk)
    oid = digest.hexdigest()
    target = remote / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    return oid, size


def pointer(oid: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n".encode()


def _document(doc: str, targets: list[str]) -> bytes:
    lines = [f"# {doc}\n\n"] + [f"![frame](/{t})\n" for t in targets]
    return "".join(lines).encode()


def _commit(out: IO[bytes], number: int, changes: list[tuple[str, bytes]]) -> None:
    write_commit(out, "refs/heads/main", number + 1, EPOCH + 60 * number,
                 "Bench <bench@offload.invalid>", f"commit {number}\n", changes,
                 number or None)


def write_commit(out: IO[bytes], ref: str, mark: int, stamp: int, who: str, message: str,
                 changes: Sequence[tuple[str, bytes | None]], parent: int | None,
                 merge: int | None = None) -> None:
    """One fast-import commit; a change whose content is None deletes the path."""
    out.write(f"commit {ref}\nmark :{mark}\nauthor {who} {stamp} +0000\n"
              f"committer {who} {stamp} +0000\n".encode())
    data(out, message.encode())
    if parent:
        out.write(f"from :{parent}\n".encode())
    if merge:
        out.write(f"merge :{merge}\n".encode())
    for path, content in changes:
        if content is None:
            out.write(f"D {path}\n".encode())
        else:
            out.write(f"M 100644 inline {path}\n".encode())
            data(out, content)


def data(out: IO[bytes], payload: bytes) -> None:
    out.write(b"data %d\n" % len(payload) + payload + b"\n")
