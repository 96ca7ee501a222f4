"""The parts of a report around its body.

Before the body: a 版头 (issuer, document number) if any, the title (also
letter-spaced or broken over lines), subtitle or date line, speaker,
recipient, salutation. After it: attachments, signature and date, in
whatever order the source put them, and a 版记 (抄送, 印发) if any.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from . import genre
from .chars import collapse_letter_spacing, ends_open, has_cjk, has_sentence_punct, is_letter_spaced
from .labels import read_label
from .lines import SHORT_LINE_MAX, Para
from .result import ImportWarning, Removed

TITLE_MAX = 60
# A title is printed on at most three lines (issuer, "关于……", "……的报告").
_TITLE_EXTRA_LINES = 2
_NOT_IN_TITLE = "。！？!?；;：:"
_SIGNATURE_DATE_RE = re.compile(
    r"^(?P<sig>\S.{0,29}?)[\s\u3000]+(?P<date>[\d〇○零一二三四五六七八九十]{4}\s*年.{1,12}日)$"
)
_ATTACHMENT_ITEMS_MAX = 20
_ATTACHMENT_NAME_MAX = 200
# The number of an attachment in a list: "1." "2、" "3．", also right before a digit ("1.2022年……").
_ATTACHMENT_NUMBER_RE = re.compile(r"^[\s\u3000]*\d{1,3}[.．、][\s\u3000]*")
# 版头: "青政发〔2025〕12号", maybe with "签发人：李四" on the same line.
_DOC_NUMBER_RE = re.compile(
    r"^(?P<number>[^\s〔\[［]{1,12}(?:\s[^\s〔\[［]{1,8})?\s*[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d{1,5}\s*号)"
    r"(?:[\s\u3000]*(?P<lead>签发人[:：][\s\u3000]*)(?P<signer>\S.{0,10}))?$"
)
_ISSUER_RE = re.compile(r"(?:文件|人民政府|委员会|常委会|办公室|局|党委)$")
# 版记: "抄送：县委办公室，县人大常委会办公室。" and "XX办公室  2025年12月6日印发".
_CC_RE = re.compile(r"^(?P<lead>抄送[:：])(?P<cc>.+?)(?P<end>[。.]?)$")
_PRINTED_RE = re.compile(r"^(?P<printer>\S.{0,29}?)[\s\u3000]+(?P<date>\S{4}\s*年.{1,12}日)(?P<tail>印发)$")


_DATED_MEETING_RE = re.compile(r"^[（(]?[\d〇○零一二三四五六七八九十Xx×]{2,4}\s*年.{1,8}日\s*在")


@dataclass(slots=True)
class Front:
    header: dict[str, str] = field(default_factory=dict)
    title: str = ""
    subtitle: str = ""
    speaker: str = ""
    recipient: str = ""
    salutation: str = ""
    end: int = 0  # index of the first paragraph after the front matter


@dataclass(slots=True)
class Back:
    start: int  # index of the first paragraph of the back matter
    attachments: list[str] = field(default_factory=list)
    signature: str = ""
    date: str | None = None
    record: dict[str, object] = field(default_factory=dict)
    placeholder: str = ""  # a date line still to be filled in ("2026年x月x日"), kept as text
    closing_after: list[str] = field(default_factory=list)  # closing text found among the end matter


# ---------------------------------------------------------------------------
# Titles


def _title_shaped(text: str) -> bool:
    return (
        len(text) <= TITLE_MAX
        and has_cjk(text)
        and not any(c in _NOT_IN_TITLE for c in text)
        and read_label(text)[0] is None
        and genre.parse_date_line(text) is None
        and not genre.BODY_LEAD_RE.match(text)
    )


def is_report_title(text: str) -> bool:
    """A line that starts a new report wherever it stands ("2022年XX镇人大工作总结")."""
    return _title_shaped(text) and (genre.is_strong_title(collapse_letter_spacing(text)) or is_letter_spaced(text))


_COLLECTION_MARKS_RE = re.compile(r"[\s\u3000]*(?:[（(【\[]\s*[\d一二三四五六七八九十]+\s*篇\s*[)）】\]]|目\s*录)[\s\u3000]*")


def _bare(title: str) -> str:
    """A title without a collection's count and "目录"."""
    return _COLLECTION_MARKS_RE.sub("", title)


def _repeats_title(title: str, text: str) -> bool:
    """A second title line that stands for the whole title again."""
    text = collapse_letter_spacing(text)
    if text == title or _bare(text) == _bare(title):
        return True
    if not _title_shaped(text) or len(text) < 6 or read_label(text)[0] is not None:
        return False
    if text in title or title in text:
        return True  # the headline with or without the site's additions
    return (genre.is_strong_title(title) or genre.is_weak_title(title)) and genre.is_strong_title(text)


