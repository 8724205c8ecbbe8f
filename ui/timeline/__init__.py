"""The contact timeline: a custom-painted widget over :class:`workbench.timeline.TimelineData`."""

from ui.timeline.view import TimelineView

__all__ = ["TimelineView"]
