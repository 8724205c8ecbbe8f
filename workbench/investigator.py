"""Who is at the keyboard: the investigator's profile (rank, number, name), per OS account.

Every write that names a person (audit entries, reviews, decisions, enquiry edits,
continuity, bundles) asks :func:`current` and nothing else, so the name a hearing sees
is the investigator's, with the OS account beside it. The profile is a small JSON file
in the configuration folder, set by ``workbench whoami --set`` or the app's first-run
dialog. A later shared store can answer from its users table inside :func:`profile`.

With no profile set, writes are refused (one line saying how to set it) rather than
recorded under "root": an audit entry cannot be corrected afterwards, and an entry
that names nobody is the very thing a hearing cannot rely on.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workbench.config import config_dir
from workbench.errors import WorkbenchError

PROFILE_FILE_NAME = "investigator.json"
SET_HINT = 'workbench whoami --set "DS 4120 Jane Brown" (or the app\'s first-run dialog)'
_RANK = r"[A-Za-z]{1,6}"
_NUMBER = r"[A-Za-z]{0,3}\d[\w/-]*"
_PROFILE_TEXT = re.compile(rf"^\s*(?P<rank>{_RANK})\s+(?P<number>{_NUMBER})\s+(?P<name>\S.*?)\s*$")


@dataclass(frozen=True)
class Profile:
    """The investigator: rank (``DS``), collar or staff number (``4120``), name."""

    rank: str
    number: str
    name: str

    def __post_init__(self) -> None:
        for field, value in (("rank", self.rank), ("number", self.number), ("name", self.name)):
            if not value.strip():
                raise WorkbenchError(f"the investigator's {field} is empty")

    def __str__(self) -> str:
        return f"{self.rank} {self.number} {self.name}"


def parse(text: str) -> Profile:
    """``"DS 4120 Jane Brown"`` -> Profile; a one-line error for anything else."""
    match = _PROFILE_TEXT.match(text)
    if not match:
        raise WorkbenchError(f"{text!r}: expected RANK NUMBER NAME, e.g. \"DS 4120 Jane Brown\"")
    return Profile(match["rank"].upper(), match["number"], match["name"])


def os_account() -> str:
    """The operating-system login, recorded beside the investigator's name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in some containers
        return "unknown"


def profile_path() -> Path:
    return config_dir() / PROFILE_FILE_NAME


def profile() -> Profile | None:
    """This OS account's investigator profile, or None when not set yet."""
    path = profile_path()
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Profile(str(data["rank"]), str(data["number"]), str(data["name"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise WorkbenchError(f"{path}: not an investigator profile ({exc}); set it again with "
                             f"{SET_HINT}") from exc


def save(new: Profile) -> Path:
    """Store the profile (mode 0600) for this OS account."""
    path = profile_path()
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"rank": new.rank, "number": new.number, "name": new.name}, handle)
    os.replace(temporary, path)
    return path


def require() -> Profile:
    """The profile, or a one-line error saying how to set it."""
    found = profile()
    if found is None:
        raise WorkbenchError(f"no investigator profile for OS account {os_account()!r}: "
                             f"set it with {SET_HINT}")
    return found


def current() -> str:
    """The investigator's name as recorded: ``DS 4120 Jane Brown``; refuses when unset."""
    return str(require())


def current_for(session: Session) -> str:
    """The name recorded for this connection's writes.

    On a unit's shared PostgreSQL store, the unit registers each investigator against
    their own database login (``workbench user add``), and that name is the one
    recorded; otherwise (SQLite, or a login the unit has not registered) this OS
    account's profile. On PostgreSQL the name is looked up once per session (a
    session is one login's: another login is another engine, so another session)
    rather than once per audit entry; :func:`forget_name` drops it after a change.
    """
    if session.get_bind().dialect.name == "postgresql":
        if _NAME_KEY not in session.info:
            session.info[_NAME_KEY] = _registered_name(session)
        if session.info[_NAME_KEY]:
            return str(session.info[_NAME_KEY])
    return current()


_NAME_KEY = "investigator_name"  # Session.info: this login's registered name ("" if none)


def _registered_name(session: Session) -> str:
    from workbench.model import Investigator

    login = session.execute(text("SELECT session_user")).scalar_one()
    return session.scalar(select(Investigator.name).where(Investigator.login == login)) or ""


def forget_name(session: Session) -> None:
    """After the unit changes an investigator's name, look it up again."""
    session.info.pop(_NAME_KEY, None)
