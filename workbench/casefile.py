"""Case description files (TOML) -> a case, validated before anything is created."""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, overload

from sqlalchemy import select

from workbench import audit
from workbench.errors import CaseFileError, WorkbenchError
from workbench.identifiers import BadIdentifier, normalise
from workbench.model import Case, Engagement, Identifier, Person, Place
from workbench.model.vocab import CLASSIFICATIONS, IDENTIFIER_KINDS, ROLES, USES, VULNERABILITIES
from workbench.store import Store
from workbench.timeutil import local_to_utc, zone

CASE_KEYS = {"ref", "title", "classification", "timezone", "opened", "status"}
PERSON_KEYS = {"key", "name", "role", "collar", "cipher", "vulnerabilities", "identifiers",
               "home", "notes"}


class _Reader:
    """Validation helpers that name the file and the place of each problem."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, reason: str) -> CaseFileError:
        return CaseFileError(self.file, where, reason)

    @overload
    def text(self, table: dict[str, Any], key: str, where: str,
             required: Literal[True] = True) -> str: ...

    @overload
    def text(self, table: dict[str, Any], key: str, where: str, required: bool) -> str | None: ...

    def text(self, table: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(where, f"'{key}' is required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"{where}.{key}", "must be non-empty text")
        return value.strip()

    def day(self, value: Any, where: str) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(where, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def moment(self, value: Any, where: str, tz_name: str) -> datetime:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, datetime.min.time())
        else:
            try:
                moment = datetime.fromisoformat(str(value))
            except ValueError:
                raise self.fail(where, f"{value!r} is not a date and time (ISO 8601)") from None
        return local_to_utc(moment, zone(tz_name))[0]


def load(path: Path | str) -> dict[str, Any]:
    """Parse and validate a case file; returns plain data ready for :func:`create_case`."""
    path = Path(path)
    reader = _Reader(path.name)
    try:
        raw_bytes = path.read_bytes()
        raw = tomllib.loads(raw_bytes.decode("utf-8-sig"))
    except FileNotFoundError:
        raise reader.fail("file", "no such file") from None
    except UnicodeDecodeError as exc:
        raise reader.fail("file", f"not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise reader.fail("syntax", str(exc)) from None
    case = raw.get("case")
    if not isinstance(case, dict):
        raise reader.fail("[case]", "missing the [case] table")
    unknown = set(case) - CASE_KEYS
    if unknown:
        raise reader.fail("[case]", f"unknown field(s): {', '.join(sorted(unknown))}")
    data: dict[str, Any] = {
        "ref": reader.text(case, "ref", "[case]"),
        "title": reader.text(case, "title", "[case]"),
        "classification": (reader.text(case, "classification", "[case]", False)
                           or "OFFICIAL-SENSITIVE").upper(),
        "timezone": reader.text(case, "timezone", "[case]", False) or "Europe/London",
        "opened": reader.day(case["opened"], "[case].opened") if "opened" in case else None,
    }
    # The case file is a source too: bundles name its hash beside the facts taken from it.
    data["source"] = {"file": path.name, "sha256": hashlib.sha256(raw_bytes).hexdigest()}
    if data["classification"] not in CLASSIFICATIONS:
        raise reader.fail("[case].classification",
                          f"{data['classification']!r} is not one of {', '.join(CLASSIFICATIONS)}")
    try:
        zone(data["timezone"])
    except WorkbenchError as exc:
        raise reader.fail("[case].timezone", str(exc)) from None
    data["people"] = _people(reader, raw.get("person", []))
    keys = {p["key"]: p for p in data["people"]}
    data["engagements"] = _engagements(reader, raw.get("engagement", []), keys, data["timezone"])
    extra = set(raw) - {"case", "person", "engagement"}
    if extra:
        raise reader.fail("file", f"unknown table(s): {', '.join(sorted(extra))}")
    return data


def _people(reader: _Reader, people: Any) -> list[dict[str, Any]]:
    if not isinstance(people, list) or not people:
        raise reader.fail("[[person]]", "a case needs at least one person")
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    owners: dict[tuple[str, str], str] = {}
    for index, table in enumerate(people, start=1):
        where = f"person {index}"
        if not isinstance(table, dict):
            raise reader.fail(where, "must be a table")
        key = reader.text(table, "key", where)
        where = f"person '{key}'"
        if key in seen:
            raise reader.fail(where, "duplicate key")
        seen.add(key)
        unknown = set(table) - PERSON_KEYS
        if unknown:
            raise reader.fail(where, f"unknown field(s): {', '.join(sorted(unknown))}")
        role = reader.text(table, "role", where)
        if role not in ROLES:
            raise reader.fail(f"{where}.role", f"unknown role {role!r} (one of {', '.join(ROLES)})")
        vulnerabilities = table.get("vulnerabilities", [])
        if not isinstance(vulnerabilities, list):
            raise reader.fail(f"{where}.vulnerabilities", "must be a list")
        for factor in vulnerabilities:
            if factor not in VULNERABILITIES:
                raise reader.fail(f"{where}.vulnerabilities",
                                  f"unknown factor {factor!r} (known: {', '.join(VULNERABILITIES)})")
        identifiers = []
        for number, ident in enumerate(table.get("identifiers", []), start=1):
            identifiers.append(_identifier(reader, ident, f"{where} identifier {number}", owners, key))
        home = table.get("home")
        if home is not None:
            home = _place(reader, home, f"{where}.home")
        result.append({
            "key": key, "name": reader.text(table, "name", where), "role": role,
            "collar": reader.text(table, "collar", where, False),
            "cipher": reader.text(table, "cipher", where, False),
            "notes": reader.text(table, "notes", where, False),
            "vulnerabilities": list(vulnerabilities), "identifiers": identifiers, "home": home,
        })
    return result


def _identifier(reader: _Reader, ident: Any, where: str, owners: dict[tuple[str, str], str],
                person: str) -> dict[str, str]:
    if not isinstance(ident, dict):
        raise reader.fail(where, "must be an inline table { kind = ..., value = ... }")
    kind = reader.text(ident, "kind", where)
    if kind not in IDENTIFIER_KINDS:
        raise reader.fail(f"{where}.kind", f"unknown kind {kind!r} (known: {', '.join(IDENTIFIER_KINDS)})")
    display = reader.text(ident, "value", where)
    use = ident.get("use", "unknown")
    if use not in USES:
        raise reader.fail(f"{where}.use", f"{use!r} is not one of {', '.join(USES)}")
    try:
        value = normalise(kind, display, strict=True)
    except BadIdentifier as exc:
        raise reader.fail(f"{where}.value", str(exc)) from None
    if (kind, value) in owners:
        raise reader.fail(where, f"{kind} {display!r} is already listed for '{owners[(kind, value)]}'")
    owners[(kind, value)] = person
    return {"kind": kind, "value": value, "display": display, "use": use}


def _place(reader: _Reader, home: Any, where: str) -> dict[str, Any]:
    if not isinstance(home, dict):
        raise reader.fail(where, "must be a table { lat = ..., lon = ... }")
    try:
        lat, lon = float(home["lat"]), float(home["lon"])
    except (KeyError, TypeError, ValueError):
        raise reader.fail(where, "needs numeric lat and lon") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise reader.fail(where, "lat/lon out of range")
    radius = float(home.get("radius", 150))
    if radius <= 0:
        raise reader.fail(f"{where}.radius", "must be positive (metres)")
    return {"lat": lat, "lon": lon, "label": str(home.get("label", "Home address")), "radius": radius}


def _engagements(reader: _Reader, items: Any, people: dict[str, Any], tz: str) -> list[dict[str, Any]]:
    result = []
    for index, table in enumerate(items, start=1):
        where = f"engagement {index}"
        if not isinstance(table, dict):
            raise reader.fail(where, "must be a table")
        officer = reader.text(table, "officer", where)
        member = reader.text(table, "member", where)
        for role_key, key in (("officer", officer), ("member", member)):
            if key not in people:
                raise reader.fail(f"{where}.{role_key}", f"unknown person {key!r}")
        if "started" not in table:
            raise reader.fail(where, "'started' is required")
        started = reader.moment(table["started"], f"{where}.started", tz)
        concluded = (reader.moment(table["concluded"], f"{where}.concluded", tz)
                     if table.get("concluded") else None)
        if concluded and concluded < started:
            raise reader.fail(f"{where}.concluded", "is before 'started'")
        result.append({
            "officer": officer, "member": member, "kind": reader.text(table, "kind", where),
            "reference": reader.text(table, "reference", where, False),
            "outcome": reader.text(table, "outcome", where, False),
            "started": started, "concluded": concluded,
        })
    return result


def create_case(store: Store, data: dict[str, Any]) -> str:
    """Create the case described by validated data (from :func:`load`); returns its ref."""
    with store.session() as session:
        if session.scalars(select(Case).where(Case.ref == data["ref"])).first():
            raise WorkbenchError(f"case {data['ref']} already exists")
        case = Case(ref=data["ref"], title=data["title"], classification=data["classification"],
                    timezone=data["timezone"], opened=data["opened"])
        session.add(case)
        session.flush()
        people: dict[str, Person] = {}
        for entry in data["people"]:
            person = Person(case_id=case.id, key=entry["key"], name=entry["name"],
                            role=entry["role"], collar=entry["collar"], cipher=entry["cipher"],
                            notes=entry["notes"], vulnerabilities=entry["vulnerabilities"])
            case.people.append(person)
            people[entry["key"]] = person
            for ident in entry["identifiers"]:
                session.add(Identifier(case=case, person=person, **ident))
            if entry["home"]:
                home = entry["home"]
                case.places.append(Place(person=person, label=home["label"], lat=home["lat"],
                                         lon=home["lon"], radius_m=home["radius"]))
        for item in data["engagements"]:
            case.engagements.append(Engagement(
                officer=people[item["officer"]], member=people[item["member"]], kind=item["kind"],
                reference=item["reference"], outcome=item["outcome"],
                started=item["started"], concluded=item["concluded"]))
        session.flush()
        audit.append(session, case, "case_create", {
            "ref": case.ref, "title": case.title, "people": sorted(people),
            "engagements": len(data["engagements"]), "case_file": data.get("source"),
        })
        return case.ref
