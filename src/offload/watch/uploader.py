"""One upload, run on a worker thread: hash, send if the store lacks it, classify the outcome."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from offload.errors import ConfigError, IntegrityError, OffloadError, UsageError
from offload.manifest import Entry
from offload.ops.put import FileFacts
from offload.watch.settle import signature
from offload.workspace import Workspace


@dataclass(frozen=True)
class Outcome:
    path: str  # repository path (the queue's key)
    gen: int
    status: str  # "done", "changed" (queue again), "gone", "retry", "failed" (permanent)
    entry: Entry | None = None
    facts: FileFacts | None = None
    error: str = ""


def upload_one(ws: Workspace, repo_path: str, gen: int) -> Outcome:
    from offload.ops.put import describe, entry_for, upload_entries

    absolute = ws.root / repo_path
    if signature(str(absolute)) is None:
        return Outcome(repo_path, gen, "gone")
    try:
        facts = describe(ws, absolute)
        entry = entry_for(ws, facts, "watch")
        upload_entries(ws, [(facts, entry)], jobs=1)
    except IntegrityError:
        status = "gone" if signature(str(absolute)) is None else "changed"
        return Outcome(repo_path, gen, status)
    except FileNotFoundError:
        return Outcome(repo_path, gen, "gone")
    except (UsageError, ConfigError) as exc:
        # Nothing changes by retrying (a name the key rules refuse, a bad key_template).
        return Outcome(repo_path, gen, "failed", error=_describe(exc))
    except OSError as exc:
        return Outcome(repo_path, gen, "retry", error=_describe(exc))
    except Exception as exc:  # store outages arrive as many types (botocore, rclone, OSError)
        return Outcome(repo_path, gen, "retry", error=_describe(exc))
    return Outcome(repo_path, gen, "done", entry=entry, facts=facts)


def backoff(attempts: int, base: float, cap: float) -> float:
    """Exponential backoff with jitter: around base·2^(n-1), never above ``cap``."""
    ceiling = min(cap, base * (2 ** min(max(attempts - 1, 0), 30)))
    return random.uniform(ceiling / 2, ceiling)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OffloadError):
        return f"{exc.message} (next: {exc.next_step})"
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {Path(exc.filename).name}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return f"{type(exc).__name__}: {exc}"
