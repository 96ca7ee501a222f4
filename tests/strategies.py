"""Hypothesis strategies for reports: any valid report the contract allows."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from service import numbering

# Text that XML can hold, with the characters most likely to break a writer:
# markup, entities, quotes, emoji and CJK outside the BMP.
_TRICKY = "&<>\"'“”‘’—…·　&amp;<w:p>{{ 7*7 }}{% for %}😀𠀀𪚥\t"
_COMMON_CJK = "工作总结报告镇人大主席团代表会议的一是在了有和中为上我以要时来们到地于出就对成可发年动同也能下过说产种面而方后多定行学法所民得经十三之进等部度家力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开合还因由其些然前外天政四日社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"
_xml_char = (
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")
    | st.sampled_from(list(_TRICKY))
    | st.sampled_from(list(_COMMON_CJK))
)
_body_text = st.text(alphabet=_xml_char | st.just("\n"), min_size=1, max_size=60).filter(lambda s: s.strip() != "")
_line_text = st.text(alphabet=_xml_char, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
# Headings that carry no label of their own (a typed label is stripped by design).
_heading_text = _line_text.filter(lambda s: numbering.split_label(s.strip())[0] == "" and not s.strip()[0].isdigit())


def sections(level: int = 1) -> st.SearchStrategy[list[dict[str, Any]]]:
    children = sections(level + 1) if level < 4 else st.just([])
    return st.lists(
        st.fixed_dictionaries(
            {
                "heading": _heading_text,
                "run_in": st.booleans(),
                "paragraphs": st.lists(_body_text, max_size=2),
                "sections": children,
            }
        ),
        max_size=3 if level < 3 else 2,
    )


options = st.fixed_dictionaries(
    {
        "font_set": st.sampled_from(["gb2312", "windows"]),
        "page_numbers": st.sampled_from(["outside", "center", "none"]),
        "seal": st.booleans(),
        "bold_level3": st.booleans(),
        "numbering": st.sampled_from(["text", "word"]),
    }
)

reports = st.fixed_dictionaries(
    {
        "template": st.sampled_from(["work-summary", "work-report", "duty-report"]),
        "title": _line_text,
        "preamble": st.lists(_body_text, min_size=1, max_size=2),
        "sections": sections(),
        "closing": st.lists(_body_text, max_size=1),
        "options": options,
    },
    optional={
        "subtitle": _line_text,
        "speaker": _line_text,
        "recipient": _line_text,
        "salutation": _line_text,
        "attachments": st.lists(_line_text, max_size=3),
        "signature": _line_text,
        "date": st.dates().map(lambda d: d.isoformat()),
    },
)


def input_strings(report: dict[str, Any]) -> list[str]:
    """Every text the report carries, as the document must show it."""
    from service.layout import split_paragraphs

    out: list[str] = []

    def add(text: str) -> None:
        out.extend(split_paragraphs(text))

    for key in ("title", "subtitle", "speaker", "recipient", "salutation", "signature"):
        if report.get(key):
            add(report[key])
    for key in ("preamble", "closing", "attachments"):
        for text in report.get(key, []):
            add(text)

    def walk(secs: list[dict[str, Any]]) -> None:
        for sec in secs:
            add(numbering.strip_label(sec["heading"].strip()))
            for text in sec.get("paragraphs", []):
                add(text)
            walk(sec.get("sections", []))

    walk(report.get("sections", []))
    return out
