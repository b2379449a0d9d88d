"""Geometry of the small inline SVG charts (no chart library, nothing fetched): horizontal bars, one row
per org, so long Chinese names fit on the left. Templates draw the rectangles; colours come from CSS
classes (app.css), so the Content-Security-Policy needs no inline styles."""
from __future__ import annotations

from dataclasses import dataclass, field

LABEL_WIDTH = 190
ROW_HEIGHT = 26
BAR_HEIGHT = 18
VALUE_GAP = 44


@dataclass(frozen=True)
class Segment:
    key: str
    value: int
    x: float
    width: float


@dataclass
class Row:
    label: str
    total: int
    y: float
    href: str | None = None
    segments: list[Segment] = field(default_factory=list)

    @property
    def end(self) -> float:
        return LABEL_WIDTH + sum(s.width for s in self.segments)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: tuple[Row, ...]
    keys: tuple[str, ...]


def stacked_bars(rows: list[tuple[str, dict[str, int], str | None]], keys: tuple[str, ...], *,
                 width: int = 720) -> Chart:
    """One bar per (label, {key: value}, link) row, its parts in `keys` order, scaled to the largest total."""
    usable = width - LABEL_WIDTH - VALUE_GAP
    largest = max((sum(values.get(k, 0) for k in keys) for _l, values, _h in rows), default=0) or 1
    out = []
    for index, (label, values, href) in enumerate(rows):
        row = Row(label, sum(values.get(k, 0) for k in keys), index * ROW_HEIGHT, href)
        x = float(LABEL_WIDTH)
        for key in keys:
            value = values.get(key, 0)
            if value:
                w = usable * value / largest
                row.segments.append(Segment(key, value, round(x, 2), round(w, 2)))
                x += w
        out.append(row)
    return Chart(width, max(len(out), 1) * ROW_HEIGHT + 4, LABEL_WIDTH, BAR_HEIGHT, tuple(out), keys)


def bars(rows: list[tuple[str, int, str | None]], *, key: str = "value", width: int = 720) -> Chart:
    return stacked_bars([(label, {key: value}, href) for label, value, href in rows], (key,), width=width)
