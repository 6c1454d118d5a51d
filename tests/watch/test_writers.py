"""Who still writes a file: inotify open/close counts and the /proc scan."""

from pathlib import Path

from offload.watch.writers import OpenFiles, open_for_writing


def test_proc_scan_reports_writers_only(tmp_path: Path) -> None:
    reading, writing, updating = (tmp_path / n for n in ("r.png", "w.png", "u.png"))
    for path in (reading, writing, updating):
        path.write_bytes(b"x")
    with open(reading, "rb"), open(writing, "ab"), open(updating, "r+b"):
        found = open_for_writing(str(p) for p in (reading, writing, updating))
        assert found == {str(writing), str(updating)}
    assert open_for_writing([str(writing), str(updating)]) == set()


def test_open_counts_survive_readers_and_never_go_negative() -> None:
    files = OpenFiles()
    files.closed("/w/a.png")  # a handle opened before the watch started
    files.opened("/w/a.png")  # the writer
    files.opened("/w/a.png")  # a reader (our own hashing)
    files.closed("/w/a.png")
    assert files.is_open("/w/a.png")
    files.closed("/w/a.png")
    assert not files.is_open("/w/a.png")
    files.opened("/w/sub/b.png")
    files.forget_under("/w/sub")
    assert not files.is_open("/w/sub/b.png")
