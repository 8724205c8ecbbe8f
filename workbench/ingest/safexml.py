"""Reading hostile-or-broken XML evidence safely, with refusals a user can act on.

Every XML importer goes through defusedxml: entity declarations (the
billion-laughs expansion bomb and external entities that read local files or
reach the network) are refused outright, because no genuine export needs them.
Parsing is incremental so a multi-gigabyte backup never sits in memory.
"""

from __future__ import annotations

import xml.sax
import xml.sax.expatreader
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
import defusedxml.expatreader
from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from workbench.errors import ImportRefused

CHUNK = 1 << 20
T = TypeVar("T")


def refusal(exc: BaseException) -> ImportRefused:
    """The refusal for a defusedxml or expat failure."""
    if isinstance(exc, EntitiesForbidden):
        return ImportRefused(
            f"the XML declares an entity ({exc.name!r}); refused because entity expansion "
            "and external entities are used to attack the reader, and no genuine export has them"
        )
    if isinstance(exc, ExternalReferenceForbidden):
        return ImportRefused("the XML refers to an external resource; refused")
    if isinstance(exc, DTDForbidden):
        return ImportRefused("the XML declares a DTD; refused")
    if isinstance(exc, DefusedXmlException):
        return ImportRefused(f"unsafe XML refused ({exc})")
    if isinstance(exc, xml.sax.SAXParseException):
        # expat always reports a position; the stubs allow None for other readers.
        column = exc.getColumnNumber()
        shown_column = column + 1 if column is not None else "?"
        return ImportRefused(f"not well-formed XML ({exc.getMessage()})",
                             f"line {exc.getLineNumber()}, column {shown_column}")
    if isinstance(exc, ParseError):
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        return ImportRefused(f"not well-formed XML ({reason})", f"line {line}, column {column + 1}")
    return ImportRefused(f"unreadable XML ({exc})")


class RecordHandler(xml.sax.ContentHandler):
    """A SAX handler that collects finished records in ``ready`` for the feeder to yield."""

    def __init__(self) -> None:
        super().__init__()
        self.ready: list[Any] = []
        self.number = 0  # records started so far, for messages
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:  # noqa: N802
        self.locator = locator

    @property
    def line(self) -> int:
        line = self.locator.getLineNumber() if self.locator else None
        return line if line is not None else 0


def sax_records(
    stream: IO[bytes], handler: RecordHandler, size: int,
    report: Callable[[float, str], None],
) -> Iterator[Any]:
    """Feed ``stream`` to a defused SAX parser chunk by chunk, yielding the handler's records.

    Refusals raised by the handler (``ImportRefused``) pass through unchanged.
    """
    parser = defusedxml.expatreader.create_parser(forbid_dtd=False, forbid_entities=True,
                                                  forbid_external=True)
    parser.setContentHandler(handler)
    # feed() (unlike parse()) never hands the handler a locator: give it one.
    handler.setDocumentLocator(xml.sax.expatreader.ExpatLocator(parser))
    done = 0
    try:
        while chunk := stream.read(CHUNK):
            done += len(chunk)
            parser.feed(chunk)
            yield from handler.ready
            handler.ready.clear()
            report(done / size if size else 0.0, "Reading XML")
    except (DefusedXmlException, xml.sax.SAXParseException) as exc:
        raise refusal(exc) from None
    except LookupError as exc:  # an encoding="..." that Python does not know
        raise ImportRefused(f"the XML declares an unknown encoding ({exc})") from None
    try:
        parser.close()
    except xml.sax.SAXParseException as exc:
        raise ImportRefused(
            "the XML stops before its elements are closed: the file looks truncated "
            f"(a partial export or an interrupted copy; it breaks off in record {handler.number})",
            f"line {exc.getLineNumber()}"
        ) from None
    yield from handler.ready
    handler.ready.clear()


def iter_elements(stream: IO[bytes], events: tuple[str, ...] = ("start", "end")
                  ) -> Iterator[tuple[str, Element]]:
    """``iterparse`` through defusedxml, with its failures turned into refusals."""
    try:
        yield from DefusedET.iterparse(stream, events=events, forbid_dtd=False,
                                       forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError) as exc:
        raise refusal(exc) from None
    except LookupError as exc:  # an encoding="..." that Python does not know
        raise ImportRefused(f"the XML declares an unknown encoding ({exc})") from None


def local_name(tag: str) -> str:
    """``{namespace}model`` -> ``model``."""
    return tag.rsplit("}", 1)[-1]
