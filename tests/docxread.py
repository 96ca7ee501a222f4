"""Reading rendered documents back, for tests."""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from service.ooxml.reader import DocxFormatting, run_text, w

THEME_ATTR_RE = re.compile(rb"\s[\w]+:(asciiTheme|eastAsiaTheme|hAnsiTheme|cstheme|themeColor|themeTint|themeShade|themeFill|themeFillTint|themeFillShade)=")


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def xml(docx: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(docx)[name])


def body_text(docx: bytes) -> str:
    """All text of the body, paragraphs joined by newlines (w:br as newline too)."""
    fmt = DocxFormatting(docx)
    return "\n".join(p.text for p in fmt.paragraphs())


def footer_texts(docx: bytes) -> dict[str, str]:
    out = {}
    for name, data in parts(docx).items():
        if name.startswith("word/footer"):
            root = etree.fromstring(data)
            out[name] = "".join(run_text(r) for r in root.iter(w("r")))
    return out
