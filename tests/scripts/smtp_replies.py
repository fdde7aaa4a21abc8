"""What smtp_session.py and smtp_client.py share: reading an SMTP server's replies."""
import os
import re
import select
import sys
import time

# SMTP replies are 2xx to 5xx; sendmail's own 0xx lines (e.g. a config warning before the
# greeting) are not replies.
FINAL_REPLY = re.compile(rb"^[2-5][0-9]{2} ")


class ReplyReader:
    """Reads a server's output from file descriptor `fd` (a pipe or a socket) up to the end of
    each reply, printing its lines without carriage returns, until `deadline` (monotonic)."""

    def __init__(self, fd, deadline):
        self.fd = fd
        self.deadline = deadline
        self.pending = b""

    def read_reply(self):
        """Reads lines until a final reply line; False on end of output or timeout."""
        while True:
            while b"\n" in self.pending:
                line, self.pending = self.pending.split(b"\n", 1)
                sys.stdout.buffer.write(line.rstrip(b"\r") + b"\n")
                if FINAL_REPLY.match(line):
                    return True
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return False
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return False
            self.pending += chunk
