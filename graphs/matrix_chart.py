"""An hour-of-day x day-of-week matrix, shaded by count, with rostered duty drawn over it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

DUTY_COLOUR = "#D55E00"
THEMES = {"light": {"face": "#FFFFFF", "ink": "#222222", "empty": "#F4F4F4", "cmap": "Blues"},
          "dark": {"face": "#1E1F22", "ink": "#E8E8E8", "empty": "#2A2C30", "cmap": "viridis"}}


def render_matrix(counts: np.ndarray, on_duty: np.ndarray, *, rows: Sequence[str],
                  title: str = "", marking: str = "", theme: str = "light",
                  duty_threshold: float = 0.5, size: tuple[float, float] = (10, 4.2)) -> Figure:
    """``counts`` (rows x 24) shaded, each count written in its cell; cells rostered on duty
    in at least ``duty_threshold`` of the weeks outlined."""
    colours = THEMES[theme]
    fig = Figure(figsize=size, facecolor=colours["face"])
    ax = fig.add_axes((0.07, 0.2, 0.9, 0.62))
    ax.set_facecolor(colours["empty"])
    shown = np.ma.masked_equal(counts, 0)
    top = max(int(counts.max()), 1)
    ax.imshow(shown, cmap=colours["cmap"], vmin=0, vmax=top, aspect="auto",
              interpolation="nearest")
    for (row, hour), value in np.ndenumerate(counts):
        if value:
            dark_cell = value > top * 0.55
            ax.text(hour, row, str(value), ha="center", va="center", fontsize=7,
                    color="white" if dark_cell and theme == "light" else colours["ink"]
                    if theme == "light" else "black" if dark_cell else "white")
        share = float(on_duty[row, hour])
        if share > 0:  # a bar along the cell's foot: how often rostered on then
            ax.add_patch(Rectangle((hour - 0.5, row + 0.3), share, 0.2, color=DUTY_COLOUR,
                                   alpha=0.75, linewidth=0))
        if share >= duty_threshold:
            ax.add_patch(Rectangle((hour - 0.5, row - 0.5), 1, 1, fill=False,
                                   edgecolor=DUTY_COLOUR, linewidth=1.4))
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=7, color=colours["ink"])
    ax.set_yticks(range(len(rows)), list(rows), fontsize=8, color=colours["ink"])
    ax.tick_params(colors=colours["ink"], length=0)
    ax.set_xlabel("Hour of day (local time)", fontsize=8, color=colours["ink"])
    for spine in ax.spines.values():
        spine.set_visible(False)
    # The legend names what is drawn, and only that.
    handles: list[Artist] = [Patch(facecolor="#6BAED6" if theme == "light" else "#21918C",
                     label=f"Contact (darker: more; most in one hour: {int(counts.max())})")]
    if on_duty.max() > 0:
        handles.append(Patch(facecolor=DUTY_COLOUR, alpha=0.75,
                             label="Bar: share of the weeks rostered on duty at that hour"))
    if on_duty.max() >= duty_threshold:
        handles.append(Line2D([], [], color=DUTY_COLOUR, linewidth=1.6,
                              label=f"Rostered on duty (at least {duty_threshold:.0%} of the weeks)"))
    legend = fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=8,
                        bbox_to_anchor=(0.5, 0.0))
    for text in legend.get_texts():
        text.set_color(colours["ink"])
    if title:
        fig.text(0.07, 0.86, title, fontsize=11, weight="bold", color=colours["ink"])
    if marking:
        fig.text(0.5, 0.95, marking, ha="center", fontsize=9, weight="bold", color=colours["ink"])
    return fig


def matrix_drawing(counts: np.ndarray, on_duty: np.ndarray, *, rows: Sequence[str], width: float,
                   height: float, title: str = "", font_name: str = "Helvetica",
                   duty_threshold: float = 0.5) -> Drawing:
    """The same matrix as a reportlab Drawing (vector, real text) for a PDF."""
    drawing = Drawing(width, height)
    label_width, header, key_height = 28.0, 10.0, 12.0
    top = height - (14.0 if title else 2.0)
    cell_w = (width - label_width) / 24
    cell_h = (top - header - key_height) / len(rows)
    if title:
        drawing.add(String(0, height - 10, title, fontName=font_name, fontSize=8.5))
    most = max(int(counts.max()), 1)
    low, high = colors.HexColor("#EFF3FF"), colors.HexColor("#08519C")
    duty = colors.HexColor(DUTY_COLOUR)
    for hour in range(24):
        drawing.add(String(label_width + (hour + 0.5) * cell_w, top - header + 2, f"{hour:02d}",
                           fontName=font_name, fontSize=5.5, textAnchor="middle"))
    for row, name in enumerate(rows):
        y = top - header - (row + 1) * cell_h
        drawing.add(String(label_width - 3, y + cell_h / 2 - 2, name, fontName=font_name,
                           fontSize=6.5, textAnchor="end"))
        for hour in range(24):
            x = label_width + hour * cell_w
            value, share = int(counts[row, hour]), float(on_duty[row, hour])
            fill = colors.linearlyInterpolatedColor(low, high, 0, 1, value / most) if value else \
                colors.HexColor("#F4F4F4")
            drawing.add(Rect(x, y, cell_w, cell_h, fillColor=fill, strokeColor=colors.white,
                             strokeWidth=0.5))
            if share > 0:
                drawing.add(Rect(x, y, cell_w * share, cell_h * 0.18, fillColor=duty,
                                 strokeColor=None))
            if share >= duty_threshold:
                drawing.add(Rect(x + 0.4, y + 0.4, cell_w - 0.8, cell_h - 0.8, fillColor=None,
                                 strokeColor=duty, strokeWidth=0.9))
            if value:
                drawing.add(String(x + cell_w / 2, y + cell_h / 2 - 2, str(value), fontName=font_name,
                                   fontSize=5.5, textAnchor="middle",
                                   fillColor=colors.white if value > most * 0.55 else colors.black))
    drawing.add(String(label_width, 1, "Darker: more contact (local time). Orange bar: share of the "
                       f"weeks rostered on duty at that hour; outline: on duty in at least "
                       f"{duty_threshold:.0%} of the weeks.", fontName=font_name, fontSize=6))
    return drawing
