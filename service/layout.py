"""Report → an ordered list of typed blocks.

The layout knows the genre (what comes after the title, how headings are
numbered, where the signature goes), not the XML. The package writer turns
each block into WordprocessingML.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator, Sequence, Union

from . import numbering
from .dates import format_date
from .model import AnySection, Attachment, Header, LeadParagraph, PartSection, Report, TableItem, attachment_name
from .model import Record as RecordModel
from .profile import PROFILE, Gbt9704Profile, run_in_heading, text_width_twips
from .tables import Table, TableCell, TableRow, table_block
from .templates import get_kind


@dataclass(frozen=True, slots=True)
class Title:
    lines: tuple[str, ...]
    space_before_twips: int = 0


@dataclass(frozen=True, slots=True)
class HeaderLine:
    """份号, 密级 or 紧急程度: flush left at the top of the first page."""

    text: str


@dataclass(frozen=True, slots=True)
class IssuerMark:
    """发文机关标志: red, centred, its top 35 mm below the top of the text block."""

    text: str
    space_before_twips: int


@dataclass(frozen=True, slots=True)
class DocNumber:
    """发文字号 (and 签发人 of a report to a higher body), with the red rule under it."""

    number: str
    signer: str
    space_before_twips: int


@dataclass(frozen=True, slots=True)
class Record:
    """版记 at the foot of the last page: 抄送, 印发机关 and 印发日期 between rules."""

    cc: str  # "抄送：A，B。" or ""
    printer: str
    print_date: str  # "2022年12月6日印发" or ""
    height_twips: int


@dataclass(frozen=True, slots=True)
class TitleNote:
    """Centred lines under the title: subtitle ("——在……会议上") or speaker."""

    role: str  # "subtitle" | "speaker"
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recipient:
    text: str
    space_before_lines: int = 1


@dataclass(frozen=True, slots=True)
class Salutation:
    text: str
    space_before_lines: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    space_before_lines: int = 0
    keep_with_next: bool = False  # the last body paragraph travels with the signature
    lead: str = ""  # 段首句 before the text, in the lead font (options.lead_style)
    lead_style: str = "bold"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1-4
    label: str  # 一、 （一） 1. （1）
    text: str  # the heading without its label
    body: str | None = None  # run-in: the rest of the paragraph, in body type
    native_numbering: bool = False  # label drawn by Word's list numbering
    space_before_lines: int = 0
    body_lead: str = ""  # run-in body opening with a 段首句
    lead_style: str = "bold"
    num_instance: int = 0  # native numbering: 0 for the main text, n for attachment n (restarts at 一、)


@dataclass(frozen=True, slots=True)
class Part:
    """A part heading above 一、: centred, level-1 heading font, a blank line above."""

    label: str  # "第一部分\u3000" with options.part_labels = ordinal, else ""
    text: str
    space_before_lines: int = 1


@dataclass(frozen=True, slots=True)
class AttachmentItem:
    prefix: str  # "附件：1." on the first item, "2." later, "附件：" when only one
    name: str
    left_twips: int  # where wrapped lines of the name start
    hanging_twips: int  # how far the first line starts left of that
    space_before_lines: int = 0
    keep_with_next: bool = False


@dataclass(frozen=True, slots=True)
class AttachmentPage:
    """The head of an attachment page: "附件N" on line 1 (new page), its title on line 3."""

    label: str  # 附件 / 附件1
    title_lines: tuple[str, ...]
    title_space_lines: int = 1  # blank lines between the label and the title


@dataclass(frozen=True, slots=True)
class Signature:
    text: str
    right_twips: int
    space_before_lines: int


@dataclass(frozen=True, slots=True)
class DateLine:
    text: str
    left_twips: int | None = None  # set: left-aligned at this indent
    right_twips: int | None = None  # set: right-aligned with this indent
    space_before_lines: int = 0


Block = Union[
    HeaderLine, IssuerMark, DocNumber, Title, TitleNote, Recipient, Salutation, Paragraph, Heading, Part,
    AttachmentItem, Signature, DateLine, Record, Table, AttachmentPage,
]


def split_paragraphs(text: str) -> list[str]:
    """A newline inside a paragraph string starts a new paragraph.

    Leading and trailing white space (also the full-width indent people type
    by hand) is layout, not content: the style indents every paragraph.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]


# ---------------------------------------------------------------------------
# Title lines


