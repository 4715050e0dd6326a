"""Charts drawn on the server as inline SVG: horizontal bars and a line over time.

No JavaScript: the page shows (and prints) the chart as it is sent. Each SVG is an image with
a <title> and a <desc> that names its numbers, and writes each value beside its bar or point,
so a screen reader and a printed page both get the figures; the page also shows them as a
table and offers them as CSV.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_HEIGHT = 22  # px per bar, gap included
LABEL_WIDTH = 250  # px reserved for the category labels
PLOT_WIDTH = 300  # px of the longest bar
VALUE_WIDTH = 60  # px for the number after a bar
MAX_LABEL = 38  # characters of a label drawn in the chart (the table has the full one)
COLOR = "#1f5fa8"


@dataclass(frozen=True)
class Chart:
    """One chart: its key (URL of its CSV), title, rows (code, label, value), how to draw it
    ("bar" or "line") and the name of the value column."""

    key: str
    title: str
    rows: list[tuple[str, str, int]]
    kind: str = "bar"
    value_name: str = ""

    @property
    def total(self) -> int:
        """The sum of the values."""
        return sum(v for _, _, v in self.rows)


def render(chart: Chart, description: str) -> Markup:
    """Return the chart as an inline <svg> (empty Markup when it has no rows)."""
    if not chart.rows:
        return Markup("")
    if chart.kind == "line":
        return _line(chart, description)
    return _bars(chart, description)


def _open(chart: Chart, description: str, width: int, height: int) -> str:
    ident = f"chart-{escape(chart.key)}"
    return (f'<svg class="chart" role="img" aria-labelledby="{ident}-t {ident}-d" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
            f'<title id="{ident}-t">{escape(chart.title)}</title>'
            f'<desc id="{ident}-d">{escape(description)}</desc>')


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _bars(chart: Chart, description: str) -> Markup:
    top = max(v for _, _, v in chart.rows) or 1
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [_open(chart, description, width, BAR_HEIGHT * len(chart.rows) + 4)]
    for i, (_, label, value) in enumerate(chart.rows):
        y = i * BAR_HEIGHT + 2
        length = round(PLOT_WIDTH * value / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{BAR_HEIGHT - 6}" '
            f'fill="{COLOR}"></rect>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 15}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _line(chart: Chart, description: str) -> Markup:
    width, height, left, bottom, top_pad = 640, 220, 40, 40, 20
    values = [v for _, _, v in chart.rows]
    top = max(values) or 1
    step = (width - left - 20) / max(len(values) - 1, 1)
    plot = height - bottom - top_pad

    def point(i: int, v: int) -> tuple[float, float]:
        return round(left + i * step, 1), round(top_pad + plot * (1 - v / top), 1)

    points = [point(i, v) for i, v in enumerate(values)]
    every = max(1, len(values) // 8)  # at most about 8 labels on the time axis
    parts = [_open(chart, description, width, height),
             f'<line x1="{left}" y1="{top_pad + plot}" x2="{width - 10}" y2="{top_pad + plot}" '
             f'stroke="#555"></line>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top}</text>',
             f'<text x="{left - 6}" y="{top_pad + plot + 4}" text-anchor="end">0</text>',
             '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"></polyline>'.format(
                 COLOR, " ".join(f"{x},{y}" for x, y in points))]
    for i, ((x, y), (_, label, value)) in enumerate(zip(points, chart.rows, strict=True)):
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{COLOR}">'
                     f"<title>{escape(label)}: {value}</title></circle>")
        if i % every == 0 or i == len(values) - 1:
            parts.append(f'<text x="{x}" y="{height - bottom + 16}" text-anchor="middle">'
                         f"{escape(label)}</text>"
                         f'<text x="{x}" y="{y - 6}" text-anchor="middle">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
