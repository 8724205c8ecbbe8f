"""Errors nobody caught: logged with their traceback, shown to the user as one clear message.

:func:`install` sets ``sys.excepthook`` (PySide6 passes exceptions raised in slots and
overridden Qt methods to it), ``threading.excepthook``, and a Qt message handler that
puts Qt's own warnings in the log instead of on a terminal nobody watches.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.errors import WorkbenchError

log = logging.getLogger("ui.errors")
qt_log = logging.getLogger("ui.qt")
_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def user_message(error: BaseException, log_file: Path) -> str:
    """The one message the user sees for an error nobody caught."""
    if isinstance(error, WorkbenchError):
        return f"Not done: {error}"
    return (f"Something went wrong ({type(error).__name__}); what you were doing was not "
            f"completed. The details are in the log file:\n{log_file}")


class ErrorReporter(QObject):
    """Logs an uncaught error and shows it in one non-blocking message box at a time."""

    showRequested = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.box: QMessageBox | None = None
        self.shown: list[str] = []  # what the user was told, in order
        self.showRequested.connect(self._show)  # queued when emitted from a worker thread

    def report(self, kind: type[BaseException], error: BaseException,
               traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        log.error("uncaught %s", kind.__name__, exc_info=(kind, error, traceback))
        self.showRequested.emit(user_message(error, self.log_file))

    def _report_thread(self, hook: threading.ExceptHookArgs) -> None:
        if hook.exc_value is not None:
            self.report(hook.exc_type, hook.exc_value, hook.exc_traceback)

    def _show(self, message: str) -> None:
        self.shown.append(message)
        if QApplication.instance() is None or QApplication.closingDown():
            print(f"workbench: {message}", file=sys.stderr)
            return
        if self.box is not None and self.box.isVisible():
            self.box.setInformativeText(f"{len(self.shown)} errors so far; see the log.")
            return
        self.box = QMessageBox(QMessageBox.Icon.Critical, "Investigator Workbench", message,
                               QMessageBox.StandardButton.Ok, QApplication.activeWindow())
        self.box.setObjectName("uncaughtError")
        self.box.open()  # not exec(): no nested event loop inside an error handler


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def install(log_file: Path) -> ErrorReporter:
    """Route uncaught errors and Qt's messages to the log and the user; keep the result."""
    reporter = ErrorReporter(log_file)
    sys.excepthook = reporter.report
    threading.excepthook = reporter._report_thread
    qInstallMessageHandler(_qt_message)
    return reporter


def uninstall() -> None:
    """Put the interpreter's defaults back (when the app's event loop has ended)."""
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    qInstallMessageHandler(None)
