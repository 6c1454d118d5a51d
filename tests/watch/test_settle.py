"""The settle rules, driven with explicit clock values."""

from pathlib import Path

from offload.watch.settle import Settler


def test_a_quiet_file_still_open_for_writing_is_not_handed_over(tmp_path: Path) -> None:
    path = tmp_path / "slow.exr"
    path.write_bytes(b"first chunk")
    settler = Settler(settle=0.3, max_wait=60)
    writing = {str(path)}
    asked: list[list[tuple[str, float]]] = []

    def busy(quiet: list[tuple[str, float]]) -> set[str]:
        asked.append(quiet)
        return {p for p, _ in quiet if p in writing}

    settler.touch(str(path), now=0.0)             # a rescan (or a created event) saw it
    assert settler.poll(now=0.2, busy=busy) == [] and asked == []  # not quiet long enough
    assert settler.poll(now=5.0, busy=busy) == []  # quiet, but a writer holds it
    assert asked == [[(str(path), 5.0)]]
    assert settler.poll(now=120.0, busy=busy) == []  # past max_wait: still never sent
    writing.clear()                                # the writer closed it
    assert settler.poll(now=121.0, busy=busy) == [str(path)]


def test_a_closed_file_is_handed_over_after_the_settle_time(tmp_path: Path) -> None:
    path = tmp_path / "frame.png"
    path.write_bytes(b"done")
    settler = Settler(settle=0.3, max_wait=60)
    settler.touch(str(path), now=0.0)
    settler.touch(str(path), now=0.05)
    assert settler.poll(now=0.2, busy=lambda quiet: set()) == []
    assert settler.poll(now=0.4, busy=lambda quiet: set()) == [str(path)]


def test_a_file_that_changes_waits_for_a_quiet_settle_time(tmp_path: Path) -> None:
    path = tmp_path / "grow.bin"
    path.write_bytes(b"a")
    settler = Settler(settle=0.3, max_wait=60)
    settler.touch(str(path), now=0.0)
    path.write_bytes(b"ab")  # size changed since it was seen
    assert settler.poll(now=0.4, busy=lambda quiet: set()) == []
    assert settler.poll(now=0.8, busy=lambda quiet: set()) == [str(path)]
