"""Light and dark themes: colour variables shared by the stylesheets and the painted views.

Stylesheets are plain ``.qss`` files in ``resources/styles`` with ``@name``
variables, substituted from the theme at load time. The painted timeline
takes its colours from the same table. Data colours follow the Okabe–Ito
palette, which stays distinct for the common kinds of colour blindness.
"""

from __future__ import annotations

import re
from importlib import resources

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES: dict[str, dict[str, str]] = {
    "light": {
        "window": "#f3f4f6", "surface": "#ffffff", "surface_alt": "#f7f8fa", "border": "#cfd4dc",
        "text": "#1b1f24", "muted": "#5b6470", "accent": "#0b5cad", "accent_text": "#ffffff",
        "selection": "#cfe3f7", "grid": "#e3e6eb", "grid_major": "#b9c0ca",
        "lane_alt": "#f5f7fa", "night": "#e9ecf3", "off_duty": "#9aa3ad", "on_duty": "#009e73",
        "engagement": "#009e73", "outgoing": "#d55e00", "incoming": "#0072b2",
        "unknown": "#6b7280", "density": "#44546a", "high": "#d55e00", "medium": "#e69f00",
        "low": "#56b4e9", "highlight": "#cc79a7", "range": "#0b5cad", "hit": "#ffe08a",
        "note": "#f0e442",
    },
    "dark": {
        "window": "#1d2127", "surface": "#252a31", "surface_alt": "#2b3038", "border": "#3b424c",
        "text": "#e6e9ee", "muted": "#9aa4b1", "accent": "#5aa9f0", "accent_text": "#0d1117",
        "selection": "#2f4d6b", "grid": "#323842", "grid_major": "#4a525e",
        "lane_alt": "#2a2f36", "night": "#20242b", "off_duty": "#7d8794", "on_duty": "#2fbf8f",
        "engagement": "#2fbf8f", "outgoing": "#ff8a3d", "incoming": "#56b4e9",
        "unknown": "#9aa4b1", "density": "#a9b7c9", "high": "#ff7b3a", "medium": "#f0c040",
        "low": "#7cc7f2", "highlight": "#e58fc4", "range": "#5aa9f0", "hit": "#6b5200",
        "note": "#f0e442",
    },
}
VARIABLE = re.compile(r"@([a-z_]+)")


def colours(theme: str) -> dict[str, QColor]:
    return {name: QColor(value) for name, value in THEMES[theme].items()}


def stylesheet(theme: str) -> str:
    """The theme's stylesheet with its variables filled in."""
    text = resources.files("resources").joinpath("styles", f"{theme}.qss").read_text("utf-8")
    values = THEMES[theme]
    return VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def apply(app: QApplication, theme: str) -> None:
    """Give the application the theme's palette and stylesheet."""
    values = colours(theme)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, values["window"])
    palette.setColor(QPalette.ColorRole.Base, values["surface"])
    palette.setColor(QPalette.ColorRole.AlternateBase, values["surface_alt"])
    palette.setColor(QPalette.ColorRole.Text, values["text"])
    palette.setColor(QPalette.ColorRole.WindowText, values["text"])
    palette.setColor(QPalette.ColorRole.ButtonText, values["text"])
    palette.setColor(QPalette.ColorRole.Button, values["surface"])
    palette.setColor(QPalette.ColorRole.Highlight, values["accent"])
    palette.setColor(QPalette.ColorRole.HighlightedText, values["accent_text"])
    palette.setColor(QPalette.ColorRole.ToolTipBase, values["surface"])
    palette.setColor(QPalette.ColorRole.ToolTipText, values["text"])
    palette.setColor(QPalette.ColorRole.PlaceholderText, values["muted"])
    palette.setColor(QPalette.ColorRole.Link, values["accent"])
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(theme))
    app.setProperty("workbench_theme", theme)


def current(app: QApplication | None = None) -> str:
    app = app or QApplication.instance()  # type: ignore[assignment]
    theme = app.property("workbench_theme") if app is not None else None
    return theme if theme in THEMES else "light"