# Positions where a title reads well broken: after these words …
_BREAK_AFTER = ("关于", "的", "和", "与", "及", "暨", "、", "，", "：", "年度", "人民政府", "委员会", "常委会", "主席团", "办公室", "代表大会")
# … or before these.
_BREAK_BEFORE = ("关于", "在", "工作总结", "工作报告", "述职报告", "工作情况", "情况的报告", "的报告", "的通知", "暨")
# Words a break must never cut (a small lexicon of the genre; digits and
# Latin words are protected separately).
_NO_CUT = ("关于", "年度", "工作", "报告", "总结", "情况", "人民", "政府", "代表", "大会", "委员会", "常委会",
           "主席团", "人大代表", "述职", "安全", "生产", "发展", "建设", "经济", "社会", "乡村", "振兴", "党委", "人大")


def _title_width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _can_break(text: str, i: int) -> bool:
    """Never inside digits or a Latin word, before closing punctuation, or inside a known word."""
    left, right = text[i - 1], text[i]
    if left.isascii() and right.isascii() and left.isalnum() and right.isalnum():
        return False
    if right in "，。、；：？！）》〉」』”’%" or left in "（《〈「『“‘":
        return False
    for word in _NO_CUT:
        start = text.find(word, max(0, i - len(word) + 1))
        while start != -1 and start < i:
            if start + len(word) > i:
                return False
            start = text.find(word, start + 1)
    return True


def _break_quality(text: str, i: int) -> float:
    head, tail = text[:i], text[i:]
    return 2.0 * any(head.endswith(w) for w in _BREAK_AFTER) + 2.0 * any(tail.startswith(w) for w in _BREAK_BEFORE)


def title_lines(title: str, p: Gbt9704Profile = PROFILE) -> tuple[str, ...]:
    """The lines of the title (see :func:`balanced_lines`)."""
    return balanced_lines(title, p.title_max_chars_per_line)


def balanced_lines(title: str, max_chars: int) -> tuple[str, ...]:
    """The user's own "\\n" breaks, or two lines for a long centred line,
    broken where the words allow, the upper line no longer than the lower one
    (正梯形) and as balanced as the break points permit."""
    if "\n" in title or "\r" in title:
        # The user's own breaks; a line still too long is balanced in turn.
        lines = (line.strip() for line in title.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip())
        return tuple(part for line in lines for part in balanced_lines(line, max_chars))
    title = title.strip()
    if _title_width(title) <= max_chars:
        return (title,)
    candidates = []
    for i in range(1, len(title)):
        top, bottom = _title_width(title[:i]), _title_width(title[i:])
        if top <= max_chars and bottom <= max_chars and _can_break(title, i):
            shape = abs(bottom - top) * 0.3 + (2.0 + (top - bottom) * 0.3 if top > bottom else 0.0)
            candidates.append((_break_quality(title, i), shape, i))
    if not candidates:  # too long for two lines: leave it to the word processor
        return (title,)
    good = [c for c in candidates if c[0] > 0] or candidates
    _, _, cut = min(good, key=lambda c: c[1] - c[0])
    return (title[:cut], title[cut:])


# ---------------------------------------------------------------------------
# Sections


def item_blocks(items: Sequence[str | LeadParagraph | TableItem], lead_style: str = "bold", p: Gbt9704Profile = PROFILE) -> list[Block]:
    """Paragraph items → blocks: strings split at newlines, lead sentences, tables."""
    out: list[Block] = []
    for item in items:
        if isinstance(item, str):
            out += [Paragraph(t) for t in split_paragraphs(item)]
        elif isinstance(item, LeadParagraph):
            leads = split_paragraphs(item.lead)
            rest = split_paragraphs(item.text)
            out += [Paragraph("", lead=t, lead_style=lead_style) for t in leads[:-1]]
            out.append(Paragraph(rest[0] if rest else "", lead=leads[-1], lead_style=lead_style))
            out += [Paragraph(t) for t in rest[1:]]
        else:
            out.append(table_block(item.table, p))
    return out


def section_blocks(
    sections: Sequence[AnySection], level: int = 1, native: bool = False, lead_style: str = "bold", num_instance: int = 0
) -> Iterator[Block]:
    for n, section in enumerate(sections, start=1):
        label = numbering.label(level, n)
        heading = Heading(level, label, section.heading, native_numbering=native, num_instance=num_instance)
        paragraphs = item_blocks(section.paragraphs, lead_style)
        if section.run_in and paragraphs and isinstance(paragraphs[0], Paragraph):
            first = paragraphs.pop(0)
            assert isinstance(first, Paragraph)
            # The heading sentence ends before its body starts (。 added when missing).
            heading = replace(
                heading, text=run_in_heading(section.heading), body=first.text, body_lead=first.lead, lead_style=first.lead_style
            )
        yield heading
        yield from paragraphs
        yield from section_blocks(section.sections, level + 1, native, lead_style, num_instance)


