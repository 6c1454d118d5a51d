"""A fault-injecting TCP proxy: forwards to a server, breaks a seeded fraction of connections.

Each accepted connection draws its fate from ``random.Random(seed)`` in accept order: pass
through, ``reset`` (RST at once), ``drop`` (read the request, never answer, close) or ``cut``
(forward the first bytes of the request, then RST both sides). Healthy connections are closed
gracefully once idle after a response, so keep-alive clients keep opening new connections and
keep meeting faults. Bounded: at most ``max_connections`` at once and ``lifetime`` seconds, after
which the proxy stops itself. ``set_down(True)`` simulates an outage: open connections are cut
and every new one is reset until ``set_down(False)``.
"""

from __future__ import annotations

import random
import select
import socket
import struct
import threading
import time
from collections import Counter
from types import TracebackType

FAULTS = ("reset", "drop", "cut")


class FaultProxy:
    def __init__(self, target_port: int, *, fault_rate: float = 0.1, seed: int = 0,
                 latency: float = 0.0, idle_close: float = 0.2, max_connections: int = 64,
                 lifetime: float = 300.0) -> None:
        self.target = ("127.0.0.1", target_port)
        self.fault_rate, self.latency, self.idle_close = fault_rate, latency, idle_close
        self.lifetime = lifetime
        self.stats: Counter[str] = Counter()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_connections)
        self._stop = threading.Event()
        self._down = False
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def faults(self) -> int:
        return sum(self.stats[kind] for kind in FAULTS)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def set_down(self, down: bool) -> None:
        """Start or end an outage: while down, nothing gets through."""
        with self._lock:
            self._down = down
            cut = list(self._open) if down else []
        for sock in cut:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _decide(self) -> tuple[str, int]:
        with self._lock:
            if self._down:
                self.stats["outage"] += 1
                return "reset", 0
            faulty = self._random.random() < self.fault_rate
            kind = self._random.choice(FAULTS) if faulty else "pass"
            offset = self._random.randrange(1, 64 * 1024)
            self.stats[kind] += 1
            self.stats["connections"] += 1
        return kind, offset

    def _accept_loop(self) -> None:
        deadline = time.monotonic() + self.lifetime
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            self._slots.acquire()
            kind, offset = self._decide()
            threading.Thread(target=self._serve, args=(client, kind, offset), daemon=True).start()
        self._stop.set()

    def _serve(self, client: socket.socket, kind: str, offset: int) -> None:
        upstream: socket.socket | None = None
        try:
            if self.latency:
                time.sleep(self.latency)
            if kind == "reset":
                return _reset(client)
            upstream = socket.create_connection(self.target, timeout=10)
            with self._lock:
                self._open.update((client, upstream))
            self._pump(client, upstream, kind, offset)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.difference_update((client, upstream))
            for sock in (client, upstream):
                if sock is not None:
                    sock.close()
            self._slots.release()

    def _pump(self, client: socket.socket, upstream: socket.socket, kind: str, offset: int
              ) -> None:
        received, answered = 0, False
        while not self._stop.is_set():
            readable, _, _ = select.select([client, upstream], [], [], self.idle_close)
            if not readable:
                if answered:
                    return  # idle keep-alive connection: close it gracefully
                continue
            for sock in readable:
                data = sock.recv(256 * 1024)
                if not data:
                    return
                if sock is upstream:
                    client.sendall(data)
                    answered = True
                    continue
                received += len(data)
                if kind == "drop":
                    if received >= min(offset, 512):
                        return
                    continue
                if kind == "cut" and received > offset:
                    upstream.sendall(data[: len(data) - (received - offset)])
                    _reset(upstream)
                    return _reset(client)
                upstream.sendall(data)


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0, which sends a TCP RST instead of a FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
