"""calendar load|show: the operator's holiday calendar (docs/holiday-calendar.md)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import typer

from .common import check_format, database, emit_json, handles_errors, settings, today

WEEKDAYS = "一二三四五六日"


def date_runs(days: list[str]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs: a holiday week reads as one line."""
    runs: list[tuple[date, date]] = []
    for day in sorted(date.fromisoformat(d) for d in days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _run_line(first: date, last: date) -> str:
    if first == last:
        return f"  {first}（星期{WEEKDAYS[first.weekday()]}）"
    count = (last - first).days + 1
    return f"  {first} 至 {last}（星期{WEEKDAYS[first.weekday()]}至星期{WEEKDAYS[last.weekday()]}，共 {count} 天）"


def local_time(iso: str) -> str:
    """A stored UTC moment as the operator's wall clock (LOSTCONTACT_TZ)."""
    from zoneinfo import ZoneInfo
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(settings().tz)).strftime("%Y-%m-%d %H:%M")


def _source_lines(shown: dict) -> list[str]:
    source = shown["source"]
    if source["kind"] == "stored":
        at = local_time(source["loaded_at"])
        lines = [f"来源：数据库中载入的第 {source['version']} 版（{at} 由 {source['loaded_by']} 从 {source['file']} 载入）",
                 f"source: stored version {source['version']}, loaded {at} by {source['loaded_by']} "
                 f"from {source['file']}"]
        if source.get("notice"):
            lines.append(f"依据 / notice: {source['notice']}")
        return lines
    if source["kind"] == "package":
        version = source.get("package_version") or "?"
        return [f"来源：已安装的 chinesecalendar 程序包（{version}）",
                f"source: the installed chinesecalendar package ({version})"]
    return [f"来源：无——{shown['year']} 年的节假日数据尚未载入，工作日按周一至周五计算，相关期限为暂定",
            f"source: unknown - no holiday data for {shown['year']}: Monday-Friday are counted and due dates are "
            "provisional (load it with `lostcontact calendar load FILE`)"]


def print_calendar(shown: dict) -> None:
    typer.echo(f"{shown['year']} 年法定节假日与调休上班日 / statutory holidays and make-up working days of {shown['year']}")
    for line in _source_lines(shown):
        typer.echo(line)
    if shown["source"]["kind"] == "unknown":
        return
    typer.echo(f"节假日 / holidays：{len(shown['holidays'])} 天 days")
    for first, last in date_runs(shown["holidays"]):
        typer.echo(_run_line(first, last))
    typer.echo(f"调休上班日 / make-up working days：{len(shown['workdays'])} 天 days")
    for first, last in date_runs(shown["workdays"]):
        typer.echo(_run_line(first, last))
    if len(shown["history"]) > 1:
        typer.echo("历史版本 / history:")
        for old in shown["history"]:
            typer.echo(f"  第 {old['version']} 版 version {old['version']}：{local_time(old['loaded_at'])} "
                       f"{old['loaded_by']} {old['file']}")


def register(app: typer.Typer) -> None:
    calendar_app = typer.Typer(help="法定节假日与调休 / the statutory holiday calendar", no_args_is_help=True)
    app.add_typer(calendar_app, name="calendar")

    @calendar_app.command("load")
    @handles_errors
    def load(file: str = typer.Argument(..., help="节假日文件（TOML）/ holiday file (TOML)")) -> None:
        """载入一年的法定节假日与调休上班日 / load a year's statutory holidays and make-up working days.

        每次载入为该年的新版本，最新版本优先于程序包 / each load is a new version of its year; the newest wins
        over the chinesecalendar package. 文件格式见 / file format: docs/holiday-calendar.md"""
        from ..services.holiday_calendar import load_calendar

        loaded = load_calendar(database(), file, today=today())
        typer.echo(f"已载入 {loaded.year} 年节假日数据第 {loaded.version} 版：节假日 {loaded.holidays} 天，"
                   f"调休上班日 {loaded.workdays} 天；关闭日历提醒 {loaded.alerts_closed} 条。"
                   f"下次督办时重算相关期限")
        typer.echo(f"loaded {loaded.year} holiday data, version {loaded.version}: {loaded.holidays} holiday(s), "
                   f"{loaded.workdays} make-up working day(s); {loaded.alerts_closed} calendar alert(s) closed. "
                   "The next sweep recounts the due dates concerned")

    @calendar_app.command("show")
    @handles_errors
    def show(year: int = typer.Argument(..., help="年份 / year, e.g. 2027"),
             format: str = typer.Option("table", "--format", help="输出格式 / output format: table|json")) -> None:
        """显示一年的节假日与调休上班日及其来源 / show a year's holidays and make-up days and their source."""
        from statemachines.errors import UsageError

        from ..services.holiday_calendar import show_calendar

        check_format(format, ("table", "json"))
        if not 1900 <= year <= 2200:
            raise UsageError(f"年份应为四位数：{year}", f"YEAR must be a four-digit year: {year}")
        shown = show_calendar(database(), year)
        if format == "json":
            emit_json(shown)
        else:
            print_calendar(shown)
