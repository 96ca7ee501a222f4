"""Safe download and archive file names from report titles."""
from __future__ import annotations

import re
from urllib.parse import quote

_UNSAFE_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
# Bidi controls (embeddings, overrides, isolates, marks) can make "报告\u202excod.exe"
# display as "报告exe.docx": they never reach a file name.
_BIDI_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Device names Windows will not create a file under, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{d}{n}" for d in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
_MAX_STEM_CHARS = 80


def report_filename(title: str, filename: str = "", ext: str = ".docx") -> str:
    """A file name without path separators or characters Windows refuses.

    Uses ``filename`` when given, else the title; always ends in ``ext``.
    """
    stem = (filename or title).strip()
    if stem.lower().endswith(ext):
        stem = stem[: -len(ext)]
    stem = _UNSAFE_RE.sub("_", " ".join(_BIDI_RE.sub("", stem).split()))
    stem = stem.strip(" ._")[:_MAX_STEM_CHARS].rstrip(" .") or "report"
    if stem.split(".", 1)[0].strip().upper() in _RESERVED:
        stem = f"_{stem}"
    return stem + ext


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
    filename = _BIDI_RE.sub("", filename)
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem.encode("ascii", "ignore").decode()).strip("._") or "report"
    fallback = ascii_stem + (f".{ext}" if dot else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
