"""The rule thresholds, read from ``resources/rules.toml`` (editable without code changes)."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.model.vocab import SEVERITIES

RULES_FILE = "rules.toml"


@dataclass(frozen=True)
class Settings:
    """Thresholds by section; :meth:`value` names the file and key of anything missing."""

    sections: dict[str, dict[str, Any]]
    source: str
    digest: str = ""  # SHA-256 of the file, recorded in the audit entry of each run

    def value(self, section: str, key: str) -> Any:
        """One threshold, or a clear error naming the file and the missing key."""
        try:
            return self.sections[section][key]
        except KeyError:
            raise WorkbenchError(f"{self.source}: [{section}] {key}: missing threshold") from None

    def number(self, section: str, key: str) -> float:
        value = self.value(section, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise WorkbenchError(f"{self.source}: [{section}] {key}: must be a number")
        return float(value)

    def severity(self, rule: str) -> str:
        """The starting severity of a rule."""
        value = self.value("severity", rule)
        if value not in SEVERITIES:
            raise WorkbenchError(
                f"{self.source}: [severity] {rule}: {value!r} is not one of {', '.join(SEVERITIES)}"
            )
        return str(value)


def load_settings(path: Path | str | None = None) -> Settings:
    """The thresholds from ``path``, or the packaged ``resources/rules.toml``."""
    if path is None:
        source = resources.files("resources").joinpath(RULES_FILE)
        name = f"resources/{RULES_FILE}"
        raw = source.read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise WorkbenchError(f"{name}: cannot read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise WorkbenchError(f"{name}: {exc}") from None
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Settings({k: v for k, v in data.items() if isinstance(v, dict)}, name, digest)
