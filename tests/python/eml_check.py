#!/usr/bin/env python3
"""Check a q2o confirmation e-mail (.eml) with Python's standard email package,
an implementation independent of the C renderer.

  eml_check.py FILE [--html-has S]... [--html-lacks S]... [--text-has S]...
               [--text-lacks S]... [--header NAME=VALUE]... [--from-name S]
               [--from-addr S] [--max-line N]

Always checked: every line ends in CRLF and is at most --max-line octets
(default 998, RFC 5322); the message parses without defects; it is
multipart/alternative with a text/plain then a text/html part in UTF-8;
From, To, Subject, Date, Message-ID and MIME-Version are present and the
Date parses. HTML checks run on the text a browser would show (tags
removed, entities decoded), so an escaped name matches its original.

Exit 0 when every check holds; 1 with the failures on stderr.
"""
import argparse
import email.parser
import email.policy
import email.utils
import html.parser
import sys


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(markup):
    p = _Text()
    p.feed(markup)
    p.close()
    return " ".join(" ".join(p.parts).split())


def squeeze(s):
    return " ".join(s.split())


def check_lines(raw, max_line, fail):
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        fail("the message does not end in CRLF")
    for n, line in enumerate(lines, 1):
        if b"\r" in line or b"\n" in line:
            fail(f"line {n}: bare CR or LF")
        if len(line) > max_line:
            fail(f"line {n}: {len(line)} octets > {max_line}")


def check_structure(msg, fail):
    for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        if msg[name] is None:
            fail(f"no {name} header")
    if msg["Date"] is not None and email.utils.parsedate_to_datetime(str(msg["Date"])) is None:
        fail("Date does not parse")
    if msg.get_content_type() != "multipart/alternative":
        fail(f"content type {msg.get_content_type()}")
        return None, None
    parts = list(msg.iter_parts())
    types = [p.get_content_type() for p in parts]
    if types != ["text/plain", "text/html"]:
        fail(f"parts {types}")
    for p in [msg] + parts:
        if p.defects:
            fail(f"defects in {p.get_content_type()}: {p.defects}")
    for p in parts:
        if p.get_content_charset() != "utf-8":
            fail(f"{p.get_content_type()} charset {p.get_content_charset()}")
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    for opt in ("html-has", "html-lacks", "text-has", "text-lacks", "header"):
        ap.add_argument("--" + opt, action="append", default=[])
    ap.add_argument("--from-name")
    ap.add_argument("--from-addr")
    ap.add_argument("--max-line", type=int, default=998)
    a = ap.parse_args()
    failures = []
    fail = failures.append

    raw = open(a.file, "rb").read()
    check_lines(raw, a.max_line, fail)
    msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
    plain, markup = check_structure(msg, fail)
    if markup is not None:
        shown = visible_text(markup)
        text = squeeze(plain)
        for s in a.html_has:
            if squeeze(s) not in shown:
                fail(f"HTML lacks {s!r}")
        for s in a.html_lacks:
            if squeeze(s) in shown:
                fail(f"HTML shows {s!r}")
        for s in a.text_has:
            if squeeze(s) not in text:
                fail(f"text lacks {s!r}")
        for s in a.text_lacks:
            if squeeze(s) in text:
                fail(f"text shows {s!r}")
    for h in a.header:
        name, _, want = h.partition("=")
        got = msg[name]
        if got is None or str(got) != want:
            fail(f"{name}: {str(got)!r} != {want!r}")
    if a.from_name is not None or a.from_addr is not None:
        addrs = msg["From"].addresses if msg["From"] is not None else ()
        if len(addrs) != 1:
            fail(f"From has {len(addrs)} addresses")
        else:
            # CPython keeps the folding white space between two encoded
            # words of a phrase as a space, where RFC 2047 6.2 drops it; the
            # renderer encodes every space of the text, so comparing with
            # runs of spaces squeezed is exact for RFC-conforming readers.
            if a.from_name is not None and squeeze(addrs[0].display_name) != squeeze(a.from_name):
                fail(f"From name {addrs[0].display_name!r} != {a.from_name!r}")
            if a.from_addr is not None and addrs[0].addr_spec != a.from_addr:
                fail(f"From address {addrs[0].addr_spec!r} != {a.from_addr!r}")
    for f in failures:
        sys.stderr.write(f"eml_check: {f}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
