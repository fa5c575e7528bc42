"""A minimal PostgreSQL protocol v3 client (trust authentication, simple query, COPY TO
STDOUT), enough for workloads that must timestamp individual rows as they arrive —
psql buffers its output, so it cannot tell when a row reached the client."""
import socket
import struct


class ServerError(Exception):
    """An ErrorResponse: `sqlstate` and `message` as the server sent them."""

    def __init__(self, fields):
        self.fields = fields
        self.sqlstate = fields.get("C", "")
        self.message = fields.get("M", "")
        super().__init__(f"{self.sqlstate}: {self.message}")


class Connection:
    def __init__(self, host, port, user, database, timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        params = b"user\0" + user.encode() + b"\0database\0" + database.encode() + b"\0\0"
        body = struct.pack("!I", 196608) + params
        self.sock.sendall(struct.pack("!I", len(body) + 4) + body)
        while True:
            t, payload = self.read_message()
            if t == b"R":
                (code,) = struct.unpack("!I", payload[:4])
                if code != 0:
                    raise RuntimeError(f"authentication method {code} is not supported by this benchmark client")
            elif t == b"E":
                raise ServerError(self._fields(payload))
            elif t == b"Z":
                return

    def settimeout(self, t):
        self.sock.settimeout(t)

    def close(self):
        try:
            self.sock.sendall(b"X\0\0\0\4")
        except OSError:
            pass
        self.sock.close()

    @staticmethod
    def _fields(payload):
        out = {}
        for part in payload.split(b"\0"):
            if part:
                out[chr(part[0])] = part[1:].decode("utf-8", "replace")
        return out

    def _fill(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk

    def read_message(self):
        self._fill(5)
        t = bytes(self.buf[:1])
        (length,) = struct.unpack("!I", self.buf[1:5])
        self._fill(1 + length)
        payload = bytes(self.buf[5:1 + length])
        del self.buf[:1 + length]
        return t, payload

    def send_query(self, sql):
        body = sql.encode() + b"\0"
        self.sock.sendall(b"Q" + struct.pack("!I", len(body) + 4) + body)

    def query(self, sql):
        """Run `sql` to ReadyForQuery; returns the command tags. Raises ServerError."""
        self.send_query(sql)
        tags, error = [], None
        while True:
            t, payload = self.read_message()
            if t == b"C":
                tags.append(payload.rstrip(b"\0").decode())
            elif t == b"E":
                error = ServerError(self._fields(payload))
            elif t == b"Z":
                if error:
                    raise error
                return tags

    def copy_out_rows(self):
        """After send_query of a `COPY … TO STDOUT`: yields each CopyData payload as it
        arrives; raises ServerError if the statement fails."""
        while True:
            t, payload = self.read_message()
            if t == b"d":
                yield payload
            elif t == b"E":
                err = ServerError(self._fields(payload))
                # drain to ReadyForQuery so the connection stays usable
                while self.read_message()[0] != b"Z":
                    pass
                raise err
            elif t in (b"c", b"Z"):
                if t == b"Z":
                    return
