import errno
import json
import socket
from collections.abc import Callable

import pytest

from offload.cli import main as main_module
from offload.errors import ExitCode, StoreError
from testing.cli import ctrl_c_as_at_a_terminal


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


def raising(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """Make `offload boom` a real (lazily loaded) command that raises ``exc``."""
    import sys
    import types

    import click

    @click.command()
    @click.option("--json", "as_json", is_flag=True)
    def boom(as_json: bool) -> None:
        raise exc

    module = types.ModuleType("offload_test_boom")
    module.boom = boom  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "offload_test_boom", module)
    monkeypatch.setitem(main_module.COMMANDS, "boom", "offload_test_boom:boom")


def botocore_error(name: str) -> BaseException:
    from botocore import exceptions

    kind = getattr(exceptions, name)
    if name == "ClientError":
        return kind({"Error": {"Code": "AccessDenied", "Message": "no"}}, "PutObject")
    return kind(endpoint_url="http://u:secret-pw@127.0.0.1:1", error=OSError("refused"))


NET = "http://u:secret-pw@127.0.0.1:1"
UNEXPECTED = [
    ("ENOSPC", lambda: OSError(errno.ENOSPC, "No space left on device", "/s/x.tmp"), 4),
    ("EDQUOT", lambda: OSError(errno.EDQUOT, "Disk quota exceeded"), 4),
    ("EROFS", lambda: OSError(errno.EROFS, "Read-only file system", "/store"), 4),
    ("ENOSPC wrapped", lambda: wrapped(OSError(errno.ENOSPC, "full"), RuntimeError("upload")), 4),
    ("refused", lambda: ConnectionRefusedError(errno.ECONNREFUSED, f"refused {NET}"), 4),
    ("dns", lambda: socket.gaierror(-2, "Name or service not known"), 4),
    ("timeout", lambda: TimeoutError("timed out"), 4),
    ("EndpointConnectionError", lambda: botocore_error("EndpointConnectionError"), 4),
    ("ConnectTimeoutError", lambda: botocore_error("ConnectTimeoutError"), 4),
    ("ClientError", lambda: botocore_error("ClientError"), 4),
    ("UnicodeDecodeError", lambda: b"\xff".decode("utf-8"), 3),
    ("ValueError", lambda: ValueError(f"Invalid endpoint: {NET}"), 3),
    ("OverflowError", lambda: OverflowError("cannot convert float infinity to integer"), 3),
    ("PermissionError", lambda: PermissionError(errno.EACCES, "Permission denied", "/x"), 1),
    ("BrokenPipe from a helper", lambda: BrokenPipeError(errno.EPIPE, "Broken pipe"), 1),
    ("KeyError", lambda: KeyError("sha256"), 1),
]


def wrapped(cause: BaseException, outer: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def make(factory: Callable[[], object]) -> BaseException:
    try:
        made = factory()
    except BaseException as exc:  # factories that raise (decoding) give their exception
        return exc
    assert isinstance(made, BaseException)
    return made


@pytest.mark.parametrize(("name", "factory", "code"), UNEXPECTED, ids=[u[0] for u in UNEXPECTED])
def test_unexpected_exceptions_become_error_and_next(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        name: str, factory: Callable[[], object], code: int) -> None:
    monkeypatch.delenv("OFFLOAD_DEBUG", raising=False)
    raising(monkeypatch, make(factory))
    with pytest.raises(SystemExit) as info:
        main_module.main(["boom", "--json"] if code == 4 else ["boom"])
    assert info.value.code == code
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and "\n  next: " in err
    assert "Traceback" not in out + err and "secret-pw" not in out + err
    if code == 4:
        assert json.loads(out)["exit_code"] == 4


def test_debug_shows_the_traceback_redacted(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OFFLOAD_DEBUG", "1")
    raising(monkeypatch, ValueError(f"Invalid endpoint: {NET}"))
    with pytest.raises(SystemExit) as info:
        main_module.main(["boom"])
    err = capsys.readouterr().err
    assert info.value.code == 3
    assert "Traceback" in err and "error: " in err and "secret-pw" not in err


def test_offload_errors_are_redacted_too(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    raising(monkeypatch, StoreError(f"cannot connect to {NET}", f"check {NET}"))
    with pytest.raises(SystemExit):
        main_module.main(["boom", "--json"])
    out, err = capsys.readouterr()
    assert "secret-pw" not in out + err and "http://***@127.0.0.1:1" in err
    assert json.loads(out)["error"] == "StoreError"


def test_ctrl_c_that_lands_in_a_finaliser_is_not_lost() -> None:
    """Python checks for Ctrl-C wherever the main thread runs, also inside a finaliser (a
    connection closed by the garbage collector), and drops it there as "unraisable". offload's
    hook delivers it again, so the command stops with exit 130."""
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from offload.cli import main as cli_main\n"
        "cli_main._quiet_background_failures()\n"
        "class Closing:\n"
        "    def __del__(self):\n"
        "        raise KeyboardInterrupt\n"
        "def work():\n"
        "    Closing()\n"
        "    for _ in range(3000):\n"
        "        time.sleep(0.01)\n"
        "    print('ran to the end')\n"
        "cli_main.cli.main = lambda **_: work()\n"
        "cli_main.main(['ls'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, preexec_fn=ctrl_c_as_at_a_terminal)
    assert "ran to the end" not in done.stdout
    assert done.returncode == 130, done.stderr
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr
