"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium; no browser is ever
downloaded), against the app served by uvicorn in a background thread on 127.0.0.1 and a free port."""
from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import UNDER_CI
from tests.web.travel.conftest import add_travel_users, snapshot_maker

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not os.path.exists(CHROMIUM):
        message = (f"browser tests SKIPPED (not a pass): {CHROMIUM} is missing; "
                   "install it with `apt-get install chromium fonts-noto-cjk` (infra/system-packages.sh)")
        if UNDER_CI:
            pytest.fail(f"{CHROMIUM} is required under CI=true: {message}")
        pytest.skip(message)
    return {"executable_path": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1366, "height": 900}}


@dataclass(frozen=True)
class LiveServer:
    url: str
    world: object


@contextmanager
def serving(app, world):
    """The app on a free port of 127.0.0.1 (the socket is bound first, so no other process can take the port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:  # waiting for a thread to come up, not for a date to pass
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", world)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@pytest.fixture
def live_server(app, world):
    with serving(app, world) as server:
        yield server


@pytest.fixture(scope="session")
def travel_snapshot(world_file, tmp_path_factory):
    return snapshot_maker(world_file, tmp_path_factory, add_travel_users, "web-travel")


@pytest.fixture
def travel_in(travel_snapshot, tmp_path):
    """`travel_in(build)`: a copy of the web world with the travel users and `build(travel)` applied, built
    once a worker session (tests/web/travel/conftest.py); `.built` is what build returned."""
    opened = []

    def open_copy(build):
        snapshot = travel_snapshot(build)
        travel = snapshot.open(tmp_path / "web.db")
        travel.built = snapshot.built
        opened.append(travel)
        return travel
    yield open_copy
    for travel in opened:
        travel.db.dispose()


@pytest.fixture
def world_of_travel(travel):
    """`world`, in a module whose `travel` fixture opens its world with `travel_in` (bound there as
    `world, business_day = world_of_travel, travel_pages.business_day`): the web world of that travel world."""
    return travel.world




@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return take


# The two screens every page must fit: an office desktop and a phone (issue: 390 px wide).
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(params=list(SCREENS))
def screen(request, page):
    """Runs a test once at each width; the page is resized before the test uses it."""
    page.set_viewport_size(SCREENS[request.param])
    return request.param


def assert_fits(page) -> None:
    """The page does not scroll sideways: wide tables scroll inside their own box."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px of content in {widths[1]} px"


def log_in_as(page, base: str, login: str, password: str | None = None) -> None:
    """Log in through the form and wait for whatever page the account lands on."""
    from tests.web.conftest import PASSWORD
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(login)
    page.get_by_label("密码").fill(password or PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def open_menu(page) -> None:
    """On a phone the top bar's links and 退出 sit behind the 菜单 button: open it (a no-op on a desktop)."""
    button = page.get_by_test_id("menu-button")
    if button.is_visible() and not page.locator("#menu-toggle").is_checked():
        button.click()
