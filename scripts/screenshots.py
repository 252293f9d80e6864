"""Screenshots of the entrepreneur portal and the handler workspace for docs/screenshots/, in
Finnish and Swedish, at desktop (1280×900) and phone (390×844) width.

    .venv/bin/python scripts/screenshots.py

Starts the development server on a free port against a throwaway SQLite database in a temporary
folder (migrated, with requests made through the services), drives Debian Chromium through
Playwright, saves full-page PNGs, stops the server and prints the files it wrote. Nothing of the
project's own database, media or broker is touched. The workspace is shown as two handlers of
urban development see it: Hanna in Finnish, Henrik in Swedish (each signs in through the form).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCALES = {"fi": "fi-FI", "sv": "sv-SE"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# Staff of the throwaway database: username -> the language their workspace speaks.
STAFF = {"hanna": "fi", "henrik": "sv"}
STAFF_PASSWORD = "screenshots-only-not-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder: Path, site_url: str) -> dict[str, str]:
    """The dev settings on a database, media folder and broker of their own."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "SITE_URL": site_url,
        "REDIS_URL": "",  # a local-memory cache, whatever the shell has
        "CELERY_BROKER_URL": "memory://",  # mails are written to the outbox, never sent
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEBUG": "true",  # the dev server serves the static files
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def submitted_at_risk(policy, now):
    """A submission time whose first response is at risk now (75 % of the time used)."""
    from datetime import timedelta

    from inquiries.models import AT_RISK_SHARE
    from routing.calendar import DEFAULT_CALENDAR

    hours = policy.first_response_hours
    for quarters in range(1, 4 * 24 * 14):
        start = now - timedelta(minutes=15 * quarters)
        risk_at = DEFAULT_CALENDAR.add_hours(start, hours * AT_RISK_SHARE)
        if risk_at <= now < DEFAULT_CALENDAR.add_hours(start, hours):
            return start
    raise RuntimeError("no submission time puts a request at risk now")


