"""The run's journal: an append-only JSON Lines file under the git dir, fsynced per record,
so a rerun after a crash knows which uploads and which phases are done."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


class Journal:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "journal.jsonl"
        self._lock = threading.Lock()
        self.uploaded: set[str] = set()
        self.phases: dict[str, Any] = {}
        self._load()

    @property
    def started(self) -> bool:
        return self.path.exists()

    def _load(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line torn by a crash
            if "uploaded" in record:
                self.uploaded.add(record["uploaded"])
            elif "phase" in record:
                self.phases[record["phase"]] = record.get("data")

    def append(self, record: dict[str, Any]) -> None:
        self.append_many([record])

    def append_many(self, records: list[dict[str, Any]]) -> None:
        """One write and one fsync for all of ``records``."""
        if not records:
            return
        line = "".join(json.dumps(r, sort_keys=True) + "\n" for r in records)
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())

    def mark_uploaded(self, key: str) -> None:
        self.append({"uploaded": key})
        self.uploaded.add(key)

    def mark_uploaded_many(self, keys: list[str]) -> None:
        self.append_many([{"uploaded": key} for key in keys])
        self.uploaded.update(keys)

    def mark_phase(self, phase: str, data: Any = None) -> None:
        self.append({"phase": phase, "data": data})
        self.phases[phase] = data

    def done(self, phase: str) -> bool:
        return phase in self.phases


def crashpoint(name: str) -> None:
    """Die here like a SIGKILL would when the test suite asks (OFFLOAD_TEST_CRASH=name)."""
    if os.environ.get("OFFLOAD_TEST_CRASH") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
