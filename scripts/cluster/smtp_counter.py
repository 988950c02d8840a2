"""An SMTP server (aiosmtpd) that accepts every message and writes one JSON line per
recipient to a file: {"to", "subject", "at"}. The cluster test counts e-mails from it.
Usage: python smtp_counter.py HOST PORT FILE  (stops on SIGTERM)."""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self, path: str) -> None:
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open for the run)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message.get("Subject", ""))))
        with self.lock:
            for to in envelope.rcpt_tos:
                self.file.write(json.dumps({"to": to.lower(), "subject": subject,
                                            "at": time.time()}) + "\n")
            self.file.flush()
        return "250 OK"


def main() -> None:
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    controller = Controller(Counter(path), hostname=host, port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"SMTP-tæller lytter på {host}:{port}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
