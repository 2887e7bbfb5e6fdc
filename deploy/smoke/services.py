"""The two pieces the script runs itself: the PostgreSQL relay it can cut and the SMTP sink."""

import contextlib
import queue
import socket
import threading
import time
from email import message_from_bytes

from .base import LOOPBACK


class Relay:
    """A TCP relay to PostgreSQL that can be cut (every relayed connection closed) and restored."""

    def __init__(self, listen_port, target):
        self.listen_port, self.target = listen_port, target
        self.server = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        self.server = socket.create_server((LOOPBACK, self.listen_port), reuse_port=False)
        self.server.settimeout(0.2)
        self.running = True
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def _accept(self, server):
        while self.running and server is self.server:
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, 3)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def stop(self):
        self.running = False
        if self.server is not None:
            self.server.close()
            self.server = None
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()


class MailSink:
    """aiosmtpd handler: every message received, parsed."""

    def __init__(self):
        self.messages = queue.Queue()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.put(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def wait_for(self, recipient, timeout=25):
        deadline = time.monotonic() + timeout
        kept = []
        try:
            while time.monotonic() < deadline:
                try:
                    message = self.messages.get(timeout=0.2)
                except queue.Empty:
                    continue
                if recipient in message["To"]:
                    return message
                kept.append(message)
        finally:
            for message in kept:
                self.messages.put(message)
        raise AssertionError(f"aucun mail reçu pour {recipient} en {timeout} s")
