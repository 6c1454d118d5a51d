"""Which refs a migration rewrites, and their backup under refs/offload/backup/<plan>/."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from offload.git.run import run_git

BACKUP_ROOT = "refs/offload/backup"


def list_refs(cwd: Path, *patterns: str) -> dict[str, str]:
    out = run_git("for-each-ref", "--format=%(refname) %(objectname)", *patterns, cwd=cwd)
    refs: dict[str, str] = {}
    for line in out.lines():
        name, _, oid = line.rpartition(" ")
        refs[name] = oid
    return refs


def selected_refs(cwd: Path, which: str) -> dict[str, str]:
    """Local branches, origin's branches not checked out (as refs/heads/…), and tags.

    In a fresh clone most branches exist only as refs/remotes/origin/*; they are part of
    "all branches" and become local branches when rewritten (like git-filter-repo does).
    """
    refs = list_refs(cwd, "refs/heads")
    for name, oid in list_refs(cwd, "refs/remotes/origin").items():
        branch = name.removeprefix("refs/remotes/origin/")
        if branch != "HEAD" and f"refs/heads/{branch}" not in refs:
            refs[f"refs/heads/{branch}"] = oid
    if which == "all":
        refs.update(list_refs(cwd, "refs/tags"))
    return dict(sorted(refs.items()))


def backup_prefix(plan_name: str) -> str:
    return f"{BACKUP_ROOT}/{plan_name}/"


def write_backup(cwd: Path, plan_name: str, original: dict[str, str]) -> None:
    """Record the original refs once; a rerun after a crash keeps the first backup."""
    prefix = backup_prefix(plan_name)
    existing = list_refs(cwd, prefix.rstrip("/"))
    lines = [f"create {prefix}{name} {oid}\n" for name, oid in original.items()
             if prefix + name not in existing]
    if lines:
        run_git("update-ref", "--stdin", cwd=cwd, input="".join(lines).encode())


def read_backup(cwd: Path, plan_name: str) -> dict[str, str]:
    prefix = backup_prefix(plan_name)
    return {name.removeprefix(prefix): oid
            for name, oid in list_refs(cwd, prefix.rstrip("/")).items()}


def set_refs(cwd: Path, wanted: dict[str, str], drop: Sequence[str] = ()) -> None:
    """Point every ref of ``wanted`` at its id and delete ``drop``, in one transaction."""
    lines = [f"update {name} {oid}\n" for name, oid in wanted.items()]
    lines += [f"delete {name}\n" for name in drop]
    if lines:
        from offload.migrate.safety import reflog_message

        run_git("update-ref", "--no-deref", "-m", reflog_message("set refs"), "--stdin", cwd=cwd,
                input=("start\n" + "".join(lines) + "commit\n").encode())


def drop_backup(cwd: Path, plan_name: str) -> None:
    prefix = backup_prefix(plan_name)
    names = list(list_refs(cwd, prefix.rstrip("/")))
    if names:
        run_git("update-ref", "--stdin", cwd=cwd,
                input="".join(f"delete {n}\n" for n in names).encode())
