#!/usr/bin/python3
"""Drive one SMTP session with a daemon over TCP, from a chosen source address.

usage: smtp_client.py SOURCE-ADDR HOST PORT TIMEOUT COMMAND...

Connects from SOURCE-ADDR (e.g. 127.0.0.2, which sendmail does not count as this host: only
127.0.0.1 and ::1 relay by address) to HOST:PORT, retrying until the daemon listens, and sends
each COMMAND after the server's previous reply has ended (its final `NNN ` line), as
smtp_session.py does with `sendmail -bs`. Prints the server's lines without carriage returns,
and each command after `>>> `. Exits 1 if the session does not end within TIMEOUT seconds.
"""
import re
import select
import socket
import sys
import time

FINAL_REPLY = re.compile(rb"^[2-5][0-9]{2} ")


def connect(source, host, port, deadline):
    while True:
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            client.bind((source, 0))
            client.connect((host, port))
            return client
        except OSError:
            client.close()
            if time.monotonic() > deadline:
                return None
            time.sleep(0.1)


def main():
    source, host, port, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    commands = sys.argv[5:]
    deadline = time.monotonic() + timeout
    client = connect(source, host, port, deadline)
    if client is None:
        print("no daemon listening on %s:%d" % (host, port))
        sys.exit(1)
    pending = b""

    def read_reply():
        nonlocal pending
        while True:
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                sys.stdout.buffer.write(line.rstrip(b"\r") + b"\n")
                if FINAL_REPLY.match(line):
                    return True
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([client], [], [], left)[0]:
                return False
            chunk = client.recv(65536)
            if not chunk:
                return False
            pending += chunk

    ok = read_reply()
    for command in commands:
        if not ok:
            break
        sys.stdout.buffer.write(b">>> " + command.encode() + b"\n")
        client.sendall(command.encode() + b"\r\n")
        ok = read_reply()
    client.close()
    sys.stdout.flush()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
