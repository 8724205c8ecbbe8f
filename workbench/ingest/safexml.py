"""Reading hostile-or-broken XML evidence safely, with refusals a user can act on.

Every XML importer goes through defusedxml: entity declarations (the
billion-laughs expansion bomb and external entities that read local files or
reach the network) are refused outright, because no genuine export needs them.
Attribute defaults declared in a DTD (``<!ATTLIST sms body CDATA "...1 MiB...">``,
which would give every empty element a megabyte body) are refused too, and no
attribute value or text run may exceed ``limits.MAX_XML_TOKEN_BYTES``: the gap
between two ``<`` bytes is measured as the bytes arrive, before expat buffers it.
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
from workbench.ingest import limits

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
    if isinstance(exc, AttributeDefaultForbidden):
        return ImportRefused("the XML declares attribute defaults (<!ATTLIST>); refused, because "
                             "they give every element hidden content, and no genuine export has "
                             "them")
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


class AttributeDefaultForbidden(DefusedXmlException):
    """A DTD declares attribute defaults (``<!ATTLIST ...>``)."""

    def __str__(self) -> str:
        return "the XML declares attribute defaults (<!ATTLIST>)"


def _refuse_attlist(*_args: object) -> None:
    raise AttributeDefaultForbidden()


class _ExpatParser(defusedxml.expatreader.DefusedExpatParser):
    """defusedxml's SAX parser that also refuses attribute-list declarations."""

    def reset(self) -> None:
        super().reset()
        self._parser.AttlistDeclHandler = _refuse_attlist


class BoundedStream:
    """A binary stream that refuses a run of more than ``MAX_XML_TOKEN_BYTES`` without ``<``.

    No attribute value or text may contain ``<``, so the gap bounds them all; it is
    checked on the raw bytes, before the parser buffers them.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.offset, self.last_open = stream, 0, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        first = chunk.find(b"<")
        if first < 0:
            gap = self.offset + len(chunk) - self.last_open
        else:
            gap = self.offset + first - self.last_open
            self.last_open = self.offset + chunk.rfind(b"<")
        if gap > limits.MAX_XML_TOKEN_BYTES:
            raise limits.exceeded("MAX_XML_TOKEN_BYTES", limits.MAX_XML_TOKEN_BYTES,
                                  "an XML attribute value or text run",
                                  f"byte {self.last_open:,}")
        self.offset += len(chunk)
        return chunk


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
    parser = _ExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    bounded = BoundedStream(stream)
    parser.setContentHandler(handler)
    # feed() (unlike parse()) never hands the handler a locator: give it one.
    handler.setDocumentLocator(xml.sax.expatreader.ExpatLocator(parser))
    done = 0
    try:
        while chunk := bounded.read(CHUNK):
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
    parser = DefusedET.DefusedXMLParser(target=DefusedET._TreeBuilder(), forbid_dtd=False,
                                        forbid_entities=True, forbid_external=True)
    parser.parser.AttlistDeclHandler = _refuse_attlist
    try:
        yield from DefusedET.iterparse(BoundedStream(stream), events=events, parser=parser)
    except (DefusedXmlException, ParseError) as exc:
        raise refusal(exc) from None
    except LookupError as exc:  # an encoding="..." that Python does not know
        raise ImportRefused(f"the XML declares an unknown encoding ({exc})") from None


def local_name(tag: str) -> str:
    """``{namespace}model`` -> ``model``."""
    return tag.rsplit("}", 1)[-1]