def part_label(n: int, style: str) -> str:
    """"第一部分" and a full-width space before the heading, or nothing."""
    return f"第{numbering.chinese_number(n)}部分\u3000" if style == "ordinal" else ""


def part_blocks(
    parts: Sequence[PartSection], labels: str = "none", native: bool = False, lead_style: str = "bold"
) -> Iterator[Block]:
    """Each part: its heading, its own paragraph items, then its sections with 一、 restarting."""
    for n, part in enumerate(parts, start=1):
        yield Part(part_label(n, labels), part.heading)
        yield from item_blocks(part.paragraphs, lead_style)
        yield from section_blocks(part.sections, native=native, lead_style=lead_style)


# ---------------------------------------------------------------------------
# Attachments, signature and date


def attachment_label(n: int, count: int) -> str:
    """"附件" for the only attachment, "附件1", "附件2"… when there are several."""
    return "附件" if count == 1 else f"附件{n}"


def attachment_pages(report: Report, native: bool, p: Gbt9704Profile = PROFILE) -> list[Block]:
    """Each attachment with content on a new page: label, title on line 3, its body."""
    blocks: list[Block] = []
    count = len(report.attachments)
    lead_style = report.options.lead_style
    for n, entry in enumerate(report.attachments, start=1):
        if not isinstance(entry, Attachment):
            continue
        blocks.append(AttachmentPage(attachment_label(n, count), title_lines(entry.name, p), p.attachment_title_line - 2))
        body = item_blocks(entry.preamble, lead_style, p)
        body += section_blocks(entry.sections, native=native, lead_style=lead_style, num_instance=n)
        body += item_blocks(entry.closing, lead_style, p)
        if body:
            body[0] = replace(body[0], space_before_lines=1)  # one blank line under the title, as in the main text
        blocks += body
    return blocks


def attachment_blocks(names: Sequence[str], p: Gbt9704Profile = PROFILE) -> Iterator[AttachmentItem]:
    """附件说明: "附件：1. 名称", later items aligned under the first name."""
    lead = "附件："
    start = p.first_line_indent_twips
    lead_width = text_width_twips(lead, profile=p)
    if len(names) == 1:
        left = start + lead_width
        yield AttachmentItem(lead, names[0], left, left - start, space_before_lines=1)
        return
    for n, name in enumerate(names, start=1):
        number = f"{n}."
        number_start = start + lead_width
        left = number_start + text_width_twips(number, profile=p)
        if n == 1:
            yield AttachmentItem(lead + number, name, left, left - start, space_before_lines=1)
        else:
            yield AttachmentItem(number, name, left, left - number_start)


