"""Text on its way to a terminal, with every control sequence shown, never obeyed.

Evidence and user input can hold ESC/OSC sequences (clear the screen, set the
window title, print a fake green "All exhibits verified") and bidi controls that
reorder what is shown. :func:`safe` escapes them in one value (newlines and tabs
too, so a value stays on its line and a table keeps its layout);
:class:`SafeStream` is what the CLI writes through, escaping the same characters
but keeping the newlines and tabs of the output's own layout. Escapes are
``\\x1b`` for C0 controls and ``\\u009b`` for the others, both also valid in JSON.
"""

from __future__ import annotations

import re
from typing import TextIO

_OTHERS = "\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"  # DEL, C1, bidi
_UNSAFE_IN_VALUE = re.compile(f"[\x00-\x1f{_OTHERS}]")
_UNSAFE_IN_OUTPUT = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # keeps \t and \n


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def safe(text: object) -> str:
    """``text`` with every control character escaped, newlines and tabs included."""
    return _UNSAFE_IN_VALUE.sub(_escape, str(text))


def safe_output(text: str) -> str:
    """Output text with control characters escaped, its own newlines and tabs kept."""
    return _UNSAFE_IN_OUTPUT.sub(_escape, text)


class SafeStream:
    """A text stream writing through :func:`safe_output` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(safe_output(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> object:  # flush, isatty, fileno, encoding...
        return getattr(self.stream, name)
