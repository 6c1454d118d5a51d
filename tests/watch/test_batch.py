"""The batch uploader: one outcome per file, whatever the store call as a whole does."""

from __future__ import annotations

from pathlib import Path

import pytest

from offload.manifest import Entry
from offload.ops import put
from offload.ops.tally import Tally
from offload.watch.uploader import upload_batch
from offload.workspace import Workspace
from testing.repos import GitRepo


def workspace(tmp_path: Path) -> Workspace:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("initial", allow_empty=True)
    (repo.path / "offload.yaml").write_text(f"store: {tmp_path / 'store'}\n")
    (repo.path / "outputs").mkdir()
    return Workspace.discover(repo.path)


def test_failed_batch_gives_each_file_its_own_outcome(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspace(tmp_path)
    for i in range(3):
        (ws.root / f"outputs/{i}.bin").write_bytes(bytes([i]) * 100)
    (ws.root / "outputs/gone.bin").write_bytes(b"x")
    claims = [(f"outputs/{i}.bin", 1) for i in range(3)] + [("outputs/gone.bin", 1)]
    (ws.root / "outputs/gone.bin").unlink()

    real = put.send_entries
    calls: list[int] = []

    def broken_once(ws: Workspace, items: list[tuple[put.FileFacts, Entry]],
                    jobs: int = 8, tally: Tally | None = None) -> list[put.FileFacts]:
        calls.append(len(items))
        if len(calls) == 1:
            raise ConnectionError("store down")  # the batch call fails, each file alone works
        return real(ws, items, jobs, tally)

    monkeypatch.setattr(put, "send_entries", broken_once)
    outcomes = {o.path: o.status for o in upload_batch(ws, claims, jobs=2)}
    assert outcomes == {"outputs/0.bin": "done", "outputs/1.bin": "done",
                        "outputs/2.bin": "done", "outputs/gone.bin": "gone"}
    assert calls == [3, 1, 1, 1]


def test_changed_file_does_not_delete_an_object_another_file_uses(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    for name in ("a", "b"):
        (ws.root / f"outputs/{name}.bin").write_bytes(b"same" * 100)
    items = [(f, put.entry_for(ws, f, "watch"))
             for f in (put.describe(ws, ws.root / f"outputs/{n}.bin") for n in ("a", "b"))]
    (ws.root / "outputs/b.bin").write_bytes(b"other")
    changed = put.send_entries(ws, items, jobs=2)
    assert [f.path for f in changed] == ["outputs/b.bin"]
    assert ws.backend.head(items[0][1].key) is not None
