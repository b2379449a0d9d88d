"""Rendering a notice from its templates/notices/ .txt/.html pair with the project's one Jinja2
environment (autoescaping by extension: the HTML is escaped, the text is not)."""
from __future__ import annotations

from ..templating import environment


def render_pair(name: str, **context) -> tuple[str, str]:
    env = environment()
    return (env.get_template(f"notices/{name}.txt").render(**context),
            env.get_template(f"notices/{name}.html").render(**context))
