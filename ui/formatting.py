"""How times, durations and vocabulary words are written on screen: the core's one way.

The definitions live in :mod:`workbench.vocabulary` and :mod:`workbench.timeutil`, so the
app, the timeline, the chart and the bundle say the same thing the same way.
"""

from __future__ import annotations

from workbench.timeutil import format_duration, format_local
from workbench.vocabulary import label, words

__all__ = ["duration", "moment", "sentence", "words"]

sentence = label  # a value as the start of a sentence: ``Work phone``
duration = format_duration  # ``3 min 20 s``
moment = format_local  # ``20/03/2021 19:02 GMT`` in the case zone