def signature_blocks(
    signature: str, date_text: str, sealed: bool, space_before_lines: int, p: Gbt9704Profile = PROFILE
) -> Iterator[Block]:
    """署名 and 成文日期 placed as GB/T 9704 7.3.5 describes.

    Without a seal the signature is right-indented two characters and the
    date starts two characters right of the signature's first character
    (if the date is the longer, the date is right-indented two characters
    and the signature moves left). With a seal the date is right-indented
    four characters and the signature is centred over it.
    """
    text_width = p.text_width_twips
    sig_w = text_width_twips(signature, profile=p) if signature else 0
    date_w = text_width_twips(date_text, profile=p) if date_text else 0
    shift = p.chars_twips(p.date_shift_chars)
    if sealed:
        date_right = p.chars_twips(p.sealed_date_right_indent_chars)
        sig_right = max(0, date_right + (date_w - sig_w) // 2)
        if signature:
            yield Signature(signature, sig_right, space_before_lines)
        if date_text:
            yield DateLine(date_text, right_twips=date_right, space_before_lines=0 if signature else space_before_lines)
        return
    sig_right = p.chars_twips(p.signature_right_indent_chars)
    if not signature:
        if date_text:
            yield DateLine(date_text, right_twips=sig_right, space_before_lines=space_before_lines)
        return
    sig_start = text_width - sig_right - sig_w
    if date_text and sig_start + shift + date_w > text_width - sig_right:
        # The date is the longer line: it takes the 2-character right indent.
        date_start = text_width - sig_right - date_w
        sig_right = text_width - (date_start - shift) - sig_w
        sig_start = date_start - shift
    yield Signature(signature, sig_right, space_before_lines)
    if date_text:
        yield DateLine(date_text, left_twips=sig_start + shift)


# ---------------------------------------------------------------------------
# 版头 and 版记 (red-header kinds)


def red_header_blocks(header: Header, p: Gbt9704Profile = PROFILE) -> tuple[list[Block], int]:
    """The 版头 blocks, and the space the title then needs above it (twips).

    Positions are worked out from the top of the text block so that the
    issuer's mark starts 35 mm down and the title lands back on the 22-line
    grid two lines under the red rule.
    """
    pitch = p.line_pitch_twips
    blocks: list[Block] = [HeaderLine(t.strip()) for t in (header.copy_number, header.secrecy, header.urgency) if t.strip()]
    y = len(blocks) * pitch
    space = max(0, p.issuer_mark_offset_twips - p.issuer_mark_glyph_top_twips - y)
    blocks.append(IssuerMark(header.issuer.strip(), space))
    y += space + p.issuer_mark_line_twips
    if header.doc_number.strip() or header.signer.strip():
        # 发文字号 two blank lines under the mark, on the grid.
        on_grid = -(-y // pitch) * pitch
        blocks.append(DocNumber(header.doc_number.strip(), header.signer.strip(), on_grid - y + 2 * pitch))
    # The rule (border space + width) sits under the 发文字号's line; the title
    # goes two lines under the rule, so take the rule back out of those lines.
    rule_twips = p.red_rule_space_pt * 20 + p.red_rule_width_eighth_pt * 20 // 8
    return blocks, 2 * pitch - rule_twips


def record_block(record: RecordModel, p: Gbt9704Profile = PROFILE) -> Record | None:
    cc = "抄送：" + "，".join(c.strip() for c in record.cc if c.strip()) + "。" if any(c.strip() for c in record.cc) else ""
    print_date = f"{format_date(record.print_date)}印发" if record.print_date else ""
    if not (cc or record.printer.strip() or print_date):
        return None
    size = p.record_size_pt
    available = p.text_width_twips - 2 * p.record_indent_twips
    cc_lines = -(-text_width_twips(cc, size, p) // available) if cc else 0
    rows = max(1, cc_lines) * p.line_pitch_twips if cc else 0
    rows += p.line_pitch_twips if (record.printer.strip() or print_date) else 0
    return Record(cc, record.printer.strip(), print_date, rows)


# ---------------------------------------------------------------------------
# The whole report


def _with_colon(text: str) -> str:
    return text if text.endswith(("：", ":")) else text + "："


def layout_report(report: Report, p: Gbt9704Profile = PROFILE) -> list[Block]:
    """The blocks of a report, in reading order."""
    native = report.options.numbering == "word"
    features = get_kind(report.template).features
    blocks: list[Block] = []
    title_space = 0
    if features.red_header and report.header and report.header.issuer.strip():
        blocks, title_space = red_header_blocks(report.header, p)
    blocks.append(Title(title_lines(report.title, p), title_space))
    if report.subtitle:
        blocks.append(TitleNote("subtitle", balanced_lines(report.subtitle, p.note_max_chars_per_line)))
    if report.speaker:
        blocks.append(TitleNote("speaker", balanced_lines(report.speaker, p.note_max_chars_per_line)))
    if report.recipient:
        blocks.append(Recipient(_with_colon(report.recipient.strip())))
    if report.salutation:
        blocks.append(Salutation(report.salutation.strip(), space_before_lines=0 if report.recipient else 1))
    first_body = len(blocks)
    lead_style = report.options.lead_style
    blocks += item_blocks(report.preamble, lead_style, p)
    if report.sections and isinstance(report.sections[0], PartSection):
        # Word's list numbering would run 一、 on across parts: labels are written as text.
        blocks += part_blocks(report.sections, report.options.part_labels, lead_style=lead_style)  # type: ignore[arg-type]
    else:
        blocks += section_blocks(report.sections, native=native, lead_style=lead_style)
    blocks += item_blocks(report.closing, lead_style, p)
    if not report.recipient and not report.salutation and len(blocks) > first_body:
        # One blank line between the title block and the body.
        blocks[first_body] = replace(blocks[first_body], space_before_lines=1)
    if report.attachments:
        blocks += attachment_blocks([attachment_name(a) for a in report.attachments], p)
    date_text = format_date(report.date) if report.date else ""
    # Rendered whenever given, whatever the kind: text is never dropped.
    if report.signature or date_text:
        # GB/T 9704 7.3.5.4: the signature never stands on a page without body text.
        if isinstance(blocks[-1], (Paragraph, AttachmentItem, Table)):
            blocks[-1] = replace(blocks[-1], keep_with_next=True)
        sealed = report.options.seal
        blank = p.sealed_blank_lines_before_signature if sealed else p.unsealed_blank_lines_before_signature
        blocks += signature_blocks(report.signature.strip(), date_text, sealed, blank, p)
    # GB/T 9704 §8: attachments follow the signature and date, before the 版记.
    blocks += attachment_pages(report, native, p)
    if features.record and report.record:
        record = record_block(report.record, p)
        if record:
            blocks.append(record)
    return blocks
