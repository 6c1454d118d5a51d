"""The settle rules, driven with explicit clock values."""

from pathlib import Path

from offload.watch.settle import Settler


def test_a_file_reopened_after_a_rescan_waits_for_its_close(tmp_path: Path) -> None:
    path = tmp_path / "slow.exr"
    path.write_bytes(b"first chunk")
    settler = Settler(settle=0.3, max_wait=60)
    settler.touch(str(path), now=0.0)                       # a rescan saw it
    settler.touch(str(path), now=0.1, awaiting_close=True)  # then it was opened for writing
    assert settler.poll(now=5.0) == []                      # quiet, but still open: not sent
    settler.touch(str(path), now=5.0)                       # close-write
    assert settler.poll(now=5.2) == []
    assert settler.poll(now=5.4) == [str(path)]


def test_a_closed_file_is_handed_over_after_the_settle_time(tmp_path: Path) -> None:
    path = tmp_path / "frame.png"
    path.write_bytes(b"done")
    settler = Settler(settle=0.3, max_wait=60)
    settler.touch(str(path), now=0.0, awaiting_close=True)
    settler.touch(str(path), now=0.05)
    assert settler.poll(now=0.2) == []
    assert settler.poll(now=0.4) == [str(path)]
