"""tally, render record|register."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from statemachines.tally import COLUMNS

from ..reports.kinds import REGISTERS, TALLY_FORMATS
from .cases import row_id
from .common import check_format, database, emit_json, handles_errors, parse_date, today

if TYPE_CHECKING:
    from ..queries.tally import TallyNode


TALLY_GROUPS = ("A", "BCDEFGHIJKLMN", "OPQRSTUVW", "X")  # the form's headings: A, 经查找取得联系 B–N, 仍未联系 O–W, X


def _letter_parts(tree: TallyNode, room: int) -> list[str]:
    """The letters of each table the tally is printed in: all 24 in one when they fit in `room`, else the
    form's groups packed into as few tables as fit (each group whole)."""
    from rich.cells import cell_len

    from ..reports.tally_sheet import INDENT
    from .tables import GAP, TEXT_MIN

    def needed(letters: str) -> int:
        numbers = sum(max(len(str(node.columns[c])) for _d, node in tree.walk()) for c in letters)
        return TEXT_MIN + 2 * cell_len(INDENT) + numbers + GAP * len(letters)

    parts = [""]
    for group in TALLY_GROUPS:
        if parts[-1] and needed(parts[-1] + group) > room:
            parts.append("")
        parts[-1] += group
    return parts


def _depths() -> dict[str, int]:
    """How deep each letter sits under A in the form's sums (B, O, X under A; C, G, M, N under B; …)."""
    from statemachines.tally import AT_LEAST, SUMS
    parent = {part: total for total, parts in SUMS + AT_LEAST for part in parts}
    depth = {}
    for letter in COLUMNS:
        depth[letter] = 0 if letter not in parent else depth[parent[letter]] + 1
    return depth


def tally_legend(counts: dict[str, int], title: str) -> None:
    """What each letter means, indented as the form groups them, with its sum and the count beside it."""
    from statemachines.tally import AT_LEAST, LABELS, SUMS

    from ..reports.tally_sheet import INDENT
    from .tables import Column, print_table
    sums = {total: f"（={'+'.join(parts)}）" for total, parts in SUMS}
    sums.update({total: f"（≥{'+'.join(parts)}）" for total, parts in AT_LEAST})
    depth = _depths()
    rows = [(letter, INDENT * depth[letter] + LABELS[letter] + sums.get(letter, ""), counts[letter])
            for letter in COLUMNS]
    print_table((Column("栏目", fixed=True), Column("含义", least=20), Column("人数", fixed=True, numeric=True)),
                rows, title=title)


def _print_table(tree: TallyNode, as_of) -> None:
    from ..reports.tally_sheet import INDENT
    from .tables import Column, console, print_table
    out = console()
    typer.echo(f"与党组织失去联系党员规范管理和组织处置有关情况统计表（截至 {as_of}）")
    for letters in _letter_parts(tree, out.width):
        columns = (Column("单位", least=12), *(Column(c, fixed=True, numeric=True) for c in letters))
        rows = [(INDENT * depth + f"{node.name}（{node.code}）", *(node.columns[c] for c in letters))
                for depth, node in tree.walk()]
        print_table(columns, rows, out=out)
    tally_legend(tree.columns, f"栏目说明（{tree.name}合计）")
    typer.echo("表内关系（含义栏括号内）均已校验 / every sum of the form checked")


def _print_snapshot(data: dict, fmt: str) -> None:
    from statemachines.tally import LABELS

    from .tables import Column, emit
    snap = data["snapshot"]
    columns = (Column("栏目"), Column(f"报送（截至 {snap['as_of']}）", fixed=True, numeric=True),
               Column(f"今日（{data['today']['as_of']}）", fixed=True, numeric=True),
               Column("变化", fixed=True, numeric=True))
    rows = [(f"{c} {LABELS[c]}", snap["tally"]["columns"][c], data["today"]["columns"][c],
             f"{data['change'][c]:+d}" if data["change"][c] else "") for c in COLUMNS]
    emit(fmt, columns, rows, title=f"统计快照 {snap['id']}：{snap['org_name']}（{snap['org']}）"
                                   f"（报送记录于 {snap['recorded_at']}）")


