"""Draw a reply's chart as a PNG a phone shows well (matplotlib, Agg backend, no display)."""

from __future__ import annotations

import io
import textwrap

from handlers.engine.events import Chart

WIDTH, HEIGHT, DPI = 1080, 1350, 150  # pixels: a phone's portrait screen, 4:5
FONT = "DejaVu Sans"  # shipped with matplotlib; has every Vietnamese letter and ★
COLOURS = ("#f2b134", "#e07b24", "#b5361e")  # 3★, 4★, 5★
TARGET_COLOUR = "#1f5fa8"
BAR_COLOUR = "#3c8d5a"


def render_png(chart: Chart) -> bytes:
    """The chart as PNG bytes of WIDTH × HEIGHT pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # slow import, only when drawn
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle(chart.title, fontsize=15, fontweight="bold", family=FONT)
    # The years fill the top (the whole page without bars); the bars' long group names
    # get a wide left margin of their own.
    top = figure.add_gridspec(1, 1, left=0.1, right=0.95, top=0.9,
                              bottom=0.5 if chart.bars else 0.06)
    years = figure.add_subplot(top[0])
    positions = list(range(len(chart.years)))
    bottom = [0.0] * len(positions)
    for colour, series in zip(COLOURS, chart.stacks, strict=False):
        values = [v or 0.0 for v in series.values]
        years.bar(positions, values, bottom=bottom, color=colour, label=series.label, width=0.6)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, total in zip(positions, bottom, strict=True):
        years.annotate(f"{total:.0f}", (x, total), ha="center", va="bottom", fontsize=12,
                       family=FONT, xytext=(0, 2), textcoords="offset points")
    if chart.target is not None:
        points = [(x, v) for x, v in zip(positions, chart.target.values, strict=True)
                  if v is not None]
        if points:
            years.plot([x for x, _ in points], [v for _, v in points], color=TARGET_COLOUR,
                       marker="D", linestyle="--", linewidth=2, label=chart.target.label)
    years.set_xticks(positions, chart.years, fontsize=12, family=FONT)
    years.set_title(chart.years_title, fontsize=12, family=FONT)
    years.legend(prop={"family": FONT, "size": 11}, loc="upper left", frameon=False,
                 ncols=4)
    years.spines[["top", "right"]].set_visible(False)
    years.margins(y=0.25)

    if chart.bars:
        bottom_grid = figure.add_gridspec(1, 1, left=0.34, right=0.93, top=0.4, bottom=0.05)
        groups = figure.add_subplot(bottom_grid[0])
        labels = [textwrap.fill(label, 22) for label, _ in chart.bars][::-1]
        counts = [count for _, count in chart.bars][::-1]
        groups.barh(labels, counts, color=BAR_COLOUR)
        for y, count in enumerate(counts):
            groups.annotate(str(count), (count, y), va="center", fontsize=12, family=FONT,
                            xytext=(3, 0), textcoords="offset points")
        groups.set_title(chart.bars_title, fontsize=12, family=FONT)
        groups.tick_params(axis="y", labelsize=11)
        for tick in groups.get_yticklabels():
            tick.set_fontfamily(FONT)
        groups.spines[["top", "right"]].set_visible(False)
        groups.margins(x=0.15)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
