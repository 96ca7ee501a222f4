"""Heading labels as people type them, on top of :mod:`service.numbering`.

``numbering.LABEL_RE`` is the shared definition of a label; this module adds
what an importer meets in the wild and the writer never produces: labels with
only a closing bracket ("1）", "一）"), a stray "、" after a bracketed label
("（一）、"), and the guard that "1,000万元" is a number, not a label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import numbering

# How deep a label family conventionally sits: 一、 above （一） above 1. above
# （1） above ①. Used only to break ties the document itself does not settle.
# "part" and "sub" are unlabelled headings above and below the labelled ones.
RANK = {
    "part": 0,
    "cn": 1,
    "cn_paren": 2,
    "cn_rparen": 2,
    "num": 3,
    "num_paren": 4,
    "num_rparen": 4,
    "circled": 5,
    "sub": 9,  # an unlabelled heading inside a labelled section: below what is open
}

_CN = f"[{numbering.CHINESE_NUMERAL_CHARS}]+"
_RPAREN_RE = re.compile(rf"^[\s\u3000]*(?:(?P<cn_rparen>{_CN})|(?P<num_rparen>\d{{1,3}}))[)）][\s\u3000]*")
_TRAILING_MARK_RE = re.compile(r"^[、.．,，][\s\u3000]*")
MAX_STACKED_LABELS = 3  # "一、（一）1." is as many as a heading carries
MAX_LABEL_ONLY_CHARS = 24  # longer than any run of stacked labels with their spaces


@dataclass(frozen=True, slots=True)
class Label:
    text: str  # exactly as typed, surrounding white space included
    kind: str  # a key of RANK
    value: int

    @property
    def shown(self) -> str:
        """The label as a warning quotes it: “三、”."""
        return self.text.strip()


def _value(kind: str, digits: str) -> int:
    if kind.startswith("cn"):
        return numbering.parse_chinese_number(digits)
    return int(digits)


def _match(text: str) -> tuple[Label | None, str]:
    m = numbering.LABEL_RE.match(text)
    if m:
        kind = next(k for k, v in m.groupdict().items() if v is not None)
        rest = text[m.end() :]
        # "1,000万元" and "1.5倍" are numbers: a label is never followed directly
        # by a digit ("1. 2022年……" with a space is a label).
        if kind == "num" and rest[:1].isdigit() and not text[m.end() - 1].isspace():
            return None, text
        digits = m.group(kind)
        try:
            value = ord(digits) - 0x2460 + 1 if kind == "circled" else _value(kind, digits)
        except ValueError:
            return None, text
        return Label(text[: m.end()], kind, value), rest
    m = _RPAREN_RE.match(text)
    if m:
        kind = next(k for k, v in m.groupdict().items() if v is not None)
        try:
            value = _value(kind, m.group(kind))
        except ValueError:
            return None, text
        return Label(text[: m.end()], kind, value), text[m.end() :]
    return None, text


@lru_cache(maxsize=8192)  # every pass asks about the same lines
def read_label(text: str) -> tuple[Label | None, str]:
    """Split ``text`` into its leading label (or None) and the rest."""
    label, rest = _match(text)
    if label is None:
        return None, text
    extra = _TRAILING_MARK_RE.match(rest) if label.kind.endswith(("paren", "circled")) else None
    if extra:
        label = Label(label.text + extra.group(), label.kind, label.value)
        rest = rest[extra.end() :]
    # A second label right after the first ("一、（一）…") would be stripped
    # again by the model; it is part of the label, not of the heading. A few
    # at most: "一、一、一、…" typed a thousand times is text, and looping over
    # it would cost time quadratic in its length.
    for _ in range(MAX_STACKED_LABELS - 1):
        again, after = _match(rest)
        if again is None:
            break
        label = Label(label.text + again.text, label.kind, label.value)
        rest = after
    return label, rest


def is_label_only(text: str) -> bool:
    if len(text) > MAX_LABEL_ONLY_CHARS:  # cheap: a long paragraph is never just labels
        return False
    label, rest = read_label(text)
    return label is not None and not rest.strip()
