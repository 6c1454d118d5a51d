"""What a put, pull or watch run did, as counts and bytes: one summary line, the same in JSON.

``put: 12 uploaded (4.1 MiB), 3 already stored, 1 skipped (symlink)``
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from offload.units import human_bytes

UPLOAD = ("uploaded", "already stored")
FETCH = ("fetched", "already present")


@dataclass
class Tally:
    words: tuple[str, str] = UPLOAD  # (what was done, what needed nothing)
    done: int = 0
    done_bytes: int = 0
    present: int = 0
    present_bytes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> files
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add_done(self, size: int, count: int = 1) -> None:
        with self._lock:
            self.done += count
            self.done_bytes += size

    def add_present(self, size: int, count: int = 1) -> None:
        with self._lock:
            self.present += count
            self.present_bytes += size

    def skip(self, reason: str, count: int = 1) -> None:
        with self._lock:
            self.skipped[reason] += count

    def line(self, command: str) -> str:
        did, needless = self.words
        parts = [f"{self.done} {did} ({human_bytes(self.done_bytes)})",
                 f"{self.present} {needless}"]
        if self.skipped:
            reasons = ", ".join(f"{n} {why}" if len(self.skipped) > 1 else why
                                for why, n in sorted(self.skipped.items()))
            parts.append(f"{sum(self.skipped.values())} skipped ({reasons})")
        return f"{command}: " + ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        did, needless = (w.replace(" ", "_") for w in self.words)
        return {did: self.done, f"{did}_bytes": self.done_bytes,
                needless: self.present, f"{needless}_bytes": self.present_bytes,
                "skipped": sum(self.skipped.values()), "skipped_why": dict(self.skipped)}
