"""Errors the workbench reports to the user as one clear line."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A failure the user can act on; the CLI prints it as one line and exits 1."""


class NotFound(WorkbenchError):
    """A case, person, marker or exhibit that does not exist."""


class CaseFileError(WorkbenchError):
    """A case description file that cannot be loaded."""

    def __init__(self, file: str, where: str, reason: str) -> None:
        super().__init__(f"{file}: {where}: {reason}")
        self.file, self.where, self.reason = file, where, reason


class ImportRefused(WorkbenchError):
    """An evidence file that cannot be imported; nothing of it is kept.

    ``position`` names the place in the file (``line 57``, ``record 12``,
    ``messages[3]``) or is empty when the problem concerns the whole file.
    """

    def __init__(self, reason: str, position: str = "", file: str = "") -> None:
        self.reason, self.position, self.file = reason, position, file
        super().__init__(self._text())

    def _text(self) -> str:
        return ": ".join(part for part in (self.file, self.position, self.reason) if part)

    def in_file(self, file: str) -> ImportRefused:
        """The same refusal, naming the file."""
        return ImportRefused(self.reason, self.position, file)


def brief(exc: BaseException) -> str:
    """An exception from a library as a short single line for a refusal: its kind, and its
    message when that is one line that names no file path (a store path is internal)."""
    detail = str(exc).strip()
    if not detail or "\n" in detail or "/" in detail or "\\" in detail or len(detail) > 200:
        return type(exc).__name__
    return f"{type(exc).__name__}: {detail}"


class Cancelled(Exception):
    """Raised by a long-running function when its cancel token is set."""
