"""How the command line answers a wrong command line, and how its help reads.

A usage error (unknown command or option, missing argument, bad value) is reported like every other
error: one line in Chinese, one in English, exit 2 — not click's boxed English panel. The root group's
`main` catches click's usage errors once, for every command. `speak_both_languages(app)` gives every
command and group the bilingual help (headings, `--help`, shared option wording).

Light on purpose (typer only): it runs for every command, `--help` included.
"""
from __future__ import annotations

import copy
import re
import sys
from typing import Any

import typer
import typer.main
from typer._click import exceptions as click_errors  # typer vendors its own click
from typer._click.core import Context
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

from statemachines.errors import UsageError

from .plain_values import plain_converter

# The wording of options that mean the same in every command, for those that do not say it themselves.
SHARED_HELP = {
    "--as-of": "截至日期 YYYY-MM-DD，默认今天 / as of this date, default today",
    "--at": "发生日期 YYYY-MM-DD，默认今天 / the day it happened, default today",
    "--actor": "操作人的登录名：按其授权办理，仅限其管理范围 / the acting user's login: checked against their "
               "grants, within their subtrees",
    "--org": "组织代码：该组织及其下级 / org code: this org and those below it",
    "--format": "输出格式 / output format",
    "login": "登录名 / login name",
    "case_id": "案件编号 / case number",
    "id_number": "身份证号 / ID number",
}
HELP_OPTION = "显示本帮助并退出 / show this help and exit"
HEADINGS = {"Options": "选项 Options", "Arguments": "参数 Arguments", "Commands": "命令 Commands"}


class BilingualHelpFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法 Usage: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows, *args: Any, **kwargs: Any) -> None:
        super().write_dl([(term, _bilingual_notes(text)) for term, text in rows], *args, **kwargs)


def _bilingual_notes(text: str) -> str:
    """typer's trailing `[default: x; required]` in both languages."""
    def both(match: re.Match) -> str:
        notes = match.group(1).replace("default: ", "默认 default: ").replace("required", "必填 required")
        return f"[{notes}]"
    return re.sub(r"\[([^\[\]]*)\]$", both, text)


class BilingualContext(Context):
    formatter_class = BilingualHelpFormatter


def _speak_both(command: Any) -> None:
    command.context_class = BilingualContext
    for param in command.params:
        plain_converter(param)
        if not getattr(param, "help", None):
            key = param.opts[0] if param.param_type_name == "option" else param.name
            param.help = SHARED_HELP.get(key)


