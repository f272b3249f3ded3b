"""A TCP proxy that a test can use to cut every connection through it."""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttingProxy:
    """Forwards 127.0.0.1:<port> to a target; ``cut`` drops all connections."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.target_port: int | None = None
        self._lock = threading.Lock()
        self._live: list[tuple[socket.socket, socket.socket, list[bool]]] = []
        self.websockets_cut = 0
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self) -> int:
        """Drop every open connection; returns how many WebSockets died."""
        with self._lock:
            live, self._live = self._live, []
        cut_sockets = 0
        for client, upstream, is_websocket in live:
            if is_websocket[0]:
                cut_sockets += 1
            for end in (client, upstream):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
        self.websockets_cut += cut_sockets
        return cut_sockets

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self.cut()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.target_port is None:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            is_websocket = [False]
            with self._lock:
                self._live.append((client, upstream, is_websocket))
            threading.Thread(
                target=self._pump, args=(client, upstream, is_websocket), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(upstream, client, None), daemon=True
            ).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, flag: list[bool] | None
    ) -> None:
        try:
            while chunk := source.recv(65536):
                if flag is not None and not flag[0] and b"/ws/agent" in chunk[:200]:
                    flag[0] = True
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
