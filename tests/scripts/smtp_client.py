#!/usr/bin/python3
"""Drive one SMTP session with a daemon over TCP, from a chosen source address.

usage: smtp_client.py [--talk-first] SOURCE-ADDR HOST PORT TIMEOUT COMMAND...

Connects from SOURCE-ADDR (e.g. 127.0.0.2, which sendmail does not count as this host: only
127.0.0.1 and ::1 relay by address) to HOST:PORT, retrying until the daemon listens, and sends
each COMMAND after the server's previous reply has ended (its final `NNN ` line), as
smtp_session.py does with `sendmail -bs`. Prints the server's lines without carriage returns,
and each command after `>>> `. Exits 1 if the session does not end within TIMEOUT seconds.
With --talk-first the first COMMAND is sent at once, before the greeting, as an early talker
(many spam engines) does: greet_pause refuses such a client.
"""
import socket
import sys
import time

from smtp_replies import ReplyReader


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
    args = sys.argv[1:]
    talk_first = args[:1] == ["--talk-first"]
    if talk_first:
        args = args[1:]
    source, host, port, timeout = args[0], args[1], int(args[2]), float(args[3])
    commands = args[4:]
    deadline = time.monotonic() + timeout
    client = connect(source, host, port, deadline)
    if client is None:
        print("no daemon listening on %s:%d" % (host, port))
        sys.exit(1)
    read_reply = ReplyReader(client.fileno(), deadline).read_reply

    def send(command):
        sys.stdout.buffer.write(b">>> " + command.encode() + b"\n")
        client.sendall(command.encode() + b"\r\n")

    if talk_first and commands:
        send(commands.pop(0))
    ok = read_reply()
    for command in commands:
        if not ok:
            break
        send(command)
        ok = read_reply()
    client.close()
    sys.stdout.flush()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
