"""Helpers the rule modules share."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generic, Hashable, Iterator, TypeVar

from ..document import Para
from ..findings import Issue, excerpt

K = TypeVar("K", bound=Hashable)


@dataclass
class _Seen:
    para: Para
    offset: int
    paragraphs: set[int] = field(default_factory=set)  # indexes: "共 N 段" counts paragraphs, not runs

    @property
    def count(self) -> int:
        return len(self.paragraphs)


@dataclass
class Tally(Generic[K]):
    """Groups one fault over many paragraphs: a style-level mistake is one
    finding ("共 40 段") at its first paragraph, not forty."""

    seen: dict[K, _Seen] = field(default_factory=dict)

    def add(self, key: K, para: Para, offset: int = 0) -> None:
        entry = self.seen.get(key)
        if entry is None:
            entry = self.seen[key] = _Seen(para, offset)
        entry.paragraphs.add(para.index)

    def issues(self, message: Callable[[K, int], str]) -> Iterator[Issue]:
        for key, entry in self.seen.items():
            yield Issue(message(key, entry.count), entry.para.index, excerpt(entry.para.text, entry.offset))


def count_note(count: int) -> str:
    return f"（共 {count} 段）" if count > 1 else ""


def pt(value: float | None) -> str:
    """A size in points as Word shows it: 16, 28.95, 10.5."""
    if value is None:
        return "未设置"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def font_label(name: str | None) -> str:
    return f"“{name}”" if name else "未指定中文字体（Word 将用默认字体显示）"
