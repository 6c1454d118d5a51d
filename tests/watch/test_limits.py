"""The inotify limit check names the exact sysctl fix."""

from __future__ import annotations

from pathlib import Path

from offload.watch import limits


def test_too_many_directories_for_the_watch_limit(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "max_user_watches").write_text("3\n")
    root = tmp_path / "outputs"
    for i in range(5):
        (root / f"d{i}").mkdir(parents=True)
    warning = limits.check_before([str(root)], proc=proc)
    assert warning is not None and "6 directories" in warning
    assert "`sudo sysctl fs.inotify.max_user_watches=524288`" in warning
    assert "/etc/sysctl.d/" in warning and "--poll" in warning
    (proc / "max_user_watches").write_text("8192\n")
    assert limits.check_before([str(root)], proc=proc) is None
