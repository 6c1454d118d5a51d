"""One error hierarchy and one exit-code enum for every command.

Every error carries the next step the user should take; the top-level handler in
``offload.cli.main`` prints both and exits with the error's code.
"""

from __future__ import annotations

import re
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    CONFIG = 3
    STORE = 4
    GIT_STATE = 5
    INTERRUPTED = 130


class OffloadError(Exception):
    """Base of every error offload reports to the user."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, next_step: str) -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step

    def render(self) -> str:
        return f"error: {self.message}\n  next: {self.next_step}"

    def to_json(self) -> dict[str, object]:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "next_step": self.next_step,
            "exit_code": int(self.exit_code),
        }


class UsageError(OffloadError):
    exit_code = ExitCode.USAGE


class ConfigError(OffloadError):
    exit_code = ExitCode.CONFIG


class StoreError(OffloadError):
    """The store could not be reached, refused our credentials, or lacks the bucket."""

    exit_code = ExitCode.STORE


class ObjectExistsError(OffloadError):
    """A conditional create found the key already present."""

    exit_code = ExitCode.FINDINGS


class IntegrityError(OffloadError):
    """Content did not match its recorded size or sha256."""

    exit_code = ExitCode.FINDINGS


class FindingsError(OffloadError):
    """A check or verification found problems."""

    exit_code = ExitCode.FINDINGS


class GitStateError(OffloadError):
    exit_code = ExitCode.GIT_STATE


class UnsafePathError(ConfigError):
    """A path offload was given or read is refused for safety (a symlink, a path outside the
    work tree). A ConfigError, so retrying without changing the input never helps."""


class UnexpectedError(OffloadError):
    """An exception no command anticipated, reported by the top-level handler."""

    def __init__(self, message: str, next_step: str, exit_code: ExitCode) -> None:
        super().__init__(message, next_step)
        self.exit_code = exit_code


_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/\s'\"]*@")
_SECRET_QUERY = re.compile(
    r"(?P<name>[?&;](?:[A-Za-z0-9_-]*(?:key|token|secret|signature|password|credential)"
    r"[A-Za-z0-9_-]*))=[^&\s'\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` without URL credentials (``scheme://user:pass@``) or secret query values."""
    text = _USERINFO.sub(r"\g<scheme>***@", text)
    return _SECRET_QUERY.sub(r"\g<name>=***", text)
