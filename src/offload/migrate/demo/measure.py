"""Sizes the demo reports: what a fresh clone of a repository costs in git and in LFS."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from offload.git.run import run_git

_POINTER_MAX = 1024
_POINTER = re.compile(rb"version https://git-lfs\.github\.com/spec/v1\n"
                      rb"oid sha256:([0-9a-f]{64})\nsize (\d+)\n")


@dataclass(frozen=True)
class RepoSize:
    pack_bytes: int  # size-pack of `git count-objects -v` in a gc'd bare clone
    objects: int  # objects in that pack
    lfs_bytes: int  # LFS objects the clone's history points to


def measure_clone(repo: Path) -> RepoSize:
    """Fetch the branches and tags of ``repo`` into a bare repository, gc it, and count.

    The copy is measured rather than ``repo`` itself, because backups, remote-tracking refs
    and reflogs keep the old objects alive there until the user drops them.
    """
    scratch = Path(tempfile.mkdtemp(prefix="offload-measure-"))
    try:
        bare = scratch / "clone.git"
        run_git("init", "-q", "--bare", str(bare), cwd=scratch)
        run_git("fetch", "-q", "--no-tags", str(repo), "+refs/heads/*:refs/heads/*",
                "+refs/tags/*:refs/tags/*", cwd=bare)
        run_git("gc", "-q", "--prune=now", "--aggressive", cwd=bare)
        counts = dict(line.split(": ", 1) for line in
                      run_git("count-objects", "-v", cwd=bare).lines())
        lfs = _lfs_bytes(bare)
        return RepoSize(int(counts["size-pack"]) * 1024,
                        int(counts["in-pack"]) + int(counts["count"]), lfs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _lfs_bytes(bare: Path) -> int:
    """Total size of the distinct LFS objects the pointers of every commit name."""
    listing = run_git("rev-list", "--objects", "--all", cwd=bare).lines()
    objects = "".join(line.split(" ", 1)[0] + "\n" for line in listing).encode()
    checked = run_git("cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                      cwd=bare, input=objects).lines()
    small = [f"{oid}\n" for oid, kind, size in (row.split() for row in checked)
             if kind == "blob" and int(size) < _POINTER_MAX]
    stream = run_git("cat-file", "--batch", cwd=bare, input="".join(small).encode()).stdout
    sizes = {oid: int(size) for oid, size in _POINTER.findall(stream)}
    return sum(sizes.values())

