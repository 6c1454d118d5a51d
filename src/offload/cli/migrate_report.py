"""Human-readable migration summaries (rich tables on stdout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.units import human_bytes


def print_plan(path: Path, data: dict[str, Any]) -> None:
    from rich.table import Table

    from offload.style import console as styled_console

    s = data["summary"]
    table = Table(title=f"migration plan {data['name']}", show_header=False)
    rows = [
        ("refs / commits", f"{s['refs']} / {s['commits']}"),
        ("objects (versions)", f"{s['objects']} ({s['versions']})"),
        ("bytes", human_bytes(s["bytes"])),
        ("missing locally", str(len(s["missing_locally"]))),
        ("already in store", str(s["already_in_store"])),
        ("references to rewrite", str(s["references"])),
        ("dangling references", str(s["dangling"])),
        ("mentions in scripts (listed only)", str(s["report_mentions"])),
        ("template references (listed, left alone)", str(s.get("template_references", 0))),
        ("artifact names left alone (code, comments…; listed)", str(s.get("left_alone", 0))),
        ("corrupt LFS pointers", str(s["corrupt_pointers"])),
        ("documents not UTF-8 (left alone)", str(s["not_utf8"])),
    ]
    signed = s.get("signatures_dropped") or {}
    if signed.get("commits") or signed.get("tags"):
        rows.append(("signatures lost in history mode",
                     f"{signed['commits']} commit(s), {signed['tags']} tag(s)"))
    for root in s.get("site_roots") or []:
        rows.append(("site root (edit references.site_roots)", root))
    for name, value in rows:
        table.add_row(name, value)
    console = styled_console()
    console.print(table)
    if s.get("note"):
        console.print(s["note"])
    console.print(f"plan written to {path}\nreview it, then: offload migrate run {path}",
                  soft_wrap=True)


_LABELS = {  # scalar results worth a row, in this order
    "mode": "mode", "commits_rewritten": "commits rewritten", "objects": "objects",
    "versions": "versions", "would_upload": "would upload", "commits_checked": "commits checked",
    "problem_count": "problems",
}


def print_result(result: dict[str, Any]) -> None:
    """The outcome first, a table of what happened, the push commands, then ``next:``."""
    from rich.table import Table

    from offload.style import console as styled_console

    console = styled_console()
    ok, outcome = _outcome(result)
    console.print(outcome, style=None if ok else "bold red", highlight=False)
    table = Table(show_header=False, box=None, pad_edge=False)
    for key, label in _LABELS.items():
        if result.get(key) is not None:
            table.add_row(label, str(result[key]))
    uploads = result.get("uploads") or {}
    if uploads:
        table.add_row("uploaded / already in store",
                      f"{uploads.get('uploaded', 0)} / {uploads.get('already_in_store', 0)}")
    if result.get("bytes") is not None:
        table.add_row("bytes", human_bytes(int(result["bytes"])))
    for key, label in (("unresolved_references", "references left as written"),
                       ("missing_objects", "objects missing everywhere"),
                       ("restored", "refs restored"), ("deleted_branches", "branches deleted")):
        if result.get(key) is not None:
            table.add_row(label, str(len(result[key])))
    console.print(table)
    problems = list(result.get("problems") or [])
    verification = result.get("verification") or {}
    problems += list(verification.get("problems") or [])
    for problem in problems[:20]:
        console.print(f"  problem: {problem}", highlight=False, soft_wrap=True)
    if len(problems) > 20:
        console.print(f"  … and {len(problems) - 20} more (see the plan file or --json)")
    _print_left_alone(console, result.get("left_alone") or [])
    commands = result.get("push_commands") or []
    if commands:
        console.print("push (offload never pushes):")
        for command in commands:
            console.print(f"  {command}", highlight=False, soft_wrap=True)
    console.print(f"next: {_next_step(result, ok)}", highlight=False, soft_wrap=True)


_LEFT_ALONE_SHOWN = 10


def _print_left_alone(console: Any, rows: list[dict[str, Any]]) -> None:
    """What the plan listed as left as written: warnings, shown after the problems."""
    if not rows:
        return
    console.print(f"left as written, as the plan lists (warnings, not problems): {len(rows)}",
                  highlight=False, soft_wrap=True)
    for row in rows[:_LEFT_ALONE_SHOWN]:
        line = f"  {row['file']}:{row['line']}  {row['target']}  ({row['reason']})"
        console.print(_printable(line), highlight=False, soft_wrap=True, markup=False)
    if len(rows) > _LEFT_ALONE_SHOWN:
        console.print(f"  … and {len(rows) - _LEFT_ALONE_SHOWN} more (see the plan file's "
                      "references.dangling and references.left_alone, or --json)",
                      highlight=False, soft_wrap=True)


def _printable(text: str) -> str:
    from offload.safepaths import CONTROL_CHARACTERS

    return CONTROL_CHARACTERS.sub(lambda m: repr(m.group())[1:-1], text)


def _outcome(result: dict[str, Any]) -> tuple[bool, str]:
    if result.get("rolled_back") or "restored" in result:
        return True, f"rolled back: plan {result.get('plan', '')}".rstrip()
    if "would_upload" in result:
        return True, "dry run: nothing was changed"
    verification = result.get("verification")
    checked = verification if isinstance(verification, dict) else result
    if "ok" in checked:
        if checked["ok"]:
            return True, "ok: verification passed"
        count = checked.get("problem_count", len(checked.get("problems") or []))
        return False, f"FAILED: verification found {count} problem(s)"
    return True, "done"


def _next_step(result: dict[str, Any], ok: bool) -> str:
    if not ok:
        return "fix the problems above, or `offload migrate rollback PLAN` restores the refs"
    if result.get("push_commands"):
        return "look at `git log --stat`, then run the push commands above"
    if "would_upload" in result:
        return "run it without --dry-run"
    return "nothing else to do"