def _continues_title(title: str, text: str) -> bool:
    """The next line of a title broken over lines ("XX镇人民政府" / "关于……的" / "报告")."""
    if genre.is_weak_title(title) or not _title_shaped(text) or len(text) > SHORT_LINE_MAX:
        return False
    return genre.is_weak_title(collapse_letter_spacing(text)) or ends_open(title) or text.startswith("关于") or "关于" in title


def _heads_a_part(paras: Sequence[Para], i: int) -> bool:
    """Is line ``i`` the first of several unlabelled part headings ("2023年工作回顾" /
    一、… / "2024年工作安排" / 一、…), not a title? Another such line further on,
    right above the same labels restarting at 1, says so."""
    if i + 1 >= len(paras):
        return False
    first = read_label(paras[i + 1].text)[0]
    if first is None or first.value != 1:
        return False
    for j in range(i + 2, len(paras) - 1):
        text = paras[j].text
        if read_label(text)[0] is None and _title_shaped(text) and len(text) <= SHORT_LINE_MAX:
            nxt = read_label(paras[j + 1].text)[0]
            if nxt is not None and nxt.value == 1 and nxt.kind == first.kind:
                return True
    return False


def opens_with_title(paras: Sequence[Para]) -> bool:
    """Is the first paragraph of a text its title?

    By position and shape: the first prominent line — short, unpunctuated,
    no label, not a date, a salutation or a sentence opener — standing before
    the rest of the text. Title words only settle a lone line.
    """
    text = paras[0].text
    if not _title_shaped(text) or _front_kind(text) in ("salutation", "subtitle", "recipient"):
        return False
    if genre.is_weak_title(collapse_letter_spacing(text)) or is_letter_spaced(text) or "关于" in text:
        return True
    if len(paras) < 2:
        return False
    return not _heads_a_part(paras, 0)


# ---------------------------------------------------------------------------
# Front matter


def _front_kind(text: str) -> str | None:
    if len(text) > TITLE_MAX or read_label(text)[0] is not None:
        return None
    if genre.SALUTATION_RE.match(text) and len(text) <= SHORT_LINE_MAX and not any(c in "。！？!?；;：:" for c in text[:-1]):
        return "salutation"  # "各位代表：", "尊敬的各位领导，同志们："
    if genre.parse_date_line(text) or (genre.SUBTITLE_RE.search(text) and not any(c in "。！？!?；;" for c in text)):
        return "subtitle"
    if _DATED_MEETING_RE.match(text) and not has_sentence_punct(text):
        return "subtitle"  # "2025年3月21日在XX区第十九届" / "人民代表大会第四次会议上"
    if _SIGNATURE_DATE_RE.match(text) and len(text) <= SHORT_LINE_MAX + 10:
        return "subtitle"  # author and date under the title: "XX街道办事处　2023年12月20日"
    if len(text) > SHORT_LINE_MAX:
        return None
    if genre.SPEAKER_LEAD_RE.match(text):
        return "speaker"
    if text[-1] in "：:" and not has_sentence_punct(text[:-1]) and not genre.BODY_LEAD_RE.match(text[:-1]):
        return "recipient"  # "县人大常委会：" — but not "主要做法如下："
    if not has_sentence_punct(text) and (genre.JOB_RE.search(text) or genre.is_name_line(text) or _is_author_org(text)):
        return "speaker"
    return None


def _is_author_org(text: str) -> bool:
    """An organisation under the title ("XX县人民检察院"), not a part heading ending alike."""
    return genre.is_org_line(text) and genre.PART_WORDS_RE.search(text) is None


def _subtitle_open(subtitle: str) -> bool:
    # A date line is complete; "——2025年1月10日" may go on "在……会议上".
    return genre.parse_date_line(subtitle) is None and genre.SUBTITLE_DONE_RE.search(subtitle) is None


def _read_header(paras: Sequence[Para], removed: list[Removed]) -> tuple[dict[str, str], int]:
    """版头 at the top: issuer line and document number (red-header reports)."""
    i = 0
    header: dict[str, str] = {}
    if len(paras) > 1 and _DOC_NUMBER_RE.match(paras[1].text) and _is_issuer(paras[0].text):
        header["issuer"] = paras[0].text
        i = 1
    m = _DOC_NUMBER_RE.match(paras[i].text) if paras else None
    if m is None:
        return {}, 0
    # Spaces a PDF left around the year and the number are not part of it.
    header["doc_number"] = re.sub(r"\s*([〔〕\[\]［］])\s*", r"\1", re.sub(r"\s*号$", "号", m["number"]))
    if m["signer"]:
        header["signer"] = m["signer"].strip()
        removed.append(Removed("label", paras[i].first, m["lead"]))
    i += 1
    # "XX镇人民政府" / "关于……的报告" under the 发文字号: the issuer, then the title.
    if "issuer" not in header and i + 1 < len(paras) and _is_issuer(paras[i].text) and paras[i + 1].text.startswith("关于"):
        header["issuer"] = paras[i].text
        i += 1
    return header, i


