"""Rendering notices from a templates/notices/ .txt/.html pair with the project's one Jinja2 environment
(autoescaping by extension: the HTML is escaped, the text is not).

Each file of the pair defines a macro `notice(org, as_of, alerts, subject)`; `alerts` is a sequence of
(level label, rule, message, due date) tuples. A day's sweep writes a notice to each of up to thousands
of orgs: calling the macros of templates loaded once costs a third of a full `Template.render` per notice
(no template lookup, no new context, no attribute lookups per alert line)."""
from __future__ import annotations

from typing import Callable

from ..templating import environment


class NoticeRenderer:
    def __init__(self, name: str = "alerts"):
        env = environment()
        self._text: Callable = env.get_template(f"notices/{name}.txt").module.notice
        self._html: Callable = env.get_template(f"notices/{name}.html").module.notice

    def __call__(self, *, org: dict, as_of, alerts, subject: str) -> tuple[str, str]:
        return str(self._text(org, as_of, alerts, subject)), str(self._html(org, as_of, alerts, subject))


def render_pair(name: str, **context) -> tuple[str, str]:
    return NoticeRenderer(name)(**context)