def make_requests() -> dict[str, str]:
    """Requests in the states worth showing; return their tracking tokens and references."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from crm.models import Membership, Unit, User
    from inquiries import services
    from inquiries.attachments import check_file
    from routing.models import RequestType

    # The outbox hands each mail to a broker that is only this process's memory: quiet.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)
    unit = Unit.objects.get(code="urban-development")
    handler = User.objects.create_user(
        username="hanna",
        first_name="Hanna",
        last_name="Handler",
        email="hanna@porvoo.fi",
        password=STAFF_PASSWORD,
        language=STAFF["hanna"],
    )
    colleague = User.objects.create_user(
        username="henrik",
        first_name="Henrik",
        last_name="Holm",
        email="henrik@porvoo.fi",
        password=STAFF_PASSWORD,
        language=STAFF["henrik"],
    )
    for member in (handler, colleague):
        Membership.objects.create(user=member, unit=unit, role=Membership.Role.HANDLER)
    plot = RequestType.objects.get(code="business-plot")

    def submit(
        language: str,
        subject: str,
        description: str,
        name: str,
        email: str,
        file: str,
        company: str = "Porvoon Varasto Oy",
        business_id: str = "0114162-2",
        submitted_at=None,
    ):
        return services.submit_inquiry(
            submission=services.Submission(
                request_type=plot,
                subject=subject,
                description=description,
                contact_name=name,
                email=email,
                company_name=company,
                business_id=business_id,
                phone="+358401234567",
                language=language,
                attachments=(check_file(SimpleUploadedFile(file, PDF, "application/pdf")),),
            ),
            now=submitted_at,
        )

    def ask(submitted, question: str, by=handler) -> None:
        services.claim_inquiry(inquiry_id=submitted.inquiry.pk, handler=by)
        services.ask_customer(inquiry_id=submitted.inquiry.pk, handler=by, question=question)

    fi = submit(
        "fi",
        "Tontti varastolle Kullaalta",
        "Etsimme noin 5 000 m² tonttia uudelle varastolle Kullaan yritysalueelta. "
        "Rakentaminen alkaisi ensi keväänä.",
        "Veikko Varasto",
        "veikko@example.fi",
        "asemapiirros.pdf",
    )
    ask(fi, "Kuinka suuri rakennus tontille tulee, ja tarvitsetteko raskaan liikenteen yhteyden?")
    sv = submit(
        "sv",
        "Tomt för lager i Kulloby",
        "Vi söker en tomt på cirka 5 000 m² för ett nytt lager i Kulloby företagsområde. "
        "Bygget skulle börja nästa vår.",
        "Sara Svensson",
        "sara@example.fi",
        "situationsplan.pdf",
    )
    ask(sv, "Hur stor byggnad planerar ni, och behöver ni anslutning för tung trafik?")
    resolved = submit(
        "fi",
        "Tontti tuotantohallille",
        "Tarvitsemme 1 hehtaarin tontin tuotantohallille.",
        "Riikka Ratkaistu",
        "riikka@example.fi",
        "hallin-luonnos.pdf",
    )
    ask(resolved, "Milloin tarvitsette tontin käyttöönne?")
    services.add_customer_message(
        inquiry_id=resolved.inquiry.pk,
        contact=resolved.inquiry.contact,
        body="Syksyllä, rakentaminen alkaa lokakuussa.",
    )
    services.resolve_inquiry(
        inquiry_id=resolved.inquiry.pk,
        handler=handler,
        outcome="Varasimme teille tontin 12 Kullaalta. "
        "Kauppakirja tulee postissa allekirjoitettavaksi.",
    )

    # The workspace: a queue with work in every state, and one request of each handler in
    # progress with a question, the answer and an internal note.
    def in_progress(submitted, by, question: str, answer: str, note: str) -> None:
        ask(submitted, question, by=by)
        services.add_customer_message(
            inquiry_id=submitted.inquiry.pk, contact=submitted.inquiry.contact, body=answer
        )
        services.add_internal_note(inquiry_id=submitted.inquiry.pk, handler=by, body=note)

    now = timezone.now()
    submit(
        "fi",
        "Laajennustontti konepajalle",
        "Konepajamme tarvitsee noin 3 000 m² lisää tilaa nykyisen tontin vierestä.",
        "Kalle Kone",
        "kalle@example.fi",
        "laajennus.pdf",
        company="Kilpilahden Kone Oy",
        business_id="1572860-0",
        submitted_at=now - timedelta(days=8),
    )
    submit(
        "sv",
        "Tomt för bageri och butik",
        "Vi vill flytta vårt bageri till en egen tomt nära centrum, cirka 2 000 m².",
        "Berit Bagare",
        "berit@example.fi",
        "bageri.pdf",
        company="Borgå Bageri Ab",
        business_id="2336509-6",
        submitted_at=submitted_at_risk(plot.policy(), now),
    )
    submit(
        "fi",
        "Tontti aurinkovoimalalle",
        "Haemme vuokralle noin 2 hehtaarin aluetta aurinkovoimalalle.",
        "Sanna Sähkö",
        "sanna@example.fi",
        "voimala.pdf",
        company="Porvoon Aurinko Oy",
        business_id="0201256-6",
    )
    workspace_fi = submit(
        "fi",
        "Tontti logistiikkakeskukselle",
        "Etsimme 2–3 hehtaarin tonttia logistiikkakeskukselle moottoritien läheltä. "
        "Toiminta alkaisi vuonna 2028.",
        "Leena Logistiikka",
        "leena@example.fi",
        "logistiikkakeskus.pdf",
        company="Itä-Uudenmaan Logistiikka Oy",
        business_id="2331972-7",
    )
    in_progress(
        workspace_fi,
        handler,
        "Montako raskasta ajoneuvoa keskukseen tulisi päivässä?",
        "Noin 40 rekkaa päivässä, pääosin aamuisin.",
        "Soitin kaavoitukseen: Kuninkaanportin alue sopisi. Tarjotaan tonttia 7.",
    )
    workspace_sv = submit(
        "sv",
        "Tomt för båtvarv vid ån",
        "Vi söker en strandtomt för ett litet båtvarv med vinterförvaring för 60 båtar.",
        "Johan Strand",
        "johan@example.fi",
        "varvsplan.pdf",
        company="Borgå Båtvarv Ab",
        business_id="0112038-9",
    )
    in_progress(
        workspace_sv,
        colleague,
        "Behöver ni en egen brygga, och hur djupt vatten krävs?",
        "Ja, en brygga för 10 båtar och minst 2 meter djupt vatten.",
        "Kollade med hamnen: tomten vid Näsebacken har 2,5 m djup. Föreslå den.",
    )
    connections.close_all()  # the server opens its own
    return {
        "fi": fi.tracking_token,
        "sv": sv.tracking_token,
        "resolved": resolved.tracking_token,
        "workspace-fi": workspace_fi.inquiry.reference,
        "workspace-sv": workspace_sv.inquiry.reference,
    }


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the development server stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"the development server did not answer at {url} in {timeout} s")


def take(browser, site: str, language: str, viewport: dict, path: str, name: str, before=None):
    """Open `path` in `language` at `viewport` and save a full-page screenshot as `name`."""
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=1,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
        locale=LOCALES[language],
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    try:
        page = context.new_page()
        page.goto(site + path)
        if before is not None:
            before(page)
        target = OUT / name
        page.screenshot(path=str(target), full_page=True)
        return target
    finally:
        context.close()


def show_errors(page) -> None:
    """Send the form with mistakes, as a browser without form validation would."""
    page.locator("#id_business_id").fill("1234567-8")
    page.locator("#id_email").fill("veikko@")
    page.locator("#id_description").fill("Tontti varastolle.")
    page.locator("form.form").evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    page.locator(".error-summary").wait_for()


def sign_in(username: str):
    """Sign a handler in through the workspace's form; the page then goes on to `next`."""

    def _sign_in(page) -> None:
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(STAFF_PASSWORD)
        with page.expect_navigation():
            page.locator("form.form button[type=submit]").click()
        if "/staff/login/" in page.url:
            raise RuntimeError(f"{username} could not sign in to the workspace")

    return _sign_in


