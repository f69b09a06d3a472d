"""A mail server for tests and the chaos run: it speaks just enough SMTP for Django's SMTP
backend, counts a mail only once it has said "250" to its DATA (as a real server takes
responsibility for it only then), and can hold a mail between receiving it and that answer,
so that the sender can be killed mid-send.

    with SmtpSink() as sink:          # listens on 127.0.0.1:<sink.port>
        sink.hold.set()               # hold every mail after its data …
        sink.data_seen.wait(10)       # … until one has arrived …
        sink.hold.clear()             # … and answer it (if its sender is still there)
        sink.delivered                # [(recipients, message bytes), …]
"""

import select
import socket
import socketserver
import threading


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        sink = self.server.sink
        recipients = []
        self.reply("220 sink ESMTP")
        for raw in self.rfile:
            command = raw.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif command.startswith("MAIL FROM"):
                recipients = []
                self.reply("250 OK")
            elif command.startswith("RCPT TO"):
                recipients.append(raw.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                sink.data_seen.set()
                while sink.hold.is_set() and not sink.closing.is_set():
                    sink.hold_released.wait(0.05)
                if self.sender_gone():
                    return  # never answered: the sender must send it again
                self.reply("250 OK: queued")
                with sink.lock:
                    sink.delivered.append((recipients, data))
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")

    def sender_gone(self) -> bool:
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self, port: int = 0):
        self.delivered = []
        self.lock = threading.Lock()
        self.hold = threading.Event()
        self.hold_released = threading.Event()
        self.data_seen = threading.Event()
        self.closing = threading.Event()
        self.port = port
        self._server = None

    def start(self):
        self._server = _Server(("127.0.0.1", self.port), _Session)
        self._server.sink = self
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """The server goes away (and can be started again on the same port)."""
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()
        self.closing.clear()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
