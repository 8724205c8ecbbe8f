"""Details of the selected event (with its provenance) or marker (with its evidence links)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from ui import formatting, theme
from ui.case_context import CaseContext
from ui.tasks import Task, TaskRunner
from workbench.analysis import find_hits, rule_description, rule_title
from workbench.conversation import RecordLine, case_marker_records
from workbench.timeutil import format_day, format_time, format_utc
from workbench.vocabulary import severity_label

EVENT_LINK = "event:"
MARKER_LINK = "marker:"
OPEN_LINK = "open:"  # a record opened from a marker: Back returns to the marker
LIST_LINK = "list:"  # all of a marker's records, listed in the search results
MESSAGE_KINDS = frozenset({"sms", "mms", "message", "email"})
CONTACT_KINDS = MESSAGE_KINDS | {"call"}
CATEGORY_NAMES = {
    "kiss": "kiss", "endearment": "endearment", "appearance": "appearance", "emoji": "emoji",
    "sexual": "sexual term", "explicit_media": "explicit media", "secrecy": "secrecy",
}


def lexicon_hits(text: str) -> list[Any]:
    """Lexicon matches in the text."""
    try:
        return list(find_hits(text))
    except (OSError, ValueError):  # an unreadable word list must not hide the evidence itself
        return []


def highlighted(text: str, colour: str, search: str = "") -> str:
    """The text as HTML with lexicon hits marked (and named in their tooltip), and the
    words searched for underlined and marked."""
    spans = [(hit.start, hit.end, f'style="background-color:{colour}; font-weight:600" '
              f'title="{CATEGORY_NAMES.get(hit.category, hit.category)}"') for hit in lexicon_hits(text)]
    if search.strip():
        spans += [(m.start(), m.end(), f'style="background-color:{colour}; text-decoration:'
                   f'underline" title="searched for"') for m in re.finditer(
                       re.escape(search.strip()), text, re.IGNORECASE)]
    pieces, last = [], 0
    for start, end, attributes in sorted(spans):
        if start < last:
            continue
        pieces.append(html.escape(text[last:start]))
        pieces.append(f"<span {attributes}>{html.escape(text[start:end])}</span>")
        last = end
    pieces.append(html.escape(text[last:]))
    return "".join(pieces).replace("\n", "<br>")


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f'<tr><td class="k">{html.escape(k)}</td><td>{v}</td></tr>' for k, v in rows if v)
    return f'<table cellspacing="0" cellpadding="3">{cells}</table>'


class DetailsPanel(QWidget):
    """Shows whatever is selected in the case: an event or a marker."""

    shown = Signal()  # a record's details are on screen (read in a worker, in the app)

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.context = context
        self.setObjectName("detailsPanel")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.browser.setAccessibleName("Details")
        self.back_to_marker: int | None = None  # the marker a record was opened from
        self._following_link = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        context.eventSelected.connect(lambda _id: self._event_shown())
        context.markerSelected.connect(lambda _id: self._marker_shown())
        context.changed.connect(self.refresh)
        context.anonymiseChanged.connect(lambda _on: self.refresh())
        self.refresh()

    def _event_shown(self) -> None:
        if not self._following_link:  # chosen elsewhere: no marker to go back to
            self.back_to_marker = None
        self.refresh()

    def _marker_shown(self) -> None:
        self.back_to_marker = None
        self.refresh()

    def text(self) -> str:
        return self.browser.toPlainText()

    def refresh(self) -> None:
        selection = self.context.selection
        if selection.marker is not None:
            marker_id = selection.marker
            self._read_then(lambda: self._read_marker(marker_id),
                            lambda read: self._show_marker(marker_id, read))
        elif selection.event is not None:
            event_id = selection.event
            self._read_then(lambda: self._read_event(event_id),
                            lambda read: self._show_event(event_id, read))
        else:
            self.browser.setHtml(self._style() + "<p class='muted'>Select an event on the timeline, "
                                 "a marker, or a search result to see its details and where it "
                                 "came from.</p>")

    def _read_then(self, read: Callable[[], Any], show: Callable[[Any], None]) -> None:
        """Read what is selected, then show it: the app reads in a worker, and a newer
        selection replaces the read."""
        if not self.context.background:
            show(read())
            return
        task = Task(lambda **_worker: read())
        task.signals.finished.connect(show)
        self.runner.start(task)

    def _style(self) -> str:
        c = theme.THEMES[theme.current()]
        return (f"<style>body{{color:{c['text']};}} td.k{{color:{c['muted']}; padding-right:10px;"
                f" white-space:nowrap;}} .muted{{color:{c['muted']};}} h3{{margin:2px 0 6px 0;}}"
                f" .mono{{font-family:monospace;}} a{{color:{c['accent']};}}</style>")

    def _read_event(self, event_id: int) -> tuple[dict[str, Any] | None, list[RecordLine]]:
        """The record's details and the conversation around it (safe in a worker)."""
        return self.context.session.record(event_id)

    def _read_marker(self, marker_id: int) -> tuple[list[RecordLine], int]:
        """The first records behind the marker and how many there are (safe in a worker)."""
        return case_marker_records(self.context.store, self.context.ref, marker_id,
                                   anonymise=self.context.anonymise)

    def _show_marker(self, marker_id: int, read: tuple[list[RecordLine], int]) -> None:
        if self.context.selection.marker != marker_id:
            return  # another marker or a record was chosen meanwhile
        self.browser.setHtml(self._marker_html(marker_id, *read))
        self.shown.emit()

    def _show_event(self, event_id: int,
                    read: tuple[dict[str, Any] | None, list[RecordLine]]) -> None:
        if self.context.selection.event != event_id or self.context.selection.marker is not None:
            return  # another record or a marker was chosen meanwhile
        self.browser.setHtml(self._event_html(event_id, *read))
        self._scroll_to_current()
        self.shown.emit()

    def _event_html(self, event_id: int, detail: dict[str, Any] | None,
                    conversation: list[RecordLine]) -> str:
        if detail is None:
            return self._style() + "<p>This event is no longer in the case.</p>"
        tz = ZoneInfo(self.context.case.timezone)
        c = theme.THEMES[theme.current()]
        when = detail["occurred_at"]
        ambiguous, day = bool(detail["ambiguous"]), bool(detail.get("date_only"))
        rows = [
            ("Date" if day else "Time", html.escape(
                format_time(when, tz, ambiguous=ambiguous, seconds=True, date_only=day))),
            ("UTC", "known only to the day" if day else html.escape(
                format_utc(when, ambiguous=ambiguous, tz=tz))),
            ("From", html.escape(str(detail["from"]))),
            ("To", html.escape(str(detail["to"]))),
            ("Channel", html.escape(formatting.sentence(detail["channel"]))),
            ("Direction", html.escape(formatting.sentence(detail["direction"]))
             + " <span class='muted'>(relative to the officer)</span>"),
            ("Duration", html.escape(formatting.duration(detail["duration_s"]))),
            ("Status", html.escape(detail["status"] or "")),
            ("Media", html.escape(str(detail["media"] or ""))),
        ]
        if detail["lat"] is not None:
            rows.append(("Location", f"{detail['lat']:.5f}, {detail['lon']:.5f}"))
        body = ""
        if detail["text"]:
            heading = "Message" if detail["kind"] in MESSAGE_KINDS else "Record text"
            body = (f"<h4>{heading}</h4><p style='background:{c['surface_alt']}; padding:6px'>"
                    f"{highlighted(str(detail['text']), c['hit'], self.context.search_words)}</p>")
        exhibit = detail["exhibit"]
        source = [("Source position", html.escape(detail["position"] or ""))]
        if exhibit:
            source = [
                ("Exhibit", html.escape(f"{exhibit['reference']} — {exhibit['file_name']}")),
                ("Source position", html.escape(detail["position"] or "")),
                ("SHA-256", f"<span class='mono'>{exhibit['sha256']}</span>"),
                ("Produced by", html.escape(exhibit["producer"])),
                ("Imported as", html.escape(exhibit["kind"])),
            ]
        if detail.get("also_in"):  # the same communication held by other exhibits
            source.append(("Also recorded in", html.escape("; ".join(detail["also_in"]))))
        direction = detail["direction"] if detail["kind"] in CONTACT_KINDS and detail["direction"] != "unknown" else ""
        title = f"{formatting.sentence(detail['kind'])} {direction}"
        back = (f"<p><a href='{MARKER_LINK}{self.back_to_marker}'>← Back to the marker</a></p>"
                if self.back_to_marker is not None else "")
        return (self._style() + back + f"<h3>{html.escape(title.strip())}</h3>" + _rows(rows) + body
                + "<h4>Provenance</h4>" + _rows(source) + self._conversation_html(conversation))

    def _conversation_html(self, lines: list[RecordLine]) -> str:
        """The contact around this record between the same two people, this one highlighted."""
        if len(lines) <= 1:
            return ""
        c = theme.THEMES[theme.current()]
        rows = "".join(self._record_row(line, c, EVENT_LINK) for line in lines)
        return ("<h4>Conversation around this record</h4><p class='muted'>Up to 10 records either "
                "side between the same two people, on every channel and exhibit.</p>"
                f"<table cellspacing='0' cellpadding='3' width='100%'>{rows}</table>")

    def _record_row(self, line: RecordLine, c: dict[str, str], link: str) -> str:
        tz = ZoneInfo(self.context.case.timezone)
        when = (formatting.moment(line.when, tz) if line.kind == "event" and line.when
                else format_day(line.when) if line.when else "")
        style = f" style='background:{c['selection']}; font-weight:600'" if line.current else ""
        anchor = "<a name='current'></a>" if line.current else ""
        opened = (f"<a href='{link}{line.record_id}'>{html.escape(when)}</a>"
                  if line.kind == "event" else html.escape(when))
        text = f"<br>{highlighted(line.text, c['hit'])}" if line.text else ""
        return (f"<tr{style}><td class='k'>{anchor}{opened}</td><td>{html.escape(line.summary)}"
                f"{text}<br><span class='muted'>{html.escape(line.source)}</span></td></tr>")

    def _scroll_to_current(self) -> None:
        self.browser.scrollToAnchor("current")

    def _marker_html(self, marker_id: int, records: list[RecordLine], total: int) -> str:
        marker = self.context.marker(marker_id)
        if marker is None:
            return self._style() + "<p>This marker is no longer current.</p>"
        tz = ZoneInfo(self.context.case.timezone)
        anonymiser = self.context.anonymiser
        c = theme.THEMES[theme.current()]
        people = " ↔ ".join(anonymiser.person(p) for p in (marker.subject, marker.member) if p)
        span = formatting.moment(marker.start, tz)
        if marker.end != marker.start:
            span += f" – {formatting.moment(marker.end, tz)}"
        review = "Open: not yet reviewed"
        if marker.status != "open":
            review = (f"{marker.status.capitalize()} by {marker.reviewed_by or 'unknown'}"
                      f"{' on ' + formatting.moment(marker.reviewed_at, tz) if marker.reviewed_at else ''}"
                      f": {anonymiser.text(marker.review_reason)}")
        rows = [("Severity", f"<b style='color:{c.get(marker.severity, c['text'])}'>"
                             f"{html.escape(severity_label(marker.severity))}</b>"),
                ("People", html.escape(people)), ("When", html.escape(span)),
                ("Review", html.escape(review))]
        evidence = "".join(self._record_row(line, c, OPEN_LINK) for line in records)
        more = ""
        if total > len(records):
            more = (f"<p class='muted'>The first {len(records):,} of {total:,} are listed here. "
                    f"<a href='{LIST_LINK}{marker_id}'>List all {total:,} in the search "
                    "results</a>.</p>")
        description = rule_description(marker.rule)
        return (self._style() + f"<h3>{html.escape(rule_title(marker.rule))}</h3>"
                + (f"<p class='muted'>{html.escape(description)}</p>" if description else "")
                + f"<p>{html.escape(anonymiser.text(marker.explanation))}</p>" + _rows(rows)
                + f"<h4>Supporting records ({total:,})</h4>"
                + f"<table cellspacing='0' cellpadding='3' width='100%'>{evidence}</table>" + more
                + "<p class='muted'>An indicator for the investigator to review, not a finding. "
                  "Open each record to check its source.</p>")

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        self._following_link = True
        try:
            if text.startswith(OPEN_LINK):  # from a marker: remember it for Back
                self.back_to_marker = self.context.selection.marker
                self.context.select_event(int(text[len(OPEN_LINK):]))
            elif text.startswith(EVENT_LINK):
                self.context.select_event(int(text[len(EVENT_LINK):]))
        finally:
            self._following_link = False
        if text.startswith(MARKER_LINK):
            self.context.select_marker(int(text[len(MARKER_LINK):]))
        elif text.startswith(LIST_LINK):
            self.context.list_records(list(self.context.session.supporting_events(
                int(text[len(LIST_LINK):]))))
