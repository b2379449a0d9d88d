"""Notices: one per recipient org and day, rendered from the Chinese .txt/.html pair, delivered by SMTP
to a local server when configured, and otherwise left in the outbox."""
from __future__ import annotations

import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from lostcontact.notices import SmtpSettings
from lostcontact.uow import UnitOfWork
from models import Notice
from tests.builders import build_world
from workflows.orchestration import run_in_process


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8")))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def lost_members(db):
    world = build_world(db)
    world.add_member("通知甲", branch="B1", last_contact=date(2015, 9, 20))
    world.add_member("通知乙", branch="B3", last_contact=date(2015, 9, 25))


def test_alerts_of_the_day_are_mailed_once_per_org_over_smtp(sqlite_db, smtp_server):
    inbox, port = smtp_server
    lost_members(sqlite_db)
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="dj@example.org", to="dj-{org}@example.org")
    report = run_in_process(sqlite_db, date(2016, 3, 1), smtp=smtp)  # R2 warnings for B1 and B3
    assert report.counts["notices"] == 2 and report.counts["notices_sent"] == 2
    assert sorted(rcpt for _f, (rcpt,), _b in inbox.messages) == ["dj-B1@example.org", "dj-B3@example.org"]
    assert all(sender == "dj@example.org" for sender, _r, _b in inbox.messages)
    again = run_in_process(sqlite_db, date(2016, 3, 1), smtp=smtp)
    assert again.counts["notices_sent"] == 0 and len(inbox.messages) == 2
    with UnitOfWork(sqlite_db, write=False) as uow:
        notices = uow.session.execute(select(Notice.status, Notice.body_text, Notice.body_html)).all()
    assert [status for status, _t, _h in notices] == ["sent", "sent"]
    text, html = notices[0][1], notices[0][2]
    assert "5个月" in text and "<table" in html and "通知甲" not in text + html  # masked, never named
    # a secretary reads the rule's name and where to look in the web app, not a rule id or a command line
    assert "- [提醒] 五个月预警 " in text and "<td>五个月预警</td>" in html and "“超期预警”" in text
    assert "R2" not in text + html and "lostcontact" not in text + html


def test_without_smtp_notices_stay_in_the_outbox(sqlite_db):
    lost_members(sqlite_db)
    report = run_in_process(sqlite_db, date(2016, 3, 1))
    assert report.counts["notices"] == 2 and report.counts["notices_sent"] == 0
    with UnitOfWork(sqlite_db, write=False) as uow:
        assert uow.session.scalars(select(Notice.status)).all() == ["pending", "pending"]


def test_a_second_sweep_the_same_day_mails_only_the_alerts_it_added(sqlite_db, smtp_server):
    inbox, port = smtp_server
    world = build_world(sqlite_db)
    world.add_member("通知甲", branch="B1", last_contact=date(2015, 9, 20))
    smtp = SmtpSettings(host="127.0.0.1", port=port, to="dj-{org}@example.org")
    first = run_in_process(sqlite_db, date(2016, 3, 1), smtp=smtp)
    assert first.counts["notices_sent"] == 1
    world.add_member("通知丙", branch="B1", last_contact=date(2015, 9, 28))  # recorded after the first sweep
    second = run_in_process(sqlite_db, date(2016, 3, 1), smtp=smtp)
    assert second.counts["R2"] == 1 and second.counts["notices"] == 1 and second.counts["notices_sent"] == 1
    assert [rcpt for _f, (rcpt,), _b in inbox.messages] == ["dj-B1@example.org", "dj-B1@example.org"]
    with UnitOfWork(sqlite_db, write=False) as uow:
        counts = uow.session.scalars(select(Notice.alert_count).order_by(Notice.id)).all()
    assert counts == [1, 1]  # the second notice lists the new warning alone
    third = run_in_process(sqlite_db, date(2016, 3, 1), smtp=smtp)
    assert third.counts["notices"] == 0 and len(inbox.messages) == 2


def test_alerts_of_a_run_that_failed_before_its_notices_are_notified_by_the_next_run(sqlite_db, monkeypatch):
    import workflows.orchestration as orchestration

    lost_members(sqlite_db)

    def fail(*_args, **_kw):
        raise RuntimeError("injected failure after the rules committed")

    monkeypatch.setattr(orchestration, "sweep_system", fail)
    with pytest.raises(RuntimeError):
        run_in_process(sqlite_db, date(2016, 3, 1))
    monkeypatch.undo()
    again = run_in_process(sqlite_db, date(2016, 3, 1))
    assert again.counts["R2"] == 0 and again.counts["notices"] == 2  # raised by the failed run, notified now
    with UnitOfWork(sqlite_db, write=False) as uow:
        assert sorted(uow.session.scalars(select(Notice.alert_count))) == [1, 1]


def test_the_html_notice_escapes_what_the_text_notice_keeps():
    from lostcontact.notices.render import render_pair

    alerts = [("提醒", "环节期限", "案件 7 <b>联系查找</b> & 核实", date(2016, 3, 9)), ("超期", "环节期限", "案件 8", None)]
    text, html = render_pair("alerts", org={"code": "B1", "name": "第一党支部"}, as_of=date(2016, 3, 1),
                             alerts=alerts, subject="【督办】")
    assert "- [提醒] 环节期限 案件 7 <b>联系查找</b> & 核实（期限 2016-03-09）" in text
    assert "- [超期] 环节期限 案件 8\n" in text and "新产生 2 条" in text
    assert "&lt;b&gt;联系查找&lt;/b&gt; &amp; 核实" in html and "<b>" not in html
