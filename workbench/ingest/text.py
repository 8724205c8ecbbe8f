"""Reading evidence text whatever its encoding: UTF-8 (with or without BOM), UTF-16, cp1252."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from workbench.errors import ImportRefused
from workbench.ingest import limits
from workbench.ingest.limits import MAX_LINE_CHARS


def detect_encoding(head: bytes) -> str:
    """The encoding of a text file from its first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] != 0:
        return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
        return "cp1252"


def head_text(head: bytes) -> str:
    """The sniffing sample as text (for importers' ``sniff``)."""
    return head.decode(detect_encoding(head), errors="replace").lstrip("\ufeff")


def _check_nul(line: str, number: int) -> None:
    if "\x00" in line:
        raise ImportRefused("contains NUL bytes (binary or corrupt file?)", f"line {number}")


def iter_stream_lines(open_binary: Callable[[], IO[bytes]], *,
                      max_line: int = MAX_LINE_CHARS) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` without line endings, decoding by the stream's encoding,
    from a stream that ``open_binary`` opens (twice: once to sniff), such as a member of a zip.

    Refuses NUL bytes, undecodable bytes and absurdly long lines with the line
    number, rather than crashing or importing garbage.
    """
    with open_binary() as raw:
        encoding = detect_encoding(raw.read(4096))
    with open_binary() as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as handle:
        number = 0
        try:
            # readline(limit): a line is never held beyond the limit, however long it is.
            while line := handle.readline(max_line + 1):
                number += 1
                if len(line) > max_line:
                    raise limits.exceeded("MAX_LINE_CHARS", max_line, "a line too long", f"line {number}")
                _check_nul(line, number)
                yield number, line.rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                f"bytes that are not valid {encoding} ({exc.reason})", f"line {number + 1}"
            ) from exc


def read_text(path: Path) -> str:
    """The whole file as text (for formats that must be read whole, such as JSON)."""
    check_whole_size(Path(path).stat().st_size)
    return decode_text(Path(path).read_bytes())


def check_whole_size(size: int, position: str = "") -> None:
    """Refuse a file (or zip member) too big to be read whole."""
    if size > limits.MAX_WHOLE_FILE_BYTES:
        raise limits.exceeded("MAX_WHOLE_FILE_BYTES", limits.MAX_WHOLE_FILE_BYTES,
                              f"{size:,} bytes to read whole", position)


def decode_text(data: bytes) -> str:
    """:func:`read_text` for bytes already read (a member of a zip)."""
    check_whole_size(len(data))
    encoding = detect_encoding(data[:4096])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(f"bytes that are not valid {encoding}", f"line {line}") from exc
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportRefused("contains NUL bytes (binary or corrupt file?)", f"line {line}")
    return text


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ImportRefused(f"the JSON repeats the key {key!r} in one object; refused, because "
                                "a reader keeps only one of them and the other would be lost")
        result[key] = value
    return result


def _no_constant(name: str) -> object:
    raise ImportRefused(f"the JSON holds {name}, which is not a number; refused")


def load_json(text: str, member: str | None = None) -> object:
    """JSON evidence: a repeated key, NaN or Infinity is refused, never silently resolved.

    ``member`` is the place in a zip, for refusals.
    """
    where = f"{member} " if member else ""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except ImportRefused as exc:
        raise ImportRefused(exc.reason, member or "") from None
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"not valid JSON ({exc.msg}); the file may be truncated",
                            f"{where}line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise ImportRefused("JSON nested too deeply to be an export", member or "") from None