def _tally_format(fmt: str | None, output: Path | None) -> str:
    """--format, or without it the format the extension of -o names; when both are given they must agree."""
    from statemachines.errors import UsageError

    from ..reports.kinds import SUFFIXES
    named = SUFFIXES.get(output.suffix.lower()) if output is not None else None
    files = " ".join(f".{f}" for f in TALLY_FORMATS if f != "table")
    if fmt is None:
        if output is None:
            return "table"
        if named not in TALLY_FORMATS:
            raise UsageError(f"无法从文件名 {output.name} 判断输出格式（可用扩展名：{files}），未写入任何文件",
                             f"cannot tell the format from {output.name} (use {files}); nothing written")
        return named
    check_format(fmt, TALLY_FORMATS)
    if output is not None and (fmt == "table" or (named is not None and named != fmt)):
        raise UsageError(f"--format {fmt} 与输出文件 {output.name} 不符，未写入任何文件",
                         f"--format {fmt} contradicts the output file {output.name}; nothing written")
    return fmt


def register(app: typer.Typer) -> None:
    @app.command("tally")
    @handles_errors
    def tally(org: Optional[str] = typer.Option(None, "--org", help="组织代码 / org code (default: the whole tree in view)"),
              as_of: Optional[str] = typer.Option(None, "--as-of"),
              fmt: Optional[str] = typer.Option(None, "--format", help="|".join(TALLY_FORMATS) + "；省略时按 -o 的扩展名"
                                                "，否则为 table / default: the extension of -o, else table"),
              output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入文件 / write to FILE"),
              actor: Optional[str] = typer.Option(None, "--actor"),
              snapshot: Optional[int] = typer.Option(None, "--snapshot",
                                                     help="显示报送快照与今日数据对比 / a frozen tally beside today's")
              ) -> None:
        """A–X 处置情况统计表（逐级汇总）/ the disposition tally, rolled up the org tree."""
        from ..queries.tally import tally as tally_query
        from ..queries.tally.snapshots import snapshot_beside_today
        fmt = _tally_format(fmt, output)
        if snapshot is not None:
            check_format(fmt, ("table", "csv", "json"))
            data = snapshot_beside_today(database(), snapshot, today=today(), actor_login=actor)
            emit_json(data) if fmt == "json" else _print_snapshot(data, fmt)
            return
        tree, day = tally_query(database(), today=today(), org_code=org, as_of=parse_date(as_of, "--as-of"),
                                actor_login=actor)
        if fmt == "table":
            _print_table(tree, day)
            return
        from ..reports.render import write_tally  # the file writers (Jinja2, openpyxl) only for a file format
        write_tally(tree, day, fmt, output, filled_on=today())
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)

    render_app = typer.Typer(help="生成表格 / render the official forms", no_args_is_help=True)
    app.add_typer(render_app, name="render")

    @render_app.command("record")
    @handles_errors
    def record(case_id: int, output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                                   help=".html 或 .pdf；省略则 HTML 输出到标准输出 / "
                                                                        ".html or .pdf; without it, HTML on stdout"),
               as_of: Optional[str] = typer.Option(None, "--as-of",
                                                   help="截至该日的纪实（失去联系时间算到查找结束或该日），默认今天 / the "
                                                        "record as of DATE (lost time up to the search's end or DATE)"),
               actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """失联党员查找处置全程纪实表 / the full-process record of one case."""
        from ..reports.render import render_record
        render_record(database(), row_id(case_id, "案件编号", "the case number"), today=today(),
                      as_of=parse_date(as_of, "--as-of"), actor_login=actor, path=output)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)

    kinds = "；".join(f"{k} = {v.title}" for k, v in REGISTERS.items())

    @render_app.command("register", help=f"登记表与汇总表 / the registers: {kinds}")
    @handles_errors
    def register_(kind: str = typer.Argument(..., help="登记表 / register: " + "|".join(REGISTERS)),
                  org: Optional[str] = typer.Option(None, "--org"),
                  as_of: Optional[str] = typer.Option(None, "--as-of"),
                  output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                        help=".html / .xlsx / .pdf；省略则 HTML 输出到标准输出 / "
                                                             "without it, HTML on stdout"),
                  actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        from ..reports.render import render_register
        render_register(database(), kind, today=today(), org_code=org, as_of=parse_date(as_of, "--as-of"),
                        actor_login=actor, path=output)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)
