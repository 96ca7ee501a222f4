"""What the checker reports: findings with a rule id, a severity, a Chinese
message and a location, in the public contract's JSON shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# Characters of paragraph text quoted in a location.
EXCERPT_CHARS = 30


def excerpt(text: str, start: int = 0, width: int = EXCERPT_CHARS) -> str:
    """A short, one-line quote of ``text`` from about ``start`` (with … where cut)."""
    flat = text.replace("\n", " ").replace("\t", " ")
    begin = max(0, min(start, len(flat)) - width // 3) if start else 0
    piece = flat[begin : begin + width]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if begin + width < len(flat) else ""
    return prefix + piece + suffix


@dataclass(frozen=True)
class Issue:
    """What a rule function reports; the registry adds the rule id and severity."""

    message: str
    paragraph: int | None = None
    text: str = ""


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: dict[str, Any] = field(default_factory=lambda: {"paragraph": None, "text": ""})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "location": {"paragraph": self.location.get("paragraph"), "text": self.location.get("text", "")},
        }


@dataclass
class LintReport:
    ok: bool  # no error-severity finding
    findings: list[Finding]

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def rules(self, severity: Severity | None = None) -> set[str]:
        return {f.rule for f in self.findings if severity is None or f.severity == severity}

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [f.as_dict() for f in self.findings]}
