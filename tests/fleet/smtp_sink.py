# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet's mail host: an SMTP server (aiosmtpd) on one address and port that keeps every message it
receives as a file in a directory, for the suite to read.

    python tests/fleet/smtp_sink.py ADDRESS PORT DIRECTORY
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import uuid


class Keep:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler API
        name = os.path.join(self.directory, "%s.eml" % uuid.uuid4().hex)
        with open(name + ".tmp", "wb") as handle:
            handle.write(envelope.original_content)
        os.replace(name + ".tmp", name)
        return "250 OK"


def main(argv):
    from aiosmtpd.controller import Controller

    address, port, directory = argv[0], int(argv[1]), argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Keep(directory), hostname=address, port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
