"""What `lostcontact demo --programme travel` prints: what the story built, the daily sweep's alerts per rule,
the checks' findings per kind, the
summary form's path, what to try next and the demo users of the programme. Imported by the demo command only
when the travel part runs (the command line's lazy imports)."""
from __future__ import annotations

from datetime import date

import typer


def _counts(labels: dict[str, str], counts: dict[str, int]) -> str:
    return "，".join(f"{labels.get(k, k)} {v}" for k, v in counts.items() if v) or "无"


def print_story(story) -> None:
    from statemachines.codes import ALERT_RULES
    from statemachines.travel.self_report import STATES as REPORT_STATES
    from statemachines.travel.trips import STATES as TRIP_STATES

    report_labels = {**REPORT_STATES, "zero": "零报告（已审核确认）"}
    typer.echo(f"用时 {story.seconds:.1f} s")
    typer.echo(f"登记备案人员 {story.persons} 名，因私出国（境）等证件 {story.documents} 件 / persons and documents")
    typer.echo(f"因私出国（境）行程 / private trips：{_counts(TRIP_STATES, story.trips)}")
    typer.echo(f"自查自报 / self-reports：{_counts(report_labels, story.reports)}")
    typer.echo(f"公安出入境管理部门记录导入 / police records imported：持证记录 {story.imported.get('police_holdings', 0)} 条，"
               f"出入境记录 {story.imported.get('police_crossings', 0)} 条")
    for path in story.files:
        typer.echo(f"  {path}")
    typer.echo(f"每日督办（最后 {story.swept} 天，与 lostcontact sweep 相同）/ the daily sweep over the last days："
               f"{_counts(ALERT_RULES, story.alerts)}")


def print_findings(db, last: date) -> None:
    """Every problem on file as of the last day, grouped by kind in the checks' order, then Q1–Q3."""
    from statemachines.travel.codes import MEASURES, PROBLEM_KINDS, PROBLEM_STATUSES, RECORDED_BY_HAND

    from ..demo.travel_cast import CADRE
    from ..queries.travel.problems import list_problems
    from ..services.travel.checks import CHECKS

    rows = list_problems(db, actor_login=CADRE, today=last, as_of=last)
    typer.echo(f"\n{last} 自动检查发现的问题（按类别）/ the checks' findings by kind:")
    order = list(CHECKS) + [k for k in PROBLEM_KINDS if k not in CHECKS]
    for kind in order:
        found = [r for r in rows if r["kind"] == kind]
        source = ("自动检查" if kind in CHECKS else "公安联络员录入" if kind in RECORDED_BY_HAND
                  else "自动检查尚未接入，演示数据已备 / not a check yet, its case is planted")
        typer.echo(f"  {kind} {PROBLEM_KINDS[kind]}（{source}）：{len(found)} 个")
        for r in found:
            measures = "、".join(MEASURES[m] for m in r["measures"])
            status = PROBLEM_STATUSES.get(r["status"], r["status"]) + (f"（{measures}）" if measures else "")
            typer.echo(f"    #{r['id']} {r['person_name']} {r['person_id_number_masked']} [{status}] {r['evidence']}")


def follow_ups(db_env: str, last: date, today_: date) -> list[str]:
    as_of = "" if last == today_ else f" --as-of {last}"
    return [f"{db_env} lostcontact {command}" for command in (
        f"problems{as_of}", f"checks run{as_of} --actor cadre_411001", f"trips --deviations{as_of}",
        f"custody-gaps --overdue{as_of}", f"self-reports --campaign 1{as_of}", f"self-report-status --campaign 1{as_of}",
        f"registry-changes --unreported{as_of}", f"travel-form management{as_of} -o 附件3.xlsx",
        f"discipline entries{as_of} --actor discipline_411001", f"discipline risks{as_of} --actor discipline_411001",
        f"discipline candidates{as_of} --actor discipline_411001",
        f"discipline form summary{as_of} --actor discipline_411001 -o 附件1-4.xlsx")]


def print_travel_users(db) -> None:
    from datetime import datetime, timezone

    from ..demo.travel_cast import TRAVEL_SHOWCASE
    from ..queries.users import every_user

    typer.echo("  证件管理演示用户 / the travel programme's demo users:")
    for user in every_user(db, None, now=datetime.now(timezone.utc)):
        if user.login in TRAVEL_SHOWCASE:
            grants = "，".join(f"{g.role_label} @ {g.org_name}" for g in user.grants)
            typer.echo(f"  用户 login {user.login}（{user.name}：{grants}）")
    typer.echo("  （登录密码同上 / the same demo password）")
