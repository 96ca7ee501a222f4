"""Font families: which typeface a font name belongs to.

People name the same typeface many ways (仿宋_GB2312, 仿宋, FangSong,
方正仿宋_GBK); the standard asks for the typeface, so the checker compares
families. The family a role needs comes from the profile's font sets.
"""
from __future__ import annotations

from functools import lru_cache

from ..profile import FONT_SETS

# Checked in order: 小标宋 and 仿宋 before 宋 (their names contain 宋).
_FAMILY_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("小标宋", ("小标宋", "xiaobiaosong")),
    ("仿宋", ("仿宋", "fangsong")),
    ("楷体", ("楷", "kaiti")),
    ("黑体", ("黑", "simhei", "heiti")),
    ("宋体", ("宋", "simsun", "songti")),
)


@lru_cache(maxsize=256)
def family(name: str | None) -> str | None:
    """The typeface family of a font name, or None when it is none of the five."""
    if not name:
        return None
    low = name.lower()
    for fam, markers in _FAMILY_MARKERS:
        if any(m in low for m in markers):
            return fam
    return None


@lru_cache(maxsize=16)
def role_families(role: str) -> frozenset[str]:
    """Families acceptable for a font role (body, title, heading1, …) in any font set."""
    return frozenset(f for fs in FONT_SETS.values() if (f := family(fs.role_font(role))))


@lru_cache(maxsize=16)
def role_font_names(role: str) -> str:
    """The profile's font names for a role, for messages: “仿宋_GB2312”或“仿宋”."""
    names = list(dict.fromkeys(fs.role_font(role) for fs in FONT_SETS.values()))
    return "或".join(f"“{n}”" for n in names)
