"""demo: the main job on the embedded default (INTERFACE.md)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from statemachines.errors import UsageError

from .common import handles_errors, parse_date
from .flows import RULE_LABELS, print_alerts


def _print_tally(db, day) -> None:
    try:
        from ..queries.tally import tally
    except ImportError:
        return
    node, _as_of = tally(db, today=day, as_of=day)
    cols = node.columns
    typer.echo(f"\n统计表（附件5）{node.name} 截至 {day} / the A–X tally:")
    typer.echo("  " + "  ".join(f"{k}={cols[k]}" for k in cols))


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @handles_errors
    def demo(members: int = typer.Option(300, "--members", help="党员人数 / roster size"),
             seed: int = typer.Option(1, "--seed", help="随机种子：同一种子得到同一批数据 / random seed: same seed, same data"),
             days: int = typer.Option(30, "--days", help="模拟天数 / days to simulate"),
             start: Optional[str] = typer.Option(None, "--start", help="第一天 YYYY-MM-DD（固定日期，输出可重现）/ "
                                                                       "the first day (fixed dates, reproducible output)")) -> None:
        """演示：新建演示数据库，按日运行督办并模拟支部工作 / the main job, in its own fresh database."""
        from models.db import open_database

        from ..demo import DEFAULT_START, run_demo
        from ..demo.runner import DEMO_FILE
        from ..queries.alerts import open_alerts
        if members < 1 or days < 1:
            raise UsageError("--members 与 --days 须为正整数", "--members and --days must be positive")
        first = parse_date(start, "--start") or DEFAULT_START
        path = Path.cwd() / DEMO_FILE
        typer.echo(f"演示数据库 / demo database: {path}（每次运行重建 / replaced each run）")
        typer.echo(f"{members} 名党员，种子 {seed}，自 {first} 起 {days} 天，进程内运行每日督办 / "
                   f"{members} members, seed {seed}, {days} days from {first}, daily flows in-process")
        result = run_demo(members=members, seed=seed, days=days, start=first, path=path)
        typer.echo(f"用时 {result.seconds:.1f} s；模拟办理 {result.actions} 步 / simulated officer steps")
        typer.echo("督办合计 / sweep totals: " + "，".join(
            f"{RULE_LABELS.get(k, k)} {k}={v}" for k, v in sorted(result.totals.items()) if v))
        db = open_database(result.db_url)
        try:
            typer.echo(f"\n{result.last_day} 未关闭的提醒（按红绿灯）/ open alerts by traffic light:")
            print_alerts(open_alerts(db, today=result.last_day, as_of=result.last_day))
            _print_tally(db, result.last_day)
        finally:
            db.dispose()
        env = f"LOSTCONTACT_DB=sqlite:///{DEMO_FILE}"
        typer.echo("\n进一步查看 / explore further:")
        for command in ("lostcontact cases", "lostcontact cases --overdue --as-of " + str(result.last_day),
                        "lostcontact alerts --format json --as-of " + str(result.last_day),
                        "lostcontact case show 1", "lostcontact tally --as-of " + str(result.last_day),
                        "lostcontact alerts --actor officer_411001010101 --as-of " + str(result.last_day)):
            typer.echo(f"  {env} {command}")
