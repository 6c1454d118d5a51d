"""``offload watch status``: read the pid file and the queue; never disturbs the daemon."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from offload.watch.control import StatePaths, is_running, read_pid_file
from offload.workspace import Workspace


def collect_status(ws: Workspace) -> dict[str, Any]:
    from offload.store.factory import store_spec_for
    from offload.watch.queue import Queue

    paths = StatePaths.of(ws.repo)
    running = is_running(paths)
    info = read_pid_file(paths) if running else None
    counts = {"pending": 0, "uploading": 0, "done": 0, "retrying": 0, "failed": 0}
    failures: list[dict[str, object]] = []
    last = None
    if paths.queue.exists():
        queue = Queue(paths.queue, readonly=True)
        try:
            counts, failures, last = queue.counts(), queue.failures(), queue.last_upload()
        except sqlite3.OperationalError:
            pass  # a daemon starting right now has created the file but not yet its tables
        finally:
            queue.close()
    return {
        "running": running,
        "pid": info["pid"] if info else None,
        "started_at": info.get("started_at") if info else None,
        "roots": info.get("roots") if info else list(ws.config.watch_paths),
        "store": store_spec_for(ws.config, ws.repo).describe(),
        "queue_depth": counts["pending"] + counts["uploading"] + counts["retrying"],
        "counts": counts,
        "uploaded": counts["done"],
        "failed": failures,
        "last_upload": last,
        "log": str(paths.log),
    }


def render_status(s: dict[str, Any]) -> str:
    state = f"running (pid {s['pid']})" if s["running"] else "not running"
    c = s["counts"]
    lines = [
        f"watch daemon: {state}",
        f"store:        {s['store']}",
        f"folders:      {', '.join(s['roots'] or [])}",
        f"queue:        {s['queue_depth']} ({c['pending']} pending, {c['uploading']} uploading, "
        f"{c['retrying']} waiting to retry)",
        f"uploaded:     {s['uploaded']}",
        f"failed:       {len(s['failed'])}",
    ]
    for f in s["failed"]:
        when = "will retry" if f["will_retry"] else "not retried until the file changes"
        lines.append(f"  {f['path']!r}: {f['error']} ({f['attempts']} attempt(s), {when})")
    last = s["last_upload"]
    if last:
        at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(last["at"])))
        lines.append(f"last upload:  {last['path']} at {at} -> {last['url'] or last['key']}")
    else:
        lines.append("last upload:  none yet")
    lines.append(f"log:          {s['log']}")
    return "\n".join(lines)
