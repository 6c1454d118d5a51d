"""The single wrapper around the git executable."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from offload.errors import GitStateError
from offload.git.pinned import pinned_args

GitArg = str | bytes | os.PathLike[str]


@dataclass(frozen=True)
class GitResult:
    rc: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "surrogateescape")

    def lines(self) -> list[str]:
        return self.text.splitlines()

    def z_fields(self) -> list[bytes]:
        """Split ``-z`` output into its NUL-separated fields (paths stay bytes)."""
        fields = self.stdout.split(b"\0")
        if fields and fields[-1] == b"":
            fields.pop()
        return fields


class GitError(GitStateError):
    def __init__(self, args: Sequence[GitArg], result: GitResult) -> None:
        shown = " ".join(os.fsdecode(a) for a in args)
        detail = result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.rc}"
        super().__init__(
            f"`git {shown}` failed: {detail}",
            "fix the git problem above (run the same git command yourself to see it), then retry",
        )
        self.result = result


def run_git(
    *args: GitArg,
    cwd: Path | str | None = None,
    input: bytes | None = None,
    check: bool = True,
    env: Mapping[str, str] | None = None,
) -> GitResult:
    """Run ``git args…`` and return rc/stdout/stderr as bytes.

    Pathspecs are literal and the settings of :mod:`offload.git.pinned` apply, so the user's
    git configuration cannot change the output. Raises :class:`GitError` (with git's own
    message) when ``check`` and git fails.
    """
    # Paths offload hands to git are file names, never patterns: `a*.png` is that one file.
    full_env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", **(env or {})}
    try:
        proc = subprocess.run(
            ["git", *pinned_args(), *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            env=full_env,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitStateError(
            "git is not installed or not on PATH",
            "install git ≥ 2.39 (e.g. `apt-get install git`) and retry",
        ) from exc
    result = GitResult(proc.returncode, proc.stdout, proc.stderr)
    if check and result.rc != 0:
        raise GitError(args, result)
    return result
