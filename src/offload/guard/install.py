"""Install offload's hooks into the common git dir (shared by every linked worktree)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from offload.errors import GitStateError, UsageError
from offload.git.repo import RepoPaths
from offload.git.run import run_git

MARKER = "# offload-hook: managed"
DEFAULT_LINE = "OFFLOAD_PYTHON_DEFAULT=python3"


def hook_source(name: str) -> str:
    """The script shipped in the wheel (offload/hooks) or in the source tree (hooks/)."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "hooks", package.parent.parent / "hooks"):
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    raise UsageError(f"offload's {name} hook script is missing from this installation",
                     "reinstall offload (`pip install --force-reinstall offload`)")


def hooks_dir(repo: RepoPaths) -> Path:
    """The directory git runs hooks from; refuses when core.hooksPath points elsewhere."""
    default = repo.common_dir / "hooks"
    configured = run_git("config", "--get", "core.hooksPath", cwd=repo.toplevel, check=False)
    value = configured.text.strip()
    if value:
        target = Path(os.path.expanduser(value))
        target = target if target.is_absolute() else repo.toplevel / target
        if target.resolve() != default.resolve():
            raise GitStateError(
                f"core.hooksPath is set to {value}, so git does not run hooks from {default}",
                "add `python -m offload.guard pre-commit` (and `pre-push \"$@\"` for pushes) to "
                f"the hooks in {value}, or use the pre-commit framework hook `offload-check`, "
                "or run `git config --unset core.hooksPath` and install again",
            )
    return default


def render_script(name: str) -> str:
    python = "'" + sys.executable.replace("'", "'\\''") + "'"
    return hook_source(name).replace(DEFAULT_LINE, f"OFFLOAD_PYTHON_DEFAULT={python}", 1)


def is_ours(path: Path) -> bool:
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def install(repo: RepoPaths, names: list[str]) -> list[str]:
    """Write each hook; a foreign hook becomes ``<name>.legacy`` and is run first."""
    folder = hooks_dir(repo)
    folder.mkdir(parents=True, exist_ok=True)
    report = []
    for name in names:
        target, legacy = folder / name, folder / f"{name}.legacy"
        if target.exists() and not is_ours(target):
            if legacy.exists():
                raise GitStateError(
                    f"{target} is not offload's and {legacy.name} already exists",
                    "merge the two by hand (or delete one), then run `offload hook install` "
                    "again",
                )
            target.rename(legacy)
            report.append(f"kept your {name} hook as {legacy.name}; it still runs first")
        tmp = target.with_name(f".{name}.offload-tmp")
        tmp.write_text(render_script(name), encoding="utf-8")
        tmp.chmod(0o755)
        os.replace(tmp, target)
        report.append(f"installed {target}")
    return report


def uninstall(repo: RepoPaths, names: list[str]) -> list[str]:
    folder = hooks_dir(repo)
    report = []
    for name in names:
        target, legacy = folder / name, folder / f"{name}.legacy"
        if not target.exists():
            continue
        if not is_ours(target):
            report.append(f"left {target} alone: it is not offload's")
            continue
        target.unlink()
        report.append(f"removed {target}")
        if legacy.exists():
            legacy.rename(target)
            report.append(f"restored your {name} hook")
    return report
