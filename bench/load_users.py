"""The simulated users of bench/load.py: officers, reviewers and supervisors, each a login and then a loop of
HTTP requests on its own httpx client until the run's end, and the Tally they all write what they saw to."""
from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from lostcontact.web.sessions import SESSION_COOKIE

from . import load_world

OFFICER_TRIGGERS = {"lost_contact": "start_search", "verifying": "propose", "branch_proposal": "submit",
                    "meeting_resolution": "resolve"}
REVIEWER_TRIGGERS = {"committee_prereview": "agree", "final_approval": "approve"}


@dataclass
class Tally:
    """What the users saw, shared between their threads (appends under a lock). Errors, conflicts, refusals
    and accepted actions count from the first request to the last; response times (`ms`) only of requests
    sent within the measured window (`measure`), and logins' whenever they happen. The users work until
    `until` (monotonic seconds; open-ended until the window is set)."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    conflicts: Counter = field(default_factory=Counter)
    stale: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    fired: list[tuple] = field(default_factory=list)     # (case_id, trigger, to_state) of accepted fires
    logged: list[int] = field(default_factory=list)      # ids of accepted search-log entries
    window: tuple[float, float] = (float("inf"), float("inf"))  # monotonic [start, end) of the timed requests
    until: float = float("inf")
    arrived: int = 0                                     # users past their login, whether it succeeded or not
    arrivals: threading.Condition = field(default_factory=threading.Condition)

    def measure(self, start: float, seconds: float) -> None:
        """Time the requests sent from `start` for `seconds`, and let the users stop then."""
        self.window = (start, start + seconds)
        self.until = start + seconds

    def running(self) -> bool:
        return time.monotonic() < self.until

    def arrive(self) -> None:
        with self.arrivals:
            self.arrived += 1
            self.arrivals.notify_all()

    def wait_for_arrivals(self, users: int, timeout: float) -> bool:
        with self.arrivals:
            return self.arrivals.wait_for(lambda: self.arrived >= users, timeout)

    def request(self, client, page: str, method: str, url: str, **kwargs):
        sent = time.monotonic()
        started = time.perf_counter()
        try:
            response = client.request(method, url, **kwargs)
        except Exception as failed:  # noqa: BLE001 - a timeout or a dropped connection is an error to count
            with self.lock:
                self.errors.append(f"{page}: {type(failed).__name__}: {failed}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            if page == "login" or self.window[0] <= sent < self.window[1]:
                self.ms[page].append(elapsed)
            if response.status_code == 409:
                self.conflicts[page] += 1
            elif response.status_code == 403 and page == "log_search" and _kind(response) == "refused":
                self.stale[page] += 1
            elif response.status_code >= 400:
                self.errors.append(f"{page}: {response.status_code} {response.text[:200]}")
        return response if response.status_code < 400 else None  # the login form answers 303


def _kind(response) -> str | None:
    try:
        return response.json()["error"]["kind"]
    except Exception:  # noqa: BLE001 - not the API's error shape
        return None


def _pause(think: float) -> None:
    time.sleep(random.uniform(0, 2 * think))


def _api_login(client, tally: Tally, login: str) -> bool:
    response = tally.request(client, "login", "POST", "/api/session",
                             json={"login": login, "password": load_world.PASSWORD})
    if response is None:
        return False
    client.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return True


def _pick(client, tally: Tally, states: dict) -> dict | None:
    """The queue, then one of its first cases that this user acts on, read in full (state, version, log)."""
    queue = tally.request(client, "queue", "GET", "/api/queue", params={"limit": 20})
    if queue is None:
        return None
    rows = [row for row in queue.json()["cases"] if row["state"] in states or row["state"] == "searching"]
    if not rows:
        return None
    case = tally.request(client, "case", "GET", f"/api/cases/{random.choice(rows[:3])['id']}")
    return case.json() if case is not None else None


def _fire(client, tally: Tally, page: str, case: dict, trigger: str, **options) -> None:
    body = {"trigger": trigger, "expected_version": case["version"], **options}
    response = tally.request(client, page, "POST", f"/api/cases/{case['id']}/fire", json=body)
    if response is not None:
        done = response.json()
        with tally.lock:
            tally.fired.append((done["case_id"], done["trigger"], done["to"]))


def officer(client, tally: Tally, today: date, think: float) -> None:
    while tally.running():
        case = _pick(client, tally, OFFICER_TRIGGERS)
        if case is None:
            pass
        elif case["state"] == "searching" and not any(e["outcome"] == "reached" for e in case["search_log"]):
            body = {"channel": "phone", "outcome": "reached", "note": "负载测试"}
            response = tally.request(client, "log_search", "POST", f"/api/cases/{case['id']}/search-log", json=body)
            if response is not None:
                with tally.lock:
                    tally.logged.append(response.json()["id"])
        elif case["state"] == "searching":
            _fire(client, tally, "fire", case, "reach", cause=1)
        elif case["state"] in OFFICER_TRIGGERS:
            trigger = OFFICER_TRIGGERS[case["state"]]
            options = {"propose": {"opinion": "已恢复联系"}, "submit": {"disposition": "normal_management"},
                       "resolve": {"meeting": {"date": today.isoformat(), "entitled": 20, "present": 18,
                                               "for": 15, "against": 2, "abstain": 1}}}.get(trigger, {})
            _fire(client, tally, "fire", case, trigger, **options)
        _pause(think)


def reviewer(client, tally: Tally, today: date, think: float) -> None:
    while tally.running():
        case = _pick(client, tally, REVIEWER_TRIGGERS)
        if case is not None and case["state"] in REVIEWER_TRIGGERS:
            _fire(client, tally, "approve", case, REVIEWER_TRIGGERS[case["state"]])
        _pause(think)


def _form_login(client, tally: Tally, login: str) -> bool:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    response = tally.request(client, "login", "POST", "/login", data={
        "csrf_token": token.group(1) if token else "", "login": login, "password": load_world.PASSWORD,
        "next": "/alerts"}, follow_redirects=False)
    if response is None:
        return False
    if SESSION_COOKIE not in client.cookies:
        with tally.lock:
            tally.errors.append(f"login: the supervisor got no session cookie ({response.status_code})")
        return False
    return True


def supervisor(client, tally: Tally, today: date, think: float) -> None:
    while tally.running():
        page = random.choice(("alerts", "tally"))
        tally.request(client, page, "GET", f"/{page}")
        _pause(think)


# how each kind of user logs in: officers and reviewers by the API, supervisors by the page's form
LOGIN = {officer: _api_login, reviewer: _api_login, supervisor: _form_login}
