#!/usr/bin/python3
"""Drive one SMTP session with a server on stdin/stdout, e.g. `sendmail -bs`.

usage: smtp_session.py TIMEOUT COMMAND... -- PROGRAM [ARG...]

Each COMMAND is sent only after the server's previous reply has ended (its final `NNN ` line),
never on a timer: sendmail answers a client that talks before the greeting, or pipelines
without PIPELINING, with 554, and on a loaded machine no fixed pause is long enough.
Prints everything the server wrote (stderr included), without carriage returns.
Exits 1 if the session does not end within TIMEOUT seconds.
"""
import os
import re
import select
import subprocess
import sys
import time

# SMTP replies are 2xx to 5xx; sendmail's own 0xx lines (e.g. a config warning before the
# greeting) are not replies.
FINAL_REPLY = re.compile(rb"^[2-5][0-9]{2} ")


def main():
    timeout = float(sys.argv[1])
    split = sys.argv.index("--")
    commands = sys.argv[2:split]
    program = sys.argv[split + 1:]
    deadline = time.monotonic() + timeout
    server = subprocess.Popen(program, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    pending = b""

    def read_reply():
        # Reads lines until a final reply line; returns False on end of output or timeout.
        nonlocal pending
        while True:
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                sys.stdout.buffer.write(line.rstrip(b"\r") + b"\n")
                if FINAL_REPLY.match(line):
                    return True
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([server.stdout], [], [], left)[0]:
                return False
            chunk = os.read(server.stdout.fileno(), 65536)
            if not chunk:
                return False
            pending += chunk

    ok = read_reply()  # the greeting, after any warnings sendmail prints first
    for command in commands:
        if not ok:
            break
        server.stdin.write(command.encode() + b"\r\n")
        server.stdin.flush()
        ok = read_reply()
    server.stdin.close()
    try:
        server.wait(max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        server.kill()
        ok = False
    sys.stdout.buffer.write(pending)
    sys.stdout.flush()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
