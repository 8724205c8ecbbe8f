"""Presentation mode for case conferences: full screen, high contrast, anonymised by default.

Arrow keys step through the *accepted* markers in time order; the timeline
animates to each and highlights its evidence, and the explanation is shown in
large type. The last slide is the case summary (the risk summary). Nothing the
audience should not see is on screen: no file paths, no intelligence with
handling conditions, no names unless the presenter turns anonymising off (N).
Esc returns to the workbench.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import formatting
from ui.case_context import CaseContext
from ui.link_chart.scene import ChartScene
from ui.link_chart.view import ChartView
from ui.presentation_timeline import HIGH_CONTRAST, PresentationTimeline
from ui.tasks import Task, TaskRunner
from ui.tooltips import tooltip
from workbench.casework.conference import ConferenceDeck, MarkerSlide, build_deck
from workbench.chart_layout import PreparedChart, prepare_chart
from workbench.session import CaseSnapshot, Offload, as_is, read_case
from workbench.vocabulary import severity_colour, severity_label

STYLE = f"""
QWidget#presentation {{ background: {HIGH_CONTRAST['window']}; }}
QWidget#presentation QLabel {{ color: #ffffff; background: transparent; }}
QWidget#presentation QMessageBox {{ background: #2b2d31; }}
QWidget#presentation QMessageBox QLabel {{ color: #ffffff; font-size: 16pt; }}
QWidget#presentation QMessageBox QPushButton {{ color: #000000; background: #f0f0f0;
    padding: 6px 18px; font-size: 14pt; }}