def staff_page(path: str) -> str:
    """The sign-in page, going on to `path` once signed in."""
    return f"/staff/login/?next={path}"


def shots(tokens: dict[str, str]) -> list[tuple]:
    """(language, viewport, path, file name, what to do before the shot)."""
    track = "/track/{}/".format
    queue = staff_page("/staff/queue/")
    inquiry_fi = staff_page("/staff/requests/{}/".format(tokens["workspace-fi"]))
    inquiry_sv = staff_page("/staff/requests/{}/".format(tokens["workspace-sv"]))
    # Each handler's workspace speaks their own language (STAFF): the file name says which.
    hanna, henrik = sign_in("hanna"), sign_in("henrik")
    return [
        ("fi", DESKTOP, "/", "home-fi-desktop.png", None),
        ("fi", DESKTOP, "/request/", "form-fi-desktop.png", None),
        ("fi", PHONE, "/request/", "form-fi-phone.png", None),
        ("sv", DESKTOP, "/request/", "form-sv-desktop.png", None),
        ("sv", PHONE, "/request/", "form-sv-phone.png", None),
        ("fi", PHONE, "/request/", "form-errors-fi-phone.png", show_errors),
        ("fi", DESKTOP, track(tokens["fi"]), "track-fi-desktop.png", None),
        ("fi", PHONE, track(tokens["fi"]), "track-fi-phone.png", None),
        ("sv", DESKTOP, track(tokens["sv"]), "track-sv-desktop.png", None),
        ("sv", PHONE, track(tokens["sv"]), "track-sv-phone.png", None),
        ("fi", PHONE, track(tokens["resolved"]), "track-resolved-fi-phone.png", None),
        ("fi", DESKTOP, queue, "queue-fi-desktop.png", hanna),
        ("fi", PHONE, queue, "queue-fi-phone.png", hanna),
        ("sv", DESKTOP, queue, "queue-sv-desktop.png", henrik),
        ("fi", DESKTOP, inquiry_fi, "inquiry-fi-desktop.png", hanna),
        ("fi", PHONE, inquiry_fi, "inquiry-fi-phone.png", hanna),
        ("sv", DESKTOP, inquiry_sv, "inquiry-sv-desktop.png", henrik),
    ]


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("Chromium is missing: apt-get install chromium fonts-liberation", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="bp-screenshots-") as tmp:
        env = environment(Path(tmp), site)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        tokens = make_requests()
        log_path = Path(tmp) / "server.log"
        log = log_path.open("wb")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(site + "/", server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    for language, viewport, path, name, before in shots(tokens):
                        written.append(take(browser, site, language, viewport, path, name, before))
                finally:
                    browser.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
            errors = [line for line in log_path.read_text().splitlines() if '" 5' in line]
            if errors:
                print("The server answered with errors:", *errors, sep="\n", file=sys.stderr)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