def _is_issuer(text: str) -> bool:
    return len(text) <= SHORT_LINE_MAX and not has_sentence_punct(text) and _ISSUER_RE.search(text) is not None


def read_front(paras: Sequence[Para], removed: list[Removed]) -> Front:
    front = Front()
    front.header, i = _read_header(paras, removed)
    # A Word file's heading (by its type) starts the body: it is neither title nor front matter.
    if i < len(paras) and not paras[i].part_head and opens_with_title(paras[i:]):
        front.title = collapse_letter_spacing(paras[i].text)
        i += 1
        first = i
        while i < len(paras) and i - first < _TITLE_EXTRA_LINES and _continues_title(front.title, paras[i].text):
            front.title += collapse_letter_spacing(paras[i].text)
            i += 1
        bare = _bare(front.title)
        if bare and bare != front.title:  # "……汇编（5篇） 目录": the collection's marks are the site's
            removed.append(Removed("noise", paras[i - 1].first, front.title.replace(bare, "", 1).strip()))
            front.title = bare
        # A scraped page often repeats the title (page title, then article
        # title), or puts its headline or file name above the title: the
        # later, complete title is the document's own.
        while i < len(paras) and _repeats_title(front.title, paras[i].text):
            again = collapse_letter_spacing(paras[i].text)
            if again in front.title or _bare(again) == _bare(front.title):  # the same title, or less of it: the repeat goes
                removed.append(Removed("noise", paras[i].first, paras[i].text))
            else:  # the headline or file name above a fuller title goes
                removed.append(Removed("noise", paras[i - 1].first, front.title))
                front.title = again
            i += 1
    while i < len(paras) and not paras[i].part_head:
        text = paras[i].text
        kind = _front_kind(text)
        if kind is None or getattr(front, kind):
            break
        i += 1
        if kind == "subtitle":
            while i < len(paras) and _subtitle_open(text) and _front_kind(paras[i].text) in (None, "subtitle"):
                nxt = paras[i].text
                if len(nxt) > SHORT_LINE_MAX or has_sentence_punct(nxt) or read_label(nxt)[0] is not None:
                    break
                text += nxt
                i += 1
        elif kind == "speaker" and genre.JOB_RE.search(text[-4:]) and i < len(paras) and genre.is_name_line(paras[i].text):
            text += "\n" + paras[i].text  # "国务院总理" / "李　强": keep the two lines
            i += 1
        setattr(front, kind, text)
    front.end = i
    return front


# ---------------------------------------------------------------------------
# Back matter


def _signature_shaped(text: str) -> bool:
    if genre.SPEAKER_LEAD_RE.match(text):
        return len(text) <= SHORT_LINE_MAX  # "述职人：吴振华"
    return (
        len(text) <= SHORT_LINE_MAX
        and has_cjk(text)
        and not has_sentence_punct(text)
        and read_label(text)[0] is None
        and not genre.is_weak_title(text)
        and not genre.BODY_LEAD_RE.match(text)
    )


# Several attachments may be typed on one line: "附件：1.XX情况表 2.YY名单".
def _split_inline_items(text: str) -> list[str]:
    """"1.甲表 2.乙表" → ["1.甲表", "2.乙表"], only when the numbers run 1, 2, 3…"""
    pieces = [p for p in re.split(r"[\s\u3000；;，,]*(?=(?<![\d.．])\d{1,2}[.．、](?!\d))", text) if p.strip()]
    numbers = [_ATTACHMENT_NUMBER_RE.match(p) for p in pieces]
    if len(pieces) < 2 or not all(numbers):
        return [text]
    values = [int(re.sub(r"\D", "", m.group())) for m in numbers if m]
    return pieces if values == list(range(values[0], values[0] + len(values))) else [text]