"""
KEYS = "← → step · S summary · C chart · N names · Esc return"


def big(text: str = "", points: float = 28, bold: bool = False, name: str = "") -> QLabel:
    """A label in presentation type (never under 24 pt, whatever the app's stylesheet says)."""
    label = QLabel(text)
    font = QFont()
    font.setPointSizeF(max(points, 24))
    font.setBold(bold)
    label.setFont(font)
    # The application stylesheet sets desk-sized fonts; a label's own sheet wins over it.
    label.setProperty("base_style", f"font-size: {max(points, 24)}pt; font-weight: {700 if bold else 400};")
    label.setStyleSheet(label.property("base_style"))
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


def tint(label: QLabel, colour: str) -> None:
    """Give a presentation label a colour, keeping its size."""
    label.setStyleSheet(f"{label.property('base_style')} color: {colour};")


@dataclass(frozen=True)
class PresentationRead:
    """What presentation mode shows of a case, read before its window opens."""

    case: CaseSnapshot
    deck: ConferenceDeck


def read_presentation(store, ref: str, anonymise: bool,  # type: ignore[no-untyped-def]
                      offload: Offload = as_is) -> PresentationRead:
    """The case (anonymised as asked) and its slides; the app reads them in a worker,
    the events in a worker process (``offload``), so the window never waits."""
    return PresentationRead(read_case(store, ref, anonymise, offload=offload),
                            build_deck(store, ref, anonymise))


class PresentationWindow(QWidget):
    """The case conference view of one case. Opens anonymised; Esc closes it."""

    closed = Signal()

    def __init__(self, store, ref: str, anonymise: bool = True, show_chart: bool = False,  # type: ignore[no-untyped-def]
                 time_range: tuple[int, int] | None = None, read: PresentationRead | None = None,
                 offload: Offload = as_is) -> None:
        super().__init__()
        self.setObjectName("presentation")
        self.setWindowTitle(f"{ref} — case conference")
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.store, self.ref = store, ref
        # ``offload``: where what the C and N keys need is read (the chart, the slides under
        # the other names switch). The app's reads it in a worker process, and it is shown
        # when it lands; as it is (the snapshots), it is read and shown at once.
        self.offload = offload
        self.reader = TaskRunner(self)
        self.views_asked = 0  # a view's read is shown only if no other view was asked since
        self.view_asked = (anonymise, False)  # the last view asked for: (anonymised, chart shown)
        self.chart_anonymised: bool | None = None  # the switch the chart on the scene was read under
        # The presentation's own view of the case, anonymised whatever the workbench shows.
        read = read or read_presentation(store, ref, anonymise)
        self.context = CaseContext(store, ref, anonymise=anonymise, parent=self, snapshot=read.case)
        self.time_range = time_range  # the workbench's time range: slides and chart follow it
        self.deck: ConferenceDeck = self._in_range(read.deck)
        self.index = 0
        self.tz = ZoneInfo(self.context.case.timezone)

        self.title = big(points=30, bold=True)
        self.classification = big(self.deck.classification, 24, bold=True)
        self.badge = big("ANONYMISED", 26, bold=True)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.classification)
        header.addWidget(self.badge)

        self.timeline = PresentationTimeline(self.context)
        self.timeline.setMinimumHeight(160)
        self.chart_scene = ChartScene(self.context.case.timezone, label_points=24, parent=self,
                                      dark=True)
        self.chart_view = ChartView(self.chart_scene)
        self.chart_view.setVisible(False)
        self.chart_view.setStyleSheet("background: #1e1f22; border: none;")
        self.chart_view.setInteractive(False)
        self.chart_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chart_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        visuals = QHBoxLayout()
        visuals.addWidget(self.timeline, 3)
        visuals.addWidget(self.chart_view, 3)
        self.rule = big(points=36, bold=True)
        self.meta = big(points=26)
        self.explanation = big(points=28)
        self.review = big(points=24)
        marker_page = QWidget()
        marker_layout = QVBoxLayout(marker_page)
        marker_layout.setContentsMargins(0, 0, 0, 0)
        marker_layout.addLayout(visuals, 5)
        for label in (self.rule, self.meta, self.explanation, self.review):
            marker_layout.addWidget(label)

        self.summary_title = big("Case summary", 40, bold=True)
        self.level = big(points=36, bold=True)
        self.factors = big(points=24)
        self.styles = big(points=24)
        self.counts = big(points=24)
        summary_page = QWidget()
        summary_layout = QVBoxLayout(summary_page)
        for label in (self.summary_title, self.level, self.factors, self.styles, self.counts):
            summary_layout.addWidget(label)
        summary_layout.addStretch(1)

        for label in (self.meta, self.review, self.counts):
            tint(label, "#d8d8d8")
        self.pages = QStackedWidget()
        policy = self.pages.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # hidden while names are being hidden: no jump
        self.pages.setSizePolicy(policy)
        self.pages.addWidget(marker_page)
        self.pages.addWidget(summary_page)
        self.footer = big(points=24)
        tint(self.footer, "#bdbdbd")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 18)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.footer)
        if show_chart:
            self.toggle_chart()
        self._show()

    # -- slides ----------------------------------------------------------------------------
    @property
    def slide_count(self) -> int:
        return len(self.deck.markers) + 1  # the summary comes last

    def current_marker(self) -> MarkerSlide | None:
        return self.deck.markers[self.index] if self.index < len(self.deck.markers) else None

    def step(self, delta: int) -> None:
        self.index = min(max(self.index + delta, 0), self.slide_count - 1)
        self._show()

    def show_summary(self) -> None:
        self.index = self.slide_count - 1
        self._show()

    def _show(self) -> None:
        deck = self.deck
        self.title.setText(deck.case_ref)
        self.title.setToolTip(tooltip(deck.title))
        self._badge(deck.anonymised)
        slide = self.current_marker()
        keys = KEYS
        if slide is None:
            self.pages.setCurrentIndex(1)
            self._fill_summary()
            self.footer.setText(f"Case summary · {keys}")
            return
        self.pages.setCurrentIndex(0)
        when = formatting.moment(slide.start, self.tz)
        if slide.end != slide.start:
            when += " → " + formatting.moment(slide.end, self.tz)
        self.rule.setText(slide.title)
        tint(self.rule, severity_colour(slide.severity, dark=True))
        self.meta.setText(f"{severity_label(slide.severity)} · {when} · {slide.people}")
        self.explanation.setText(slide.explanation)
        self.review.setText(f"Accepted on review: {slide.review_reason}" if slide.review_reason else "")
        stale = " · MAY BE OUT OF DATE (evidence changed since the analysis)" if (
            self.context.markers_out_of_date) else ""
        self.footer.setText(f"Accepted marker {self.index + 1} of {len(deck.markers)} · "
                            "an indicator for review, not a finding" + stale + " · " + keys)
        self.footer.setToolTip(KEYS)
        marker = self.context.marker(slide.marker_id)
        self.timeline.show_events(slide.evidence, slide.marker_id, slide.start.timestamp(),
                                  slide.end.timestamp(), marker.member_id if marker else None)
        self._highlight_people(slide)

    def _badge(self, anonymised: bool) -> None:
        self.badge.setText("ANONYMISED" if anonymised else "NAMES SHOWN")
        tint(self.badge, "#000000; background: " + ("#d55e00" if anonymised else "#f0e442")
             + "; padding: 4px 14px; border-radius: 6px")

    def _fill_summary(self) -> None:
        summary = self.deck.summary
        if not self.deck.markers:
            self.summary_title.setText("Case summary — no markers have been accepted yet")
        else:
            self.summary_title.setText("Case summary")
        if summary is None:
            self.level.setText("The risk summary is not available (the analysis is not installed).")
            for label in (self.factors, self.styles, self.counts):
                label.setText("")
            return
        self.level.setText(f"Risk level: {summary.level.upper()}")
        tint(self.level, severity_colour(summary.level, dark=True))  # a risk level reads as a severity
        self.factors.setText("\n".join(f"• {factor}" for factor in summary.factors))
        styles = [f"Predatory style: {s}" for s in summary.predatory] + [
            f"Exploratory style: {s}" for s in summary.exploratory]
        self.styles.setText("\n".join(styles))
        withheld = (f" · {self.deck.withheld_reports} intelligence report(s) withheld "
                    "(handling conditions)" if self.deck.withheld_reports else "")
        stale = self.context.markers_out_of_date
        self.counts.setText(f"Markers: {summary.accepted} accepted, {summary.open} open, "
                            f"{summary.dismissed} dismissed — indicators for review, not findings"
                            + withheld + (f"\nThese markers may be out of date: {stale}." if stale
                                          else ""))

    # -- chart and names -------------------------------------------------------------------
    def toggle_chart(self) -> None:
        self.show_view(self.view_asked[0], chart=not self.view_asked[1])

    def set_anonymise(self, enabled: bool) -> None:
        """Show ciphers (default) or real names; the presenter must mean it."""
        self.show_view(enabled, chart=self.view_asked[1])

    def show_view(self, anonymise: bool, chart: bool) -> None:
        """Show the slides under ``anonymise``, with the chart in the timeline's place or not.

        What that needs read (the slides under the other switch, the chart) is read first,
        in the app in a worker (a big case's chart takes seconds), and a newer request
        replaces one still being read (it was asked with that one in mind). While names are
        being hidden, nothing is shown.
        """
        self.view_asked = (anonymise, chart)
        deck_needed = anonymise != self.deck.anonymised
        chart_needed = chart and (not self.chart_scene.nodes or self.chart_anonymised != anonymise)

        def read(**_worker: object) -> tuple[ConferenceDeck | None, PreparedChart | None]:
            return (self._deck(anonymise) if deck_needed else None,
                    self._chart(anonymise) if chart_needed else None)

        def take(result: tuple[ConferenceDeck | None, PreparedChart | None]) -> None:
            deck, prepared = result
            if deck is not None:
                self.context.set_anonymise(anonymise)
                self.deck = deck
                self.index = min(self.index, self.slide_count - 1)
            if prepared is not None:
                self.chart_scene.show_chart(prepared)
                self.chart_anonymised = anonymise
            self.pages.setVisible(True)
            self.chart_view.setVisible(chart)
            # At presentation sizes the chart needs the room: it takes the timeline's place.
            self.timeline.setVisible(not chart)
            if chart:
                self.chart_view.fit()
            self._show()

        self.views_asked += 1
        asked = self.views_asked
        if self.offload is as_is or not (deck_needed or chart_needed):
            take(read())
            return
        if anonymise and not self.deck.anonymised:  # names off the screen at once, not when read
            self.pages.setVisible(False)
            self.context.set_anonymise(True)
            self._badge(True)
        self.footer.setText("Reading the case for the new view…")

        def landed(result: tuple[ConferenceDeck | None, PreparedChart | None]) -> None:
            if shiboken6.isValid(self) and asked == self.views_asked:
                take(result)

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self) and asked == self.views_asked:
                self.pages.setVisible(self.deck.anonymised or not anonymise)  # names stay hidden
                self.footer.setText(f"Could not read the case: {exc} · {KEYS}")

        task = Task(read)
        task.signals.finished.connect(landed)
        task.signals.failed.connect(failed)
        self.reader.start(task)

    def _highlight_people(self, slide: MarkerSlide) -> None:
        if not self.chart_scene.nodes:
            return
        marker = self.context.marker(slide.marker_id)
        people = [f"person:{p.key}" for p in (marker.subject, marker.member) if p] if marker else []
        self.chart_scene.highlight_path(tuple(n for n in people if n in self.chart_scene.nodes) or None)

    def _deck(self, anonymise: bool) -> ConferenceDeck:
        return self._in_range(self.offload(build_deck)(self.store, self.ref, anonymise))

    def _in_range(self, deck: ConferenceDeck) -> ConferenceDeck:
        """The slides, only those overlapping the time range when there is one."""
        if self.time_range is None:
            return deck
        first, last = self.time_range
        return replace(deck, markers=tuple(m for m in deck.markers if m.start.timestamp() <= last
                                           and m.end.timestamp() >= first))

    def _chart(self, anonymise: bool):  # type: ignore[no-untyped-def]
        start, end = (datetime.fromtimestamp(t, UTC) for t in self.time_range) if self.time_range \
            else (None, None)
        return self.offload(prepare_chart)(self.store, self.ref, anonymise=anonymise,
                                           max_unresolved=0, start=start, end=end)

    def ask_names(self) -> None:
        if not self.view_asked[0]:  # names shown, or asked for and still being read: hide them
            self.set_anonymise(True)
            return
        answer = QMessageBox.question(
            self, "Show real names?",
            "Show the real names of members of the public on the projector? Only do this if "
            "everyone in the room is entitled to see them.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.set_anonymise(False)

    # -- keys ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown):
            self.step(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace):
            self.step(-1)
        elif key == Qt.Key.Key_Home:
            self.index = 0
            self._show()
        elif key in (Qt.Key.Key_S, Qt.Key.Key_End):
            self.show_summary()
        elif key == Qt.Key.Key_C:
            self.toggle_chart()
        elif key == Qt.Key.Key_N:
            self.ask_names()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.closed.emit()
        super().closeEvent(event)

    # -- what is on screen (tests and checks) ----------------------------------------------
    def visible_text(self) -> str:
        """Every piece of text this window shows: labels, timeline lanes, chart labels."""
        texts = [label.text() for label in self.findChildren(QLabel) if label.isVisibleTo(self)]
        if self.timeline.isVisibleTo(self):
            texts += self.timeline.lane_labels()
        if self.chart_view.isVisibleTo(self):
            texts += [item.label for item in self.chart_scene.nodes.values()]
        return "\n".join(texts)

    def smallest_text_points(self) -> float:
        sizes = []
        for label in self.findChildren(QLabel):
            label.ensurePolished()
            sizes.append(label.fontInfo().pointSizeF())
        sizes.append(self.timeline.smallest_text_points())
        if self.chart_scene.nodes:
            sizes.append(self.chart_scene.label_points)
        return min(sizes)
