"""Reading the plain option values of the command line (text, whole numbers, flags, file paths) without pydantic.

typer ≥ 0.2x converts every option, even an absent one, through a pydantic TypeAdapter built on first use:
importing pydantic and building the adapters costs about 0.2 s of every command, more than the command's own
work on a small database. The options of lostcontact are plain, so `plain_converter` gives each such
parameter a converter doing what the adapter would do (the same errors, click's BadParameter), and leaves
anything else (choices, dates, constrained paths, custom parsers) to typer. With a typer that has no
runtime converters (older releases) this does nothing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

try:  # typer's private coercion layer: present in the releases that build pydantic adapters
    from typer._click.exceptions import BadParameter
    from typer._coercion import RuntimeParam
except ImportError:  # pragma: no cover - an older typer converts through click's own types
    RuntimeParam = None


def _is_plain_path(info: Any) -> bool:
    return not (info.exists or info.resolve_path or info.allow_dash or info.writable or info.path_type is not None)


def _convert(annotation: type, info: Any, value: Any) -> Any:
    if annotation is str:
        return value.decode() if isinstance(value, bytes) else str(value)
    if annotation is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "t", "yes", "y", "on"):
            return True
        if text in ("", "0", "false", "f", "no", "n", "off"):
            return False
        raise ValueError(f"{value!r} is not a valid boolean")
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"{value!r} is not a valid integer")
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid integer") from None
        if info.min is not None and number < info.min:
            raise ValueError(f"{number} is smaller than the minimum {info.min}")
        if info.max is not None and number > info.max:
            raise ValueError(f"{number} is larger than the maximum {info.max}")
        return number
    return Path(value)  # a plain path (see plain_converter)


if RuntimeParam is not None:
    class PlainRuntimeParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return _convert(self.annotation, self.parameter_info, value)
            except ValueError as reason:
                raise BadParameter(str(reason), ctx=ctx, param=param) from None


def plain_converter(param: Any) -> None:
    """Give `param` the pydantic-free converter when its type is plain; otherwise leave it to typer."""
    if RuntimeParam is None or getattr(param, "_runtime_param", "absent") is not None:
        return
    descriptor = param.type_descriptor
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if info.parser is not None or info.clamp or descriptor.file_annotation is not None:
        return
    plain = annotation in (str, bool, int) or (annotation is Path and _is_plain_path(info))
    if plain and not param.multiple and param.nargs == 1:
        param._runtime_param = PlainRuntimeParam(parameter_info=info, annotation=annotation)
