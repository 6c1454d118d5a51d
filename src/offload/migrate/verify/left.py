"""What the plan listed as left as written, reported again by ``offload migrate verify``.

The plan's ``references.dangling`` rows (a target that resolves to nothing or escapes the
repository) and ``references.left_alone`` rows (a file name in code, a comment, script text, a
CSS string, a destination not found byte for byte) are warnings: the run kept those bytes on
purpose, so verify lists them (file, line, target, reason) and never fails on them.
"""

from __future__ import annotations

from typing import Any

_DANGLING_REASON = "resolves to nothing"


def left_alone_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = plan.get("references") or {}
    rows = [{"file": str(row["file"]), "line": int(row["line"]), "target": str(row["target"]),
             "reason": str(row.get("reason") or _DANGLING_REASON)}
            for key in ("dangling", "left_alone") for row in found.get(key) or []]
    return sorted(rows, key=lambda r: (r["file"], r["line"], r["target"]))
