"""How findings are shown: each path with its reason and size, then the fix."""

from __future__ import annotations

from offload.guard.scan import Finding
from offload.units import human_bytes

SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+=:,@%")


def shell_quote(text: str) -> str:
    if text and all(ch in SAFE for ch in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def shown(path: str) -> str:
    """A path on one line: control characters escaped, undecodable bytes as \\xNN."""
    if path.isprintable():
        return path
    out = []
    for ch in path:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)



def fix_lines(findings: list[Finding], where: str) -> list[str]:
    secrets = sorted({f.path for f in findings if not f.is_artifact})
    artifacts = sorted({f.path for f in findings if f.is_artifact} - set(secrets))
    lines: list[str] = []
    if artifacts and where == "staged":
        lines.append("offload fix   (uploads them, unstages and ignores them, records them in "
                     "offload.lock, rewrites references)")
        lines.append("or: offload put --untrack " + " ".join(shell_quote(p) for p in artifacts))
    elif artifacts:
        lines.append("they are already committed: take them out of those commits before pushing, "
                     "e.g. `git rebase -i` (edit each commit listed, run `offload fix`, "
                     "`git commit --amend`), or `offload migrate plan` for many")
    for path in secrets:
        lines.append(f"remove the secret from {shown(path)} (keep it in the environment or in "
                     "rclone.conf outside the repository) and rotate it")
    return lines


def render(findings: list[Finding], where: str, title: str) -> str:
    if not findings:
        return ""
    rows = []
    for f in findings:
        name = shown(f.path) + (f":{f.line}" if f.line else "")
        prefix = f"{f.commit[:10]} " if f.commit else ""
        size = "" if f.kind == "credential" else human_bytes(f.size)
        rows.append((prefix + name, f.reason, size))
    width = min(60, max(len(r[0]) for r in rows))
    reason_width = min(50, max(len(r[1]) for r in rows))
    out = [f"offload: {len(findings)} problem(s) in {title}; blocked", ""]
    out += [f"  {n:<{width}}  {r:<{reason_width}}  {s}".rstrip() for n, r, s in rows]
    out += ["", "fix:"] + ["  " + line for line in fix_lines(findings, where)]
    return "\n".join(out) + "\n"


def as_json(findings: list[Finding], where: str, symlinks: list[str] | None = None) -> str:
    import json

    from offload import __version__

    return json.dumps({"kind": "check", "version": __version__, "mode": where, "ok": not findings,
                       "findings": [f.to_json() for f in findings],
                       "fix": fix_lines(findings, where), "skipped_symlinks": symlinks or []})
