#!/usr/bin/env python3
"""Writes a fleet of N host trees for bench/fleet/run.sh: OUT/hNNNNN/etc/mail/ with a sendmail
configuration, an access map and an aliases file, or OUT/hNNNNN/sendmail.cf alone.

Four real-shaped variants, taken in turn, with values varied per host (message size, daemon
children, privacy flags, log level, relay networks, aliases):
  debian-mx  an .mc as Debian writes it (OSTYPE debian, DOMAIN debian-mta) + access + aliases
  hub        a relay hub's .mc (generic domain, access_db, mailertable) + access + aliases
  submission a submission-only .mc listening on 587 on localhost + aliases
  cf         fixtures/examples/sendmail.cf with its option lines changed (a .cf, no m4)
Usage: generate.py OUT N
"""
import os
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

DEBIAN_MX = """divert(-1)dnl
dnl Shaped after Debian's /etc/mail/sendmail.mc (sendmail-config).
divert(0)dnl
define(`_USE_ETC_MAIL_')dnl
include(`/usr/share/sendmail/cf/m4/cf.m4')dnl
VERSIONID(`$Id: sendmail.mc, v 8.17.1 host {n} $')dnl
OSTYPE(`debian')dnl
DOMAIN(`debian-mta')dnl
undefine(`confHOST_STATUS_DIRECTORY')dnl
FEATURE(`no_default_msa')dnl
DAEMON_OPTIONS(`Family=inet,  Name=MTA-v4, Port=smtp, Addr={addr}')dnl
DAEMON_OPTIONS(`Family=inet,  Name=MSP-v4, Port=submission, Addr=127.0.0.1')dnl
define(`confPRIVACY_FLAGS',dnl
`{privacy}')dnl
define(`confCONNECTION_RATE_THROTTLE', `{throttle}')dnl
define(`confMAX_DAEMON_CHILDREN', `{children}')dnl
define(`confMAX_MESSAGE_SIZE', `{size}')dnl
define(`confLOG_LEVEL', `{loglevel}')dnl
FEATURE(`access_db', , `skip')dnl
FEATURE(`greet_pause', `1000')dnl
FEATURE(`delay_checks', `friend', `n')dnl
define(`confBAD_RCPT_THROTTLE',`3')dnl
FEATURE(`conncontrol', `nodelay', `terminate')dnl
FEATURE(`ratecontrol', `nodelay', `terminate')dnl
MAILER_DEFINITIONS
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

HUB = """divert(-1)dnl
dnl A relay hub: takes mail from the internal networks, sends it on by mailertable.
divert(0)dnl
VERSIONID(`relay hub {n}')dnl
OSTYPE(`linux')dnl
DOMAIN(`generic')dnl
define(`SMART_HOST', `smtp:[mx{m}.example.net]')dnl
define(`confPRIVACY_FLAGS', `{privacy}')dnl
define(`confMAX_DAEMON_CHILDREN', `{children}')dnl
define(`confMAX_MESSAGE_SIZE', `{size}')dnl
define(`confMIN_FREE_BLOCKS', `{blocks}')dnl
define(`confTO_QUEUERETURN', `{queuereturn}')dnl
FEATURE(`access_db', `hash -T<TMPF> /etc/mail/access')dnl
FEATURE(`mailertable', `hash /etc/mail/mailertable')dnl
FEATURE(`use_cw_file')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

SUBMISSION = """divert(-1)dnl
dnl A submission host: no MTA on port 25, the MSA on 587 for the local network.
divert(0)dnl
VERSIONID(`submission {n}')dnl
OSTYPE(`linux')dnl
DOMAIN(`generic')dnl
FEATURE(`no_default_msa')dnl
DAEMON_OPTIONS(`Port=submission, Name=MSA, M=Ea, Addr={addr}')dnl
define(`confAUTH_MECHANISMS', `{auth}')dnl
define(`confPRIVACY_FLAGS', `{privacy}')dnl
define(`confMAX_MESSAGE_SIZE', `{size}')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

PRIVACY = ["authwarnings,goaway", "authwarnings,novrfy,noexpn,restrictqrun",
           "authwarnings,needmailhelo,noexpn,novrfy,noreceipts,nobodyreturn", "authwarnings"]


def access(n):
    lines = ["# access map of host %d" % n, "Connect:localhost\tRELAY", "Connect:127\tRELAY"]
    for k in range(5 + n % 20):
        lines.append("Connect:10.%d.%d\tRELAY" % (n % 250, k))
    lines += ["From:spammer%d@example.com\tREJECT" % n, "To:postmaster@\tOK",
              "Connect:192.0.2.%d\tREJECT" % (n % 250)]
    return "\n".join(lines) + "\n"


def aliases(n):
    lines = ["# aliases of host %d" % n, "mailer-daemon: postmaster", "postmaster: root",
             "abuse: root", "hostmaster: root", "root: admin%d@example.org" % (n % 7)]
    for k in range(n % 10):
        lines.append("user%d: user%d@example.org" % (k, k))
    return "\n".join(lines) + "\n"


def values(n):
    k = n // 4  # the variant is n % 4: vary the values across the hosts of one variant
    return {"n": n, "m": n % 3 + 1, "addr": "0.0.0.0" if n % 5 else "127.0.0.1",
            "privacy": PRIVACY[k % len(PRIVACY)], "throttle": 5 + n % 20,
            "children": 0 if n % 11 == 0 else 20 + n % 100, "size": 0 if n % 13 == 0 else
            (10 + n % 90) * 1000000, "loglevel": 9 + n % 4, "blocks": 50 + 100 * (n % 1000),
            "queuereturn": ["1d", "5d", "4d", "2d"][k % 4],
            "auth": ["CRAM-MD5 PLAIN", "PLAIN LOGIN", "DIGEST-MD5"][n % 3]}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(SRC, "fixtures", "examples", "sendmail.cf")) as f:
        cf = f.read().splitlines(keepends=True)
    for n in range(1, count + 1):
        host = os.path.join(out, "h%05d" % n)
        v = values(n)
        kind = n % 4
        if kind == 3:
            text = []
            for line in cf:  # the .cf's options, varied as the .mc's are
                if line.startswith(("O MaxMessageSize=", "#O MaxMessageSize=")):
                    line = "O MaxMessageSize=%d\n" % v["size"]
                elif line.startswith("O PrivacyOptions="):
                    line = "O PrivacyOptions=%s\n" % v["privacy"]
                elif line.startswith("O LogLevel="):
                    line = "O LogLevel=%d\n" % v["loglevel"]
                elif line.startswith(("O MaxDaemonChildren=", "#O MaxDaemonChildren=")):
                    line = "O MaxDaemonChildren=%d\n" % v["children"]
                text.append(line)
            write(os.path.join(host, "sendmail.cf"), "".join(text))
            continue
        mail = os.path.join(host, "etc", "mail")
        template = [DEBIAN_MX, HUB, SUBMISSION][kind]
        write(os.path.join(mail, "sendmail.mc"), template.format(**v))
        write(os.path.join(mail, "aliases"), aliases(n))
        if kind != 2:
            write(os.path.join(mail, "access"), access(n))


if __name__ == "__main__":
    main()
