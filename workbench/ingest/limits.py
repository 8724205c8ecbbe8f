"""Every bound an importer enforces on hostile evidence, in one place.

Evidence comes from the people being investigated and from their devices, so
every file is treated as hostile: each size below is checked early, before the
work it bounds, so a refusal comes within seconds and in memory proportional
to the limit, never to the file. A refusal names the limit (``MAX_LINE_CHARS``
...) so the person reading it knows which bound was hit. The values sit far
above anything a genuine export holds.
"""

from __future__ import annotations

from workbench.errors import ImportRefused

# Text files (CSV, WhatsApp, audit logs): one line, and one CSV field.
MAX_LINE_CHARS = 5_000_000
MAX_FIELD_CHARS = 1_000_000
# Files that must be read whole (Messenger/intel JSON, a zip member read whole).
MAX_WHOLE_FILE_BYTES = 256 * 1024**2
# XML: the longest stretch between two '<' bytes bounds any one attribute value or text run.
MAX_XML_TOKEN_BYTES = 16 * 1024**2
# Zips: decompression bombs (a member inflating more than MAX_RATIO-fold, or a whole over
# MAX_TOTAL_BYTES that is also more than MAX_TOTAL_RATIO times the zip's size on disk).
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_TOTAL_RATIO = 20
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024**2  # tiny members may compress absurdly well and harm no one
MAX_MEMBERS = 1_000_000
# Spreadsheets: the declared sheet size, checked before a row is read.
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 1_000
MAX_SHEET_CELLS = 50_000_000
# Numbers: a call lasting longer than this is not a call (one year, in seconds).
MAX_DURATION_S = 366 * 24 * 3600


def exceeded(name: str, limit: int, what: str, position: str = "") -> ImportRefused:
    """The refusal for evidence over ``limit`` (named ``name`` in this module)."""
    return ImportRefused(f"{what}: over the limit {name} ({limit:,}); refused as hostile or "
                         "damaged", position)
