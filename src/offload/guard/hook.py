"""The hook entry point: ``python -m offload.guard MODE [ARGS]`` — no click, no yaml.

Modes: ``pre-commit``; ``pre-push REMOTE URL`` (ref lines on stdin); ``framework`` (for the
pre-commit framework: a range when it passes PRE_COMMIT_FROM_REF/TO_REF, else the index);
``check [--staged | --range A..B | --all] [--json]`` (what ``offload check`` runs).
"""

from __future__ import annotations

import os
import sys

from offload.guard.gitio import GitFailed, git
from offload.guard.rules import first_match
from offload.guard.scan import inspect, range_entries, staged_entries, symlinks, tree_entries

ZERO = "0" * 40
BUSY = ("rebase-merge", "rebase-apply", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD")
USAGE = "usage: python -m offload.guard pre-commit | pre-push REMOTE URL | framework | " \
        "check [--staged | --range A..B | --all] [--json]"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    mode, rest = (args[0], args[1:]) if args else ("check", [])
    try:
        if mode == "check":
            return _check_command(rest)
        if mode in ("pre-commit", "pre-push", "framework"):
            return _hook(mode, rest)
    except GitFailed as exc:
        return _fail(f"error: {exc}\n  next: fix the git problem above, then retry", 5)
    except KeyboardInterrupt:
        return 130
    return _fail(USAGE, 2)


def _check_command(args: list[str]) -> int:
    wants_json = "--json" in args
    args = [a for a in args if a != "--json"]
    if args in ([], ["--staged"]):
        return run_check("staged", None, wants_json, hook=False)
    if args == ["--all"]:
        return run_check("all", None, wants_json, hook=False)
    if len(args) == 1 and args[0].startswith("--range="):
        args = ["--range", args[0].removeprefix("--range=")]
    if len(args) == 2 and args[0] == "--range":
        spec = args[1]
        return run_check("range", [spec], wants_json, hook=False)
    return _fail(USAGE, 2)


def _hook(mode: str, args: list[str]) -> int:
    if mode == "pre-commit":
        return run_check("staged", None, False, hook=True)
    if mode == "framework":
        to_ref = os.environ.get("PRE_COMMIT_TO_REF")
        from_ref = os.environ.get("PRE_COMMIT_FROM_REF")
        if to_ref and from_ref:
            return run_check("range", [f"{from_ref}..{to_ref}"], False, hook=True)
        return run_check("staged", None, False, hook=True)
    remote = args[0] if args else "origin"
    revs = push_revs(sys.stdin.read(), remote)
    return run_check("range", revs, False, hook=True) if revs else 0


def push_revs(lines: str, remote: str) -> list[str]:
    """Revisions a push sends: its new tips, minus what the remote already has."""
    tips, known = [], [f"--remotes={remote}"]
    for line in lines.splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[1].strip("0"):
            continue  # malformed, or a ref being deleted
        tips.append(parts[1])
        if parts[3].strip("0"):
            known.append(parts[3])
    return ["--ignore-missing", *tips, "--not", *known] if tips else []


def run_check(where: str, revs: list[str] | None, wants_json: bool, hook: bool) -> int:
    located = _locate()
    if located is None:
        if hook:
            return 0
        return _fail("error: not inside a git work tree\n  next: run offload from inside your "
                     "repository", 5)
    toplevel, git_dir, common_dir = located
    from offload.guard.fastconfig import Rules, find_config, load_rules

    config = find_config(toplevel, common_dir)
    if hook and (config is None or any(os.path.exists(os.path.join(git_dir, n)) for n in BUSY)):
        return 0
    try:
        rules = load_rules(config) if config else Rules()
    except Exception as exc:
        return _config_failure(exc, hook)
    if where == "staged":
        entries, title = staged_entries(), "staged changes"
    elif where == "all":
        entries, title = tree_entries("HEAD"), "the tree at HEAD"
    else:
        entries = range_entries(revs or [])
        title = f"commits of {revs[0]}" if revs and len(revs) == 1 else "commits being pushed"
    findings = inspect(entries, rules)
    links = [p for p in symlinks(entries) if first_match(rules.include, p, fold_case=True)]
    from offload.guard.report import as_json, render, shown

    if wants_json:
        sys.stdout.write(as_json(findings, where, links) + "\n")
    else:
        sys.stdout.write(render(findings, where, title))
        for path in links:
            sys.stderr.write(f"offload: skipped symlink {shown(path)}: a link is not an "
                             "artifact and offload never reads through it\n")
    return 1 if findings else 0


def _locate() -> tuple[str, str, str] | None:
    """(toplevel, git dir, common dir); hooks run at the top of the work tree, so a plain
    ``.git`` there answers without a git process."""
    if "GIT_DIR" not in os.environ and "GIT_WORK_TREE" not in os.environ:
        here = os.getcwd()
        dot_git = os.path.join(here, ".git")
        if os.path.isdir(dot_git) and os.path.isfile(os.path.join(dot_git, "HEAD")):
            return here, dot_git, dot_git
        if os.path.isfile(dot_git):
            linked = _linked_worktree(here, dot_git)
            if linked:
                return linked
    rc, out = git(["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir",
                   "--git-common-dir"], check=False)
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    if rc != 0 or len(lines) < 3:
        return None
    return lines[0], lines[1], lines[2]


def _linked_worktree(here: str, dot_git: str) -> tuple[str, str, str] | None:
    with open(dot_git, encoding="utf-8", errors="surrogateescape") as handle:
        text = handle.read().strip()
    if not text.startswith("gitdir: "):
        return None
    git_dir = os.path.normpath(os.path.join(here, text[8:]))
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            common = os.path.normpath(os.path.join(git_dir, handle.read().strip()))
    except OSError:
        common = git_dir
    return here, git_dir, common


def _config_failure(exc: Exception, hook: bool) -> int:
    from offload.errors import OffloadError

    if not isinstance(exc, OffloadError):
        raise exc
    text = exc.render()
    if hook:
        text += "\n  (the offload hook refuses to pass while offload.yaml is broken; to commit " \
                "anyway once: git commit --no-verify)"
    return _fail(text, int(exc.exit_code))


def _fail(message: str, code: int) -> int:
    sys.stderr.write(message + "\n")
    return code