def _attachments(
    paras: Sequence[Para], start: int, end: int, removed: list[Removed], warnings: list[ImportWarning]
) -> tuple[int, list[str]] | None:
    """The attachment note ("附件：1. …" and the items under it) ending at ``end``."""
    for k in range(end - 1, max(start, end - _ATTACHMENT_ITEMS_MAX) - 1, -1):
        marker = genre.ATTACHMENT_RE.match(paras[k].text)
        if marker is None:
            continue
        first = paras[k].text[marker.end() :]
        items = [(paras[k].first, t) for t in _split_inline_items(first)] + [(p.first, t) for p in paras[k + 1 : end] for t in _split_inline_items(p.text)]
        numbered = [_ATTACHMENT_NUMBER_RE.match(text) for _, text in items]
        if len(items) > 1 and not all(numbered):
            return None  # not a list of attachments after all
        labels: list[Removed] = [Removed("label", paras[k].first, marker.group())]
        names: list[str] = []
        values: list[int] = []
        for (line, text), number in zip(items, numbered):
            # In a list the number is the item's; "附件：1.5万吨……" alone is a name.
            if number is not None and len(items) > 1:
                labels.append(Removed("label", line, number.group()))
                values.append(int(re.sub(r"\D", "", number.group())))
                text = text[number.end() :]
            names.append(text.strip())
        if not all(0 < len(name) <= _ATTACHMENT_NAME_MAX for name in names):
            return None
        if values and values != list(range(1, len(values) + 1)):
            warnings.append(ImportWarning(
                f"附件序号为 {'、'.join(map(str, values))}，排版后按 1、2、3… 编号", paras[k].first, "sequence"))
        removed.extend(labels)
        return k, names
    return None


def _read_record(para: Para, record: dict[str, object], removed: list[Removed]) -> bool:
    """One line of a 版记 ("抄送：……。" or "……印发")."""
    text = para.text
    cc = _CC_RE.match(text)
    if cc and "cc" not in record:
        names = [n.strip() for n in re.split(r"[，,、；;]", cc["cc"]) if n.strip()]
        record["cc"] = names
        separators = "".join(re.findall(r"[，,、；;]", cc["cc"]))
        removed.append(Removed("label", para.first, cc["lead"] + separators + cc["end"]))
        return True
    printed = _PRINTED_RE.match(text)
    iso = genre.parse_date_line(printed["date"]) if printed else None
    if printed and iso and "printer" not in record:
        record["printer"], record["print_date"] = printed["printer"].strip(), iso
        removed.extend([Removed("date", para.first, printed["date"]), Removed("label", para.first, printed["tail"])])
        return True
    return False


_CLOSING_SENTENCE_MAX = 30
_SIGNERS_MAX = 3


def _is_closing_sentence(text: str) -> bool:
    """"特此报告。" and the like, which may follow an attachment list."""
    return len(text) <= _CLOSING_SENTENCE_MAX and genre.CLOSING_RE.match(text) is not None


def read_back(paras: Sequence[Para], start: int, removed: list[Removed], warnings: list[ImportWarning] | None = None) -> Back:
    """Peel 版记, attachments, signature and date off the end of a report."""
    warnings = [] if warnings is None else warnings
    back = Back(len(paras))
    date_just_read = False
    signers: list[Para] = []
    while back.start > start and _read_record(paras[back.start - 1], back.record, removed):
        back.start -= 1
    while back.start > start:
        para = paras[back.start - 1]
        text = para.text
        iso = genre.parse_date_line(text)
        undated = back.date is None and not back.placeholder and not signers
        if undated and iso:
            back.date, back.start, date_just_read = iso, back.start - 1, True
            removed.append(Removed("date", para.first, text))
            continue
        if undated and genre.is_placeholder_date(text):
            # "2026年x月x日": no date the model can hold; kept as text, said once.
            back.placeholder, back.start, date_just_read = text, back.start - 1, True
            warnings.append(ImportWarning(f"日期“{text}”尚未填写完整，已作为正文保留，请补全后填入成文日期", para.first, "placeholder_date"))
            continue
        both = _SIGNATURE_DATE_RE.match(text)
        if undated and both and genre.parse_date_line(both["date"]):
            back.date, back.signature = genre.parse_date_line(both["date"]), both["sig"].strip()
            removed.append(Removed("date", para.first, both["date"]))
            back.start -= 1
            signers = [para]
            continue
        if (
            not back.signature
            and len(signers) < _SIGNERS_MAX
            and _signature_shaped(text)
            and (date_just_read or genre.is_org_line(text) or (signers and _is_joint_signer(text)))
        ):
            signers.insert(0, para)
            back.start -= 1
            date_just_read = False
            continue
        date_just_read = False
        if not back.attachments:
            found = _attachments(paras, start, back.start, removed, warnings)
            if found is None and _is_closing_sentence(text) and back.start - 1 > start:
                # "特此报告。" after the attachment list: the sentence closes the body.
                found = _attachments(paras, start, back.start - 1, removed, warnings)
                if found is not None:
                    back.closing_after.insert(0, text)
            if found is not None:
                back.start, back.attachments = found
                continue
        break
    if signers and not back.signature:
        back.signature = "\u3000".join(p.text for p in signers)
        if len(signers) > 1:
            warnings.append(ImportWarning(f"署名有 {len(signers)} 行（联合署名），已合为一行署名", signers[0].first, "joint_signature"))
    if back.placeholder:
        back.closing_after.append(back.placeholder)
    return back


def _is_joint_signer(text: str) -> bool:
    """A further signer line of a joint signature: another body's name."""
    return genre.is_org_line(text) or "、" in text
