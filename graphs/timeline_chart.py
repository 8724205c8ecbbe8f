"""A generic vector timeline chart: one row per lane, event glyphs, spans, shaded
periods and flagged markers. Inputs are plain tuples or the small dataclasses below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from graphs.style import SEVERITY_STYLES

_FONT = "DejaVu Sans"
# Okabe-Ito colours paired with distinct marker shapes, assigned to event kinds in order.
_EVENT_GLYPHS: tuple[tuple[str, str], ...] = (
    ("o", "#0072B2"), ("s", "#E69F00"), ("^", "#009E73"), ("D", "#CC79A7"),
    ("v", "#56B4E9"), ("P", "#D55E00"), ("X", "#000000"), ("h", "#F0E442"),
)


@dataclass(frozen=True)
class TimelineEvent:
    """One event drawn as a glyph on a lane."""

    lane: int
    at: datetime
    kind: str


@dataclass(frozen=True)
class TimelineSpan:
    """A bar on a lane from ``start`` to ``end`` (e.g. an engagement)."""

    lane: int
    start: datetime
    end: datetime
    label: str = ""


@dataclass(frozen=True)
class TimelineShading:
    """A greyed period across all lanes (e.g. off duty)."""

    start: datetime
    end: datetime
    label: str = "Off duty"


@dataclass(frozen=True)
class TimelineMarker:
    """A flagged moment across all lanes, numbered on the chart."""

    at: datetime
    severity: str
    text: str


def _coerce(items: Sequence[object] | None, cls: type) -> list:
    result = []
    for item in items or ():
        result.append(item if isinstance(item, cls) else cls(*item))  # type: ignore[misc]
    return result


def render_timeline_figure(
    lanes: Sequence[str],
    events: Sequence[TimelineEvent | tuple[int, datetime, str]],
    *,
    spans: Sequence[TimelineSpan | tuple] | None = None,
    shading: Sequence[TimelineShading | tuple] | None = None,
    markers: Sequence[TimelineMarker | tuple[datetime, str, str]] | None = None,
    tz_label: str = "Europe/London",
    title: str | None = None,
    width: float = 10.0,
    legend: bool = True,
) -> Figure:
    """Draw a timeline: one row per lane label, top to bottom in the order given.

    Args:
        lanes: row labels (callers pass ciphers when anonymising).
        events: ``(lane_index, datetime, kind)``; each kind gets its own glyph.
        spans: ``(lane_index, start, end[, label])`` bars.
        shading: ``(start, end[, label])`` greyed periods behind everything.
        markers: ``(datetime, severity, text)`` flags, numbered and listed below.
        tz_label: IANA zone the axis is shown in (named on the axis).
        title: optional heading.
        width: figure width in inches; the height follows the number of lanes.
    """
    event_items = _coerce(events, TimelineEvent)
    span_items = _coerce(spans, TimelineSpan)
    shade_items = _coerce(shading, TimelineShading)
    marker_items = sorted(_coerce(markers, TimelineMarker), key=lambda m: m.at)
    zone = ZoneInfo(tz_label)
    lane_count = max(len(lanes), 1)
    notes_height = 0.18 * len(marker_items) + (0.3 if marker_items else 0.0)
    height = 1.2 + 0.38 * lane_count + notes_height + (0.35 if title else 0.0)
    fig = Figure(figsize=(width, height), dpi=100)
    bottom = (0.55 + notes_height) / height
    top = 1.0 - (0.55 if title else 0.3) / height
    ax = fig.add_axes((0.18, bottom, 0.62 if legend else 0.78, top - bottom))
    ax.set_ylim(lane_count - 0.5, -0.5)
    ax.set_yticks(range(len(lanes)), [str(lane) for lane in lanes], fontsize=8, family=_FONT)
    for row in range(lane_count):
        ax.axhline(row, color="#E5E5E5", linewidth=0.6, zorder=0)

    for shade in shade_items:
        ax.axvspan(shade.start, shade.end, facecolor="#D9D9D9", edgecolor="none", alpha=0.6,
                   zorder=0.5)
    for span in span_items:
        ax.plot([span.start, span.end], [span.lane, span.lane], color="#4D4D4D", linewidth=5,
                solid_capstyle="butt", alpha=0.55, zorder=1)
        if span.label:
            ax.annotate(span.label, (span.start, span.lane), xytext=(2, 5),
                        textcoords="offset points", fontsize=6.5, family=_FONT, color="#333333")

    glyphs: dict[str, tuple[str, str]] = {}
    for event in event_items:
        glyphs.setdefault(event.kind, _EVENT_GLYPHS[len(glyphs) % len(_EVENT_GLYPHS)])
    for kind, (marker, colour) in glyphs.items():
        chosen = [e for e in event_items if e.kind == kind]
        ax.plot([e.at for e in chosen], [e.lane for e in chosen], linestyle="none",
                marker=marker, markersize=6, markerfacecolor=colour, markeredgecolor="#222222",
                markeredgewidth=0.6, zorder=3)

    halo = {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    notes = []
    for number, flag in enumerate(marker_items, start=1):
        style = SEVERITY_STYLES.get(flag.severity.lower(), SEVERITY_STYLES["none"])
        ax.axvline(flag.at, color=style.colour, linestyle=style.linestyle,
                   linewidth=1.3 + style.extra_width, zorder=2)
        ax.annotate(str(number), (flag.at, -0.5), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, fontweight="bold", family=_FONT,
                    color="#111111", bbox=halo, annotation_clip=False)
        local = flag.at.astimezone(zone).strftime("%d %b %Y %H:%M")
        notes.append(f"{number}. {local}  [{flag.severity}]  {flag.text}")
    if notes:
        fig.text(0.02, (notes_height - 0.05) / height, "\n".join(notes), va="top", ha="left",
                 fontsize=7, family=_FONT, linespacing=1.35)

    locator = mdates.AutoDateLocator(tz=zone, minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone))
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.get_offset_text().set_fontsize(7)
    ax.set_xlabel(f"Time ({tz_label})", fontsize=8, family=_FONT)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if title:
        fig.suptitle(title, x=0.02, y=1 - 0.1 / height, ha="left", va="top", fontsize=11,
                     fontweight="bold", family=_FONT)
    if legend:
        handles: list[Artist] = [Line2D([], [], linestyle="none", marker=m, markerfacecolor=c,
                          markeredgecolor="#222222", markersize=6, label=kind)
                   for kind, (m, c) in glyphs.items()]
        if span_items:
            handles.append(Line2D([], [], color="#4D4D4D", alpha=0.55, linewidth=5,
                                  label="Span"))
        for label in dict.fromkeys(shade.label for shade in shade_items):
            handles.append(Patch(facecolor="#D9D9D9", alpha=0.6, label=label))
        for key in dict.fromkeys(m.severity.lower() for m in marker_items):
            style = SEVERITY_STYLES.get(key, SEVERITY_STYLES["none"])
            handles.append(Line2D([], [], color=style.colour, linestyle=style.linestyle,
                                  linewidth=1.3 + style.extra_width,
                                  label=f"Flag: {style.label.lower()}"))
        if handles:
            fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.82, top),
                       frameon=False, prop={"family": _FONT, "size": 7.5})
    return fig
