"""Safe download and archive file names from report titles."""
from __future__ import annotations

import re
from urllib.parse import quote

_UNSAFE_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_MAX_STEM_CHARS = 80


def report_filename(title: str, filename: str = "", ext: str = ".docx") -> str:
    """A file name without path separators or characters Windows refuses.

    Uses ``filename`` when given, else the title; always ends in ``ext``.
    """
    stem = (filename or title).strip()
    if stem.lower().endswith(ext):
        stem = stem[: -len(ext)]
    stem = _UNSAFE_RE.sub("_", " ".join(stem.split()))
    stem = stem.strip(" ._") or "report"
    return stem[:_MAX_STEM_CHARS] + ext


def unique_names(names: list[str]) -> list[str]:
    """Make names unique by adding (2), (3), … before the extension."""
    seen: dict[str, int] = {}
    out = []
    taken = set()
    for name in names:
        candidate = name
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        n = seen.get(name.lower(), 1)
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}({n}).{ext}" if dot else f"{stem}({n})"
        seen[name.lower()] = n
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 ``filename*`` (RFC 6266)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem.encode("ascii", "ignore").decode()).strip("._") or "report"
    fallback = ascii_stem + (f".{ext}" if dot else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