class _Bilingual:
    """Mixed into typer's command and group classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _speak_both(self)

    def get_help_option(self, ctx: Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION
            plain_converter(option)
        return option


class BilingualCommand(_Bilingual, TyperCommand):
    pass


class BilingualGroup(_Bilingual, TyperGroup):
    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Each command's whole first line, wrapped: click would cut it to the width, English half first."""
        rows = [(name, command.get_short_help_str(limit=1000)) for name, command in self.commands.items()
                if not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class LostContactGroup(BilingualGroup):
    """The root: click's usage errors become our two-line error, exit 2, for every command below it."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra: Any):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            returned = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as help_wanted:  # `lostcontact case`: its help, as before
            typer.echo(help_wanted.format_message())
            sys.exit(help_wanted.exit_code)
        except click_errors.UsageError as error:
            _say(usage_error(error))
            sys.exit(UsageError.exit_code)
        except click_errors.ClickException as error:
            typer.echo(f"错误：{error.format_message()}", err=True)
            typer.echo(f"error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("已中止 / aborted", err=True)
            sys.exit(1)
        # Without standalone mode typer hands back typer.Exit's code instead of exiting (commands return None).
        sys.exit(returned if isinstance(returned, int) else 0)


def _say(error: UsageError) -> None:
    for line in error.lines():
        typer.echo(line, err=True)


def speak_both_languages(app: typer.Typer) -> None:
    """Every command and group registered so far gets the bilingual help; call once all are registered."""
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):  # not a class of the command's own
            command.cls = BilingualCommand
    for group in app.registered_groups:
        sub = group.typer_instance
        if all(cls in (None, TyperGroup) or not isinstance(cls, type) for cls in (group.cls, sub.info.cls)):
            group.cls = BilingualGroup
        speak_both_languages(sub)


# ---- click's usage errors in both languages ---------------------------------------------------------------

def usage_error(error: click_errors.UsageError) -> UsageError:
    zh, en = _translated(error)
    if error.ctx is not None:
        path = error.ctx.command_path
        zh, en = f"{zh}（用法见 {path} --help）", f"{en} (see {path} --help)"
    return UsageError(zh, en)


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    if param.param_type_name == "option":
        return param.opts[0]
    return (param.metavar or param.name or "").upper()


def _translated(error: click_errors.UsageError) -> tuple[str, str]:
    if isinstance(error, click_errors.MissingParameter):
        name = _param_name(error.param)
        if error.param is not None and error.param.param_type_name == "option":
            return f"缺少选项 {name}", f"missing option {name}"
        return f"缺少参数 {name}", f"missing argument {name}"
    if isinstance(error, click_errors.BadParameter):
        name = _param_name(error.param) or str(error.param_hint or "")
        return f"{name} 的值无效：{_expected(error.param)}", f"invalid value for {name}: {error.message}"
    if isinstance(error, click_errors.NoSuchOption):
        zh, en = f"没有选项 {error.option_name}", f"no such option: {error.option_name}"
        if error.possibilities:
            maybe = ", ".join(sorted(error.possibilities))
            zh, en = f"{zh}（是否想输入 {maybe}？）", f"{en} (did you mean {maybe}?)"
        return zh, en
    if isinstance(error, click_errors.BadOptionUsage):
        name = error.option_name
        if "requires" in error.message:
            return f"选项 {name} 后面需要一个值", f"option {name} needs a value"
        if "does not take a value" in error.message:
            return f"选项 {name} 不带值", f"option {name} takes no value"
        return f"选项 {name} 用法有误", error.message
    message = error.message
    unknown = re.match(r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?", message)
    if unknown:
        zh, en = f"没有命令 {unknown.group(1)}", f"no such command: {unknown.group(1)}"
        if unknown.group(2):
            maybe = unknown.group(2).replace("'", "")
            zh, en = f"{zh}（是否想输入 {maybe}？）", f"{en} (did you mean {maybe}?)"
        return zh, en
    if message.startswith("Missing command"):
        return "缺少子命令", "missing command"
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra.group(1)}", f"unexpected extra argument(s): {extra.group(1)}"
    return "命令行用法有误", message


def _expected(param: Any) -> str:
    """What the value should have been, in Chinese (click's own reason follows in English)."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if low is not None and high is not None:
        return f"应在 {low} 到 {high} 之间"
    if low is not None:
        return f"应不小于 {low}"
    if high is not None:
        return f"应不大于 {high}"
    if annotation is int:
        return "应为整数"
    if annotation is float:
        return "应为数字"
    return "格式不对"


def _name_of(command: Any) -> str:
    return command.name or typer.main.get_command_name(command.callback.__name__)


def for_the_command_called(app: typer.Typer, args: list[str]) -> typer.Typer:
    """`app` with only the command or group that `args` name first: click builds every command's options
    before it runs one (≈ 30 ms of each start, for some eighty commands). No command, an option first or an
    unknown name: the whole app, so that its help and its errors are the whole app's."""
    if not args or args[0].startswith("-"):
        return app
    commands = [c for c in app.registered_commands if _name_of(c) == args[0]]
    groups = [g for g in app.registered_groups if g.name == args[0]]
    if not commands and not groups:
        return app
    called = copy.copy(app)
    called.registered_commands, called.registered_groups = commands, groups
    return called


def run(app: typer.Typer, args: list[str]) -> None:
    """Runs the command line `args` as `app` would, building only the command called (see above)."""
    typer.main.get_group(for_the_command_called(app, args))(args)
