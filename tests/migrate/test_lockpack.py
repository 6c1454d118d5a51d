"""offload.lock blobs written as a pack of stated deltas: git reads back exactly the text."""

from __future__ import annotations

import hashlib
import random
import subprocess
from pathlib import Path

import pytest

from offload.errors import GitStateError
from offload.migrate.gitwalk.packwriter import MAX_DEPTH, PackWriter
from offload.migrate.history.lockpack import LockState
from testing.repos import GitRepo


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def cat(repo: GitRepo, oid: str) -> bytes:
    return subprocess.run(["git", "cat-file", "blob", oid], cwd=repo.path, check=True,
                          capture_output=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


def pack_file(repo: GitRepo) -> Path:
    folder = repo.path / ".git/objects/pack"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "tmp_pack_test"


def test_whole_and_delta_blobs_read_back_byte_for_byte(repo: GitRepo) -> None:
    base_text = bytes(range(256)) * 1200  # 300 KiB: copies past 0x10000 and offsets with 0 bytes
    writer = PackWriter(pack_file(repo))
    base = writer.whole(base_text)
    inserted = b"x" * 300  # longer than one insert op
    ops = [(0, 70000), inserted, (70000 + 5, len(base_text) - 70005)]
    expected = base_text[:70000] + inserted + base_text[70005:]
    delta = writer.delta(base, ops, expected)
    again = writer.delta(delta, [b"head\n", (0, len(expected))], b"head\n" + expected)
    ids = writer.finish(repo.path)
    assert ids[base.offset] == blob_id(base_text)
    assert ids[delta.offset] == blob_id(expected)
    assert ids[again.offset] == blob_id(b"head\n" + expected)
    assert cat(repo, ids[again.offset]) == b"head\n" + expected
    assert (again.depth, delta.depth, base.depth) == (2, 1, 0)
    packs = sorted(p.name for p in (repo.path / ".git/objects/pack").iterdir())
    assert len(packs) == 2 and packs[0].endswith(".idx") and packs[1].endswith(".pack")
    verified = subprocess.run(["git", "verify-pack", "-v", str(repo.path / ".git/objects/pack" / packs[0])],
                              cwd=repo.path, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr  # git's own check of pack and index
    assert "chain length = 2: 1 object" in verified.stdout


def test_a_delta_that_does_not_make_its_text_is_refused(repo: GitRepo) -> None:
    writer = PackWriter(pack_file(repo))
    base = writer.whole(b"abc\n")
    with pytest.raises(ValueError, match="makes 4 bytes, not 5"):
        writer.delta(base, [(0, 4)], b"abc\nd")
    with pytest.raises(ValueError, match="outside a base"):
        writer.delta(base, [(2, 4)], b"abcd")
    writer.close()
    assert not any((repo.path / ".git/objects/pack").iterdir())


def test_a_pack_that_reads_back_wrong_is_removed(repo: GitRepo) -> None:
    """A delta whose ops do not make the text it was given: git reads another blob back
    than the id says, the run stops and the pack leaves the repository."""
    writer = PackWriter(pack_file(repo))
    base = writer.whole(b"abc\n")
    writer.delta(base, [(0, 3), b"X"], b"abcY")
    with pytest.raises(GitStateError, match="reads back wrong"):
        writer.finish(repo.path)
    assert not any((repo.path / ".git/objects/pack").iterdir())


def test_lock_deltas_follow_random_edits_through_deep_chains(repo: GitRepo) -> None:
    """Lines added, changed and removed anywhere (first, last, all of them): each state's
    text read back from git equals the lines joined, also past the depth where a whole blob
    starts a new chain."""
    rng = random.Random(12)
    writer = PackWriter(pack_file(repo))
    state = LockState()
    written = []
    for step in range(MAX_DEPTH * 2 + 7):
        if step == MAX_DEPTH + 20:  # every line goes
            changes: list[tuple[str, bytes | None]] = [(p, None) for p in state.order]
        else:
            paths = {f"{rng.choice('abcé')}/{rng.randrange(60):03d}.png"
                     for _ in range(rng.randrange(1, 6))}
            changes = sorted((p, None if p in state.lines and rng.random() < 0.4 else
                              f'{{"path": "{p}", "n": {step}}}\n'.encode()) for p in paths)
        base = state.packed
        ops = state.delta_ops(changes) if base is not None and base.depth < MAX_DEPTH else None
        state.apply(changes)
        assert state.order == sorted(state.lines)
        assert state.size == len(state.text())
        if not state.lines:
            state.packed = None
            continue
        state.packed = (writer.delta(base, ops, state.text()) if base is not None and ops is not None
                        else writer.whole(state.text()))
        written.append((state.packed, state.text()))
    ids = writer.finish(repo.path)
    assert max(p.depth for p, _ in written) == MAX_DEPTH
    for packed, text in written:
        assert ids[packed.offset] == blob_id(text)
        assert cat(repo, ids[packed.offset]) == text
