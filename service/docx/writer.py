"""Blocks → the body of ``word/document.xml``.

Knows the XML, not the genre: each block type maps to one paragraph with a
style from the base template and, where the layout computed them, direct
indents. Fonts live in the styles, so runs carry no font names.
"""
from __future__ import annotations

from functools import singledispatch

from .. import layout as L
from ..profile import PROFILE, Gbt9704Profile
from . import base_template as T
from .xml import ParaProps, paragraph, run


def _space(lines: int, p: Gbt9704Profile) -> int | None:
    return p.lines_twips(lines) if lines else None


@singledispatch
def block_xml(block: object, p: Gbt9704Profile = PROFILE) -> str:
    raise TypeError(f"no writer for block {type(block).__name__}")


@block_xml.register
def _title(block: L.Title, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_TITLE, run("\n".join(block.lines)))


@block_xml.register
def _title_note(block: L.TitleNote, p: Gbt9704Profile = PROFILE) -> str:
    style = T.S_SUBTITLE if block.role == "subtitle" else T.S_SPEAKER
    return paragraph(style, run("\n".join(block.lines)))


@block_xml.register
def _recipient(block: L.Recipient, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_RECIPIENT, run(block.text), _spaced(block.space_before_lines, p))


@block_xml.register
def _salutation(block: L.Salutation, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_SALUTATION, run(block.text), _spaced(block.space_before_lines, p))


@block_xml.register
def _paragraph(block: L.Paragraph, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_BODY, run(block.text), _spaced(block.space_before_lines, p))


@block_xml.register
def _heading(block: L.Heading, p: Gbt9704Profile = PROFILE) -> str:
    i = block.level - 1
    props = ParaProps(
        num_id=T.HEADING_NUM_ID if block.native_numbering else None,
        num_level=i if block.native_numbering else None,
        space_before_twips=_space(block.space_before_lines, p),
    )
    label = "" if block.native_numbering else block.label
    if block.body is None:
        return paragraph(T.S_HEADING[i], run(label + block.text), props)
    # Run-in heading: the heading sentence in the heading font, then the body
    # text in body type, in one paragraph.
    return paragraph(T.S_RUN_IN[i], run(label + block.text, T.C_HEADING[i]) + run(block.body), props)


@block_xml.register
def _attachment(block: L.AttachmentItem, p: Gbt9704Profile = PROFILE) -> str:
    props = ParaProps(
        space_before_twips=_space(block.space_before_lines, p),
        left_twips=block.left_twips,
        hanging_twips=block.hanging_twips,
    )
    return paragraph(T.S_ATTACHMENT, run(block.prefix + block.name), props)


@block_xml.register
def _signature(block: L.Signature, p: Gbt9704Profile = PROFILE) -> str:
    props = ParaProps(space_before_twips=_space(block.space_before_lines, p), right_twips=block.right_twips)
    return paragraph(T.S_SIGNATURE, run(block.text), props)


@block_xml.register
def _date(block: L.DateLine, p: Gbt9704Profile = PROFILE) -> str:
    if block.left_twips is not None:
        props = ParaProps(space_before_twips=_space(block.space_before_lines, p), left_twips=block.left_twips, jc="left")
    else:
        props = ParaProps(space_before_twips=_space(block.space_before_lines, p), right_twips=block.right_twips, jc="right")
    return paragraph(T.S_DATE, run(block.text), props)


def _spaced(lines: int, p: Gbt9704Profile) -> ParaProps | None:
    return ParaProps(space_before_twips=p.lines_twips(lines)) if lines else None


def body_xml(blocks: list[L.Block], p: Gbt9704Profile = PROFILE) -> str:
    return "".join(block_xml(b, p) for b in blocks)
