"""The clients of the run: requesters, a handler per unit and a service manager, each a thread.

Each client is a person with their own cookies who does what the pages offer: a requester
submits through the API, follows the request on the tracking page, answers a question and rates
the service; a handler signs in, reads the queue, claims, replies, asks and resolves through the
request page's forms; the service manager reads the dashboard. A request and its requester act
on it one at a time (a lock per request), so every step has one expected answer, and anything
else (a 5xx, no answer, another status, the page not saying it was done) is a failure.

Each step that succeeds and sends mail adds the mail it should send (request, kind, recipient)
to the ledger that the run compares with the outbox and the SMTP server at the end.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import re
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from routing import default_catalogue as catalogue

from .stack import STAFF_PASSWORD

REFERENCE = re.compile(r"BP-\d{4}-\d{6}")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEEN_STATUS = re.compile(r'name="seen_status" value="([^"]*)"')
# The catalogue's codes (plain data; the stable API values).
REQUEST_TYPES = [request_type["code"] for request_type in catalogue.REQUEST_TYPES]
DESCRIPTIONS = {
    "fi": "Tarvitsemme apua yrityksellemme: {topic}. Olemme porvoolainen pk-yritys ({n}).",
    "sv": "Vi behöver hjälp för vårt företag: {topic}. Vi är ett småföretag i Borgå ({n}).",
    "en": "We need help for our company: {topic}. We are a small firm in Porvoo ({n}).",
}
TOPICS = {
    "fi": ["noin 4000 m² tontti varastolle", "kaksi uutta työntekijää", "rahoitus kasvuun"],
    "sv": ["en tomt på 4000 m² för ett lager", "två nya anställda", "finansiering för tillväxt"],
    "en": ["a 4,000 m² plot for a warehouse", "two new employees", "funding to grow"],
}
# What the page says once the step is done (staff read English; requesters ask for it).
DONE = {
    "claim": "You took the request into your work.",
    "reply": "Your reply was sent to the requester.",
    "ask": "Your question was sent to the requester.",
    "resolve": "The request is resolved and the requester was told the outcome.",
    "message": "Thank you. Your message was sent to the handler.",
    "rate": "Thank you for rating our service.",
}


# -- HTTP ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer (refused, reset, timed out)
    body: str
    location: str
    seconds: float
    error: str = ""


class _ReturnRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the redirect comes back as the answer (an HTTPError with its status)


class Browser:
    """One person's browser: its own cookie jar; redirects are answers, not followed."""

    def __init__(self, base_url: str, language: str = "en", timeout: float = 30.0) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.headers = {"Accept-Language": language, "User-Agent": "bench-reliability"}
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(), _ReturnRedirects()
        )

    def get(self, path: str) -> Answer:
        return self._send(urllib.request.Request(self.base_url + path, headers=self.headers))

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        data = urllib.parse.urlencode(fields).encode()
        headers = self.headers | {"Content-Type": "application/x-www-form-urlencoded"}
        return self._send(urllib.request.Request(self.base_url + path, data, headers))

    def post_json(self, path: str, payload: dict[str, str]) -> Answer:
        headers = self.headers | {"Content-Type": "application/json", "Accept": "application/json"}
        request = urllib.request.Request(
            self.base_url + path, json.dumps(payload).encode(), headers
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> Answer:
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read().decode(errors="replace")
                return Answer(response.status, body, "", time.monotonic() - started)
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            location = error.headers.get("Location", "") if error.headers else ""
            return Answer(error.code, body, location, time.monotonic() - started)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            return Answer(
                0, "", "", time.monotonic() - started, f"{type(error).__name__}: {reason}"
            )


def problem_with(answer: Answer, status: int, contains: str = "", redirect: str = "") -> str:
    """Why the answer is not the expected one; empty when it is."""
    if answer.status == 0:
        return f"no answer: {answer.error}"
    if answer.status != status:
        return f"HTTP {answer.status}, expected {status}"
    if redirect and urllib.parse.urlsplit(answer.location).path != redirect:
        return f"redirected to {answer.location!r}, expected {redirect!r}"
    if contains and contains not in answer.body:
        return f"the page does not say {contains!r}"
    return ""


# -- what was done, and what it should have sent ------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    at: float  # seconds since the traffic started, when the request was sent
    seconds: float
    status: int
    problem: str  # empty: as expected


class Recorder:
    """Every request of the run, thread-safe."""

    def __init__(self, started: float) -> None:
        self.started = started
        self._lock = threading.Lock()
        self.samples: list[Sample] = []

    def record(self, kind: str, answer: Answer, problem: str) -> bool:
        sent = time.monotonic() - answer.seconds - self.started
        with self._lock:
            self.samples.append(Sample(kind, sent, answer.seconds, answer.status, problem))
        return not problem

    def client_error(self, kind: str, problem: str) -> None:
        """A failure of the client itself (a bug here): counted, so it fails the run."""
        at = time.monotonic() - self.started
        with self._lock:
            self.samples.append(Sample(kind, at, 0.0, 0, problem))


class State(StrEnum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    AWAITING = "awaiting_customer"
    RESOLVED = "resolved"
    RATED = "rated"
    BROKEN = "broken"  # a step failed: its outcome is unknown, nobody acts on it again


@dataclass(eq=False)
class Case:
    """One request as its requester and its handler know it."""

    reference: str
    unit: str
    email: str
    track_path: str
    state: State = State.QUEUED
    replied: bool = False
    asked: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class Registry:
    """The requests of the run and the mail each step should have sent (the ledger)."""

    def __init__(self, handlers: dict[str, str]) -> None:
        self.handlers = handlers  # unit code: its handler's e-mail address
        self._lock = threading.Lock()
        self.cases: dict[str, Case] = {}
        self.expected: Counter[tuple[str, str, str]] = Counter()
        self.broken: dict[str, str] = {}  # reference: what failed
        self._numbers = itertools.count(1)

    def number(self) -> int:
        with self._lock:
            return next(self._numbers)

    def add(self, case: Case) -> None:
        with self._lock:
            self.cases[case.reference] = case

    def get(self, reference: str) -> Case | None:
        with self._lock:
            return self.cases.get(reference)

    def expect(self, case: Case, kind: str, to_requester: bool = True) -> None:
        recipient = case.email if to_requester else self.handlers[case.unit]
        with self._lock:
            self.expected[(case.reference, kind, recipient)] += 1

    def break_case(self, case: Case, problem: str) -> None:
        case.state = State.BROKEN
        with self._lock:
            self.broken.setdefault(case.reference, problem)


@dataclass
class Shared:
    base_url: str
    recorder: Recorder
    registry: Registry
    stop: threading.Event
    seed: int
    think: float = 1.0  # scales every pause between steps


# -- the clients --------------------------------------------------------------------------------


class Client(threading.Thread):
    """A person at a browser: steps until told to stop; any bug here is counted as a failure."""

    def __init__(self, name: str, shared: Shared) -> None:
        super().__init__(name=name, daemon=True)
        self.shared = shared
        self.rng = random.Random(f"{shared.seed}-{name}")
        self.browser = Browser(shared.base_url)

    def run(self) -> None:
        try:
            self.setup()
            while not self.shared.stop.is_set():
                self.step()
        except Exception:  # noqa: BLE001 - a client bug must not pass silently
            self.shared.recorder.client_error("client", f"{self.name}: {traceback.format_exc()}")

    def setup(self) -> None:
        pass

    def step(self) -> None:
        raise NotImplementedError

    def pause(self, low: float, high: float) -> None:
        self.shared.stop.wait(self.rng.uniform(low, high) * self.shared.think)

    def fetch(self, kind: str, path: str, contains: str = "") -> Answer | None:
        answer = self.browser.get(path)
        ok = self.shared.recorder.record(kind, answer, problem_with(answer, 200, contains))
        return answer if ok else None

    def submit_form(
        self, kind: str, page: Answer, path: str, fields: dict[str, str], redirect: str
    ) -> bool:
        """POST a form of the page (with its CSRF token); the answer must redirect there."""
        token = CSRF.search(page.body)
        if token is None:
            self.shared.recorder.client_error(kind, f"no CSRF token on the page for {path}")
            return False
        answer = self.browser.post_form(path, {"csrfmiddlewaretoken": token[1], **fields})
        return self.shared.recorder.record(kind, answer, problem_with(answer, 302, "", redirect))


class Requester(Client):
    """An entrepreneur: submits, follows, answers questions, writes, rates."""

    def __init__(self, name: str, shared: Shared, submit_share: float = 0.3) -> None:
        super().__init__(name, shared)
        self.cases: list[Case] = []
        self.addresses: list[str] = []
        self.submit_share = submit_share

    def step(self) -> None:
        due = [c for c in self.cases if c.state in (State.AWAITING, State.RESOLVED)]
        open_cases = [c for c in self.cases if c.state in (State.QUEUED, State.IN_PROGRESS)]
        if due:
            self.act(self.rng.choice(due))
        elif not open_cases or self.rng.random() < self.submit_share:
            self.submit()
        elif self.rng.random() < 0.15:
            self.act(self.rng.choice(open_cases))
        else:
            # Reading needs no lock: nothing expected depends on what the page shows.
            case = self.rng.choice(self.cases)
            self.fetch("track", case.track_path, case.reference)
        self.pause(1.0, 3.0)

    def submit(self) -> None:
        registry = self.shared.registry
        number = registry.number()
        language = self.rng.choice(list(DESCRIPTIONS))
        # Some entrepreneurs come back with a second request from the same address.
        if self.addresses and self.rng.random() < 0.2:
            email = self.rng.choice(self.addresses)
        else:
            email = f"yrittaja.{number}@example.fi"
            self.addresses.append(email)
        payload = {
            "request_type": self.rng.choice(REQUEST_TYPES),
            "description": DESCRIPTIONS[language].format(
                topic=self.rng.choice(TOPICS[language]), n=number
            ),
            "contact_name": f"Yrittäjä {number}",
            "email": email,
            "language": language,
        }
        answer = self.browser.post_json("/api/v1/inquiries/", payload)
        problem = problem_with(answer, 201)
        data: dict[str, Any] = {}
        if not problem:
            try:
                data = json.loads(answer.body)
                unit = data["unit"]["code"]
                track_path = urllib.parse.urlsplit(data["tracking_url"]).path
                reference = data["reference"]
            except (ValueError, KeyError, TypeError) as error:
                problem = f"unexpected answer body: {error!r}"
        if not self.shared.recorder.record("submit", answer, problem):
            return
        case = Case(reference, unit, email, track_path)
        registry.add(case)
        registry.expect(case, "receipt")
        registry.expect(case, "new_in_unit", to_requester=False)
        self.cases.append(case)
        self.fetch("track", case.track_path, case.reference)

    def act(self, case: Case) -> None:
        """Answer a question, write to the handler, or rate a resolved request."""
        if not case.lock.acquire(blocking=False):
            return
        try:
            if case.state == State.RESOLVED:
                self.rate(case)
            elif case.state in (State.AWAITING, State.QUEUED, State.IN_PROGRESS):
                kind = "answer" if case.state == State.AWAITING else "message"
                self.write(case, kind)
        finally:
            case.lock.release()

    def write(self, case: Case, kind: str) -> None:
        page = self.fetch("track", case.track_path, case.reference)
        if page is None:
            return
        body = f"Tässä vastauksemme ja lisätiedot ({case.reference})."
        path = case.track_path + "reply/"
        if not self.submit_form(kind, page, path, {"reply-body": body}, case.track_path):
            self.shared.registry.break_case(case, kind)
            return
        if self.fetch("track", case.track_path, DONE["message"]) is None:
            self.shared.registry.break_case(case, f"{kind}: not confirmed")
            return
        self.shared.registry.expect(case, "requester_replied", to_requester=False)
        if case.state == State.AWAITING:
            case.state = State.IN_PROGRESS

    def rate(self, case: Case) -> None:
        page = self.fetch("track", case.track_path, case.reference)
        if page is None:
            return
        fields = {"rate-rating": str(self.rng.randint(1, 5)), "rate-comment": ""}
        if not self.submit_form("rate", page, case.track_path + "rate/", fields, case.track_path):
            self.shared.registry.break_case(case, "rate")
            return
        if self.fetch("track", case.track_path, DONE["rate"]) is None:
            self.shared.registry.break_case(case, "rate: not confirmed")
            return
        case.state = State.RATED


class StaffMember(Client):
    def __init__(self, name: str, shared: Shared, username: str) -> None:
        super().__init__(name, shared)
        self.username = username

    def setup(self) -> None:
        while not self.sign_in() and not self.shared.stop.is_set():
            self.pause(1.0, 2.0)

    def sign_in(self) -> bool:
        page = self.fetch("sign_in_page", "/staff/login/", "csrfmiddlewaretoken")
        if page is None:
            return False
        fields = {"username": self.username, "password": STAFF_PASSWORD}
        return self.submit_form("sign_in", page, "/staff/login/", fields, "/staff/")


class Handler(StaffMember):
    """The handler of one unit: claims from the queue, replies, asks, resolves."""

    def __init__(self, name: str, shared: Shared, unit: str) -> None:
        super().__init__(name, shared, f"handler-{unit}")
        self.unit = unit
        self.mine: list[Case] = []

    def step(self) -> None:
        if self.rng.random() < 0.03:
            # A new browser session now and then: signing in must work during the faults too.
            self.browser = Browser(self.shared.base_url)
            self.setup()
        elif self.rng.random() < 0.08:
            self.fetch("my_work", "/staff/")
        ready = [c for c in self.mine if c.state == State.IN_PROGRESS]
        if ready:
            self.work_on(self.rng.choice(ready))
        else:
            self.claim_from_queue()
        self.mine = [c for c in self.mine if c.state in (State.IN_PROGRESS, State.AWAITING)]
        self.pause(0.5, 1.5)

    def claim_from_queue(self) -> None:
        queue = self.fetch("queue", "/staff/queue/?status=queued")
        if queue is None:
            return
        registry = self.shared.registry
        for reference in dict.fromkeys(REFERENCE.findall(queue.body)):
            case = registry.get(reference)
            if case is None or case.unit != self.unit or not case.lock.acquire(blocking=False):
                continue
            try:
                if case.state != State.QUEUED:
                    continue
                if self.act(case, "claim", {}):
                    case.state = State.IN_PROGRESS
                    self.mine.append(case)
                return
            finally:
                case.lock.release()
        self.pause(1.0, 3.0)  # nothing to claim yet

    def work_on(self, case: Case) -> None:
        if not case.lock.acquire(blocking=False):
            return
        try:
            if case.state != State.IN_PROGRESS:
                return
            if not case.replied:
                text = {"reply-body": f"Kiitos viestistä. Selvitämme asian {case.reference}."}
                if self.act(case, "reply", text):
                    case.replied = True
                    self.shared.registry.expect(case, "reply")
            elif not case.asked and self.rng.random() < 0.5:
                text = {"ask-question": "Mikä on yrityksenne Y-tunnus ja toivottu aikataulu?"}
                if self.act(case, "ask", text):
                    case.asked, case.state = True, State.AWAITING
                    self.shared.registry.expect(case, "question")
            else:
                text = {"resolve-outcome": "Asia on hoidettu; ohjeet ja yhteystiedot alla."}
                if self.act(case, "resolve", text):
                    case.state = State.RESOLVED
                    self.shared.registry.expect(case, "resolution")
        finally:
            case.lock.release()

    def act(self, case: Case, action: str, fields: dict[str, str]) -> bool:
        """Open the request page, post one of its forms, and see the page say it was done."""
        page_path = f"/staff/requests/{case.reference}/"
        page = self.fetch("request_page", page_path, case.reference)
        if page is None:
            return False
        action_path = f"{page_path}{action}/"
        if action_path not in page.body:
            problem = f"the {action} form is not offered on {case.reference} ({case.state})"
            self.shared.recorder.client_error(action, problem)
            self.shared.registry.break_case(case, problem)
            return False
        seen = SEEN_STATUS.search(page.body)
        fields = {"seen_status": seen[1] if seen else "", **fields}
        if not self.submit_form(action, page, action_path, fields, page_path):
            self.shared.registry.break_case(case, action)
            return False
        if self.fetch("request_page", page_path, DONE[action]) is None:
            self.shared.registry.break_case(case, f"{action}: not confirmed")
            return False
        return True


class ServiceManager(StaffMember):
    """Reads the dashboard and the queue of every unit now and then."""

    def __init__(self, name: str, shared: Shared) -> None:
        super().__init__(name, shared, "service-manager")

    def step(self) -> None:
        if self.rng.random() < 0.5:
            self.fetch("dashboard", "/staff/dashboard/")
        else:
            self.fetch("queue", "/staff/queue/")
        self.pause(10.0, 20.0)
