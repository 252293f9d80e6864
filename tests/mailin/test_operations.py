"""Running it: the gateway command as a process, and forgetting old mail."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from mailin.addresses import reply_address
from mailin.models import InboundFile, InboundMail
from mailin.retention import forget_old_mail
from mailin.tasks import forget_old_mail as forget_task

from .conftest import PDF, TUESDAY, composed, receive

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_manage_py_mail_gateway_listens_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mail_gateway", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        while not any("listening" in line for line in lines) and len(lines) < 20:
            lines.append(process.stdout.readline())  # aiosmtpd logs a line or two first
        assert f"Mail gateway (SMTP) listening on 127.0.0.1:{port}\n" in lines, lines
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            banner = connection.recv(200).decode()
            assert banner.startswith("220 ") and "Business Porvoo mail gateway" in banner
            connection.sendall(b"RCPT TO:<x@example.com>\r\n")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert "Mail gateway stopped" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.django_db
def test_old_mail_forgets_its_personal_data_but_not_that_it_came(asked):
    # given a held answer with a file from 100 days ago, still waiting, and an old one decided
    waiting = receive(
        composed(
            to=reply_address(asked.reference),
            sender="kollega@example.org",
            files=(("kartta.pdf", "application/pdf", PDF),),
        )
    )
    decided = receive(
        composed(to="business@porvoo.fi", sender="a@example.fi", subject="Tontti", body="Tontti?")
    )
    # when the daily job runs 100 days later
    assert forget_old_mail(now=TUESDAY + timedelta(days=100)) == 1
    # then what no longer waits for anyone has lost its addresses, subject and text
    decided.refresh_from_db()
    assert (decided.from_address, decided.subject, decided.body) == ("", "—", "")
    assert decided.forgotten_at is not None and decided.outcome == InboundMail.Outcome.NEW_REQUEST
    assert decided.inquiry.description.startswith("Tontti?"), "the request keeps its own"
    # and what still waits keeps everything until someone decides
    waiting.refresh_from_db()
    assert waiting.from_address == "kollega@example.org" and InboundFile.objects.count() == 1
    assert forget_task.apply().get() == 0  # nothing more to forget now
