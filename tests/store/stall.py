"""A TCP proxy that lets a byte budget of requests through, then holds every upload still.

Stalled connections stay open (nothing is read from the client any more), so an upload in
flight can neither finish nor fail until the test decides: :meth:`StallProxy.release` lets
everything through again, :meth:`StallProxy.cut` resets every connection and refuses new ones
(the store went away).
"""

from __future__ import annotations

import select
import socket
import struct
import threading
from types import TracebackType


class StallProxy:
    def __init__(self, target_port: int, budget: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.budget = budget
        self.stalled = threading.Event()
        self._released = False
        self._down = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> StallProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()
        self.cut()

    def release(self) -> None:
        with self._lock:
            self._released, self._down = True, False

    def cut(self) -> None:
        with self._lock:
            self._down = True
            sockets = list(self._open)
        for sock in sockets:
            _reset(sock)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                down = self._down
            if down:
                _reset(client)
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _may_send(self, size: int) -> bool:
        with self._lock:
            if self._released:
                return True
            if self.budget <= 0:
                self.stalled.set()
                return False
            self.budget -= size
            return True

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=10)
        except OSError:
            return _reset(client)
        with self._lock:
            self._open.update((client, upstream))
        try:
            while not self._stop.is_set():
                watch = [upstream] + ([client] if self._may_send(0) else [])
                readable, _, _ = select.select(watch, [], [], 0.1)
                for sock in readable:
                    data = sock.recv(64 * 1024)
                    if not data:
                        return
                    if sock is upstream:
                        client.sendall(data)
                    else:
                        self._may_send(len(data))
                        upstream.sendall(data)
        except (OSError, ValueError):  # ValueError: cut() closed a socket while select() ran
            return
        finally:
            with self._lock:
                self._open.difference_update((client, upstream))
            client.close()
            upstream.close()


def _reset(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass
