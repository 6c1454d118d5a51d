"""Running the watch loop in this process: lock, signals, pid file, clean shutdown."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from types import FrameType

from offload.ops.tally import Tally
from offload.watch.control import DaemonLock, StatePaths, write_pid_file
from offload.watch.settings import WatchSettings
from offload.workspace import Workspace

log = logging.getLogger("offload.watch")


def run_watch(ws: Workspace, roots: list[Path], settings: WatchSettings, *, poll: bool,
              once: bool) -> Tally:
    """Watch until stopped (or, with ``once``, until nothing is left); return what it did."""
    from offload.store.factory import store_spec_for
    from offload.watch import limits
    from offload.watch.engine import Engine
    from offload.watch.queue import Queue

    paths = StatePaths.of(ws.repo)
    lock = DaemonLock(paths)
    lock.acquire()
    folders = [str(r) for r in roots]
    try:
        queue = Queue(paths.queue, settings.queue_max_kb)
        engine = Engine(ws, folders, settings, queue, poll=poll, once=once)
        stopping = threading.Event()

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            log.info("signal %d: finishing in-flight uploads, then stopping", signum)
            stopping.set()
            # Set the wake event from another thread: never take its lock in a signal handler.
            threading.Thread(target=engine.inbox.wake.set, daemon=True).start()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            if not poll and not once and (warning := limits.check_before(folders)):
                log.warning("%s", warning)
            engine.start()
            if not poll and not once and (warning := limits.check_after(folders)):
                log.warning("%s", warning)
            store = store_spec_for(ws.config, ws.repo).describe()
            write_pid_file(paths, {"roots": [ws.repo_path(r) for r in roots], "store": store,
                                   "poll": poll, "log": str(paths.log)})
            log.info("watching %s -> %s%s", ", ".join(folders), store,
                     " (polling)" if poll else "")
            try:
                while not stopping.is_set():
                    timeout = engine.step()
                    if once and engine.idle():
                        break
                    engine.inbox.wake.wait(timeout)
                    engine.inbox.wake.clear()
            finally:
                engine.shutdown()
                queue.close()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("stopped after %d upload(s)", engine.uploaded)
        return engine.tally()
    finally:
        paths.pid.unlink(missing_ok=True)
        lock.release()
