import pytest

from offload.cli import main as main_module
from offload.errors import ExitCode, StoreError


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(**_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(main_module.cli, "main", interrupted)
    with pytest.raises(SystemExit) as info:
        main_module.main(["ls"])
    assert info.value.code == ExitCode.INTERRUPTED == 130
    assert "interrupted" in capsys.readouterr().err


def test_offload_errors_map_to_their_exit_code_and_next_step(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def unreachable(**_: object) -> None:
        raise StoreError("store unreachable", "check the endpoint")

    monkeypatch.setattr(main_module.cli, "main", unreachable)
    with pytest.raises(SystemExit) as info:
        main_module.main(["verify"])
    assert info.value.code == 4
    err = capsys.readouterr().err
    assert "store unreachable" in err and "next: check the endpoint" in err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main_module.main(["ls", "--no-such-option"])
    assert info.value.code == 2
