"""What the importer hands back, and how it fails."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Why a piece of the input is not in any field of the output:
#   noise     – web-page furniture (site names, pagination, share lines …)
#   label     – a heading label or attachment marker; the engine renumbers
#   date      – a date line, stored in ISO form in the report's ``date``
#   invisible – zero-width or control characters XML cannot hold
RemovedKind = Literal["noise", "label", "date", "invisible"]


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of the input that does not reach the output verbatim."""

    kind: RemovedKind
    line: int  # 1-based line (text) or paragraph (.docx) where it starts
    text: str
    last_line: int = 0  # where it ends, when it spans several lines

    @property
    def where(self) -> str:
        return f"{self.line}–{self.last_line}" if self.last_line > self.line else f"{self.line}"


class ImportWarning(dict):
    """A guess or a removal worth telling: ``{"line", "message", "code"}`` (contract v1.1).

    A dict, so that JSON encoders take it as it is; ``str()`` gives the
    sentence people read where there is no room for the line beside it.
    """

    def __init__(self, message: str, line: int | None = None, code: str = "note") -> None:
        super().__init__(line=line, message=message, code=code)

    @property
    def line(self) -> int | None:
        return self["line"]

    @property
    def message(self) -> str:
        return self["message"]

    @property
    def code(self) -> str:
        return self["code"]

    def __str__(self) -> str:
        if not self.line or f"第 {self.line} " in self.message:
            return self.message
        return f"第 {self.line} 行：{self.message}"


@dataclass(slots=True)
class ImportResult:
    """Reports found in the input, each valid for ``service.model.validate_report``."""

    reports: list[dict[str, Any]]
    warnings: list[ImportWarning] = field(default_factory=list)
    # Accounting for every character that is not in a report field, so that
    # callers (and the tests) can check that no body text disappeared.
    removed: list[Removed] = field(default_factory=list)


class ImportFailed(ValueError):
    """The input cannot be imported at all; the message is Chinese, for people."""
