#!/usr/bin/python3
"""Drive one SMTP session with a server on stdin/stdout, e.g. `sendmail -bs`.

usage: smtp_session.py TIMEOUT COMMAND... -- PROGRAM [ARG...]

Each COMMAND is sent only after the server's previous reply has ended (its final `NNN ` line),
never on a timer: sendmail answers a client that talks before the greeting, or pipelines
without PIPELINING, with 554, and on a loaded machine no fixed pause is long enough.
Prints everything the server wrote (stderr included), without carriage returns.
Exits 1 if the session does not end within TIMEOUT seconds.
"""
import subprocess
import sys
import time

from smtp_replies import ReplyReader


def main():
    timeout = float(sys.argv[1])
    split = sys.argv.index("--")
    commands = sys.argv[2:split]
    program = sys.argv[split + 1:]
    deadline = time.monotonic() + timeout
    server = subprocess.Popen(program, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    reader = ReplyReader(server.stdout.fileno(), deadline)
    read_reply = reader.read_reply

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
    sys.stdout.buffer.write(reader.pending)
    sys.stdout.flush()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
