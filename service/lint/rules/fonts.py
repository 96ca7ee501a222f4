"""Type: fonts, sizes and line spacing of the title, the headings and the body;
theme fonts; bold and colour; indents and paragraph spacing on the grid."""
from __future__ import annotations

from typing import Iterator

from ...profile import FONT_SETS, HEADING_RULES, PROFILE, TWIPS_PER_MM, TWIPS_PER_PT, mm_to_twips
from ..document import BODY, BODY_TYPE_ROLES, FALLBACK, HEADER, HEADING, TITLE, LintDocument, Para, Span, cjk_spans, visible_spans
from ..families import family, role_families, role_font_names
from ..findings import Issue, excerpt
from ...ooxml.reader import w
from ..patterns import LEVEL_NAMES, has_cjk
from .common import Tally, count_note, font_label, pt

P = PROFILE
# Font role of each heading level's label and heading text, from the one heading table.
HEADING_LEVEL_ROLES = {rule.level: rule.font_role for rule in HEADING_RULES}
# The text block may end this far below the last of its 22 lines (the margin tolerance).
GRID_FILL_TOLERANCE_TWIPS = mm_to_twips(P.margin_tolerance_mm)
# Indents and spacing may be off by this much (rounding in Word's dialogs).
INDENT_TOLERANCE_TWIPS = mm_to_twips(P.margin_tolerance_mm)
SPACING_TOLERANCE_TWIPS = 10
HEADING_SIZE_HALF_POINTS = {rule.level: round(rule.size_pt * 2) for rule in HEADING_RULES}
# Levels that may be bold where local rules ask for it (options.bold_level3).
BOLD_ALLOWED_LEVELS = tuple(rule.level for rule in HEADING_RULES if rule.bold_allowed)
AUTO_LINE_TWIPS = 240  # w:line of single spacing when w:lineRule="auto"
BLACK = ("000000", "auto", None)


# -- predicates the page rules share ---------------------------------------------


def line_pitch_ok(line_twips: int | None, line_rule: str | None, grid_pitch_twips: int | None = None) -> bool:
    """Spacing that gives 22 lines filling the standard text block (28.95 pt):
    exact spacing, or single spacing snapped to a 28.95 pt document grid
    (Word sets single-spaced lines on the grid's rows)."""
    pitch = effective_line_twips(line_twips, line_rule, grid_pitch_twips)
    if pitch is None:
        return False
    used = P.lines_per_page * pitch
    return used <= P.text_height_twips and P.text_height_twips - used <= GRID_FILL_TOLERANCE_TWIPS


def effective_line_twips(line_twips: int | None, line_rule: str | None, grid_pitch_twips: int | None) -> int | None:
    """The distance Word puts between two lines of a paragraph, when it is fixed."""
    if line_rule == "exact" and line_twips:
        return line_twips
    single = line_twips is None or (line_rule in (None, "auto") and line_twips == AUTO_LINE_TWIPS)
    return grid_pitch_twips if single and grid_pitch_twips else None


# Grid types under which Word snaps lines to the document grid's rows.
WORD_LINE_GRID_TYPES = ("lines", "linesAndChars", "snapToChars")


def grid_pitch(doc: LintDocument) -> int | None:
    """The line pitch of the document grid of the body's (last) section, if it has a line grid."""
    grid = doc.sections[-1].element.find(w("docGrid")) if doc.sections else None
    if grid is None or grid.get(w("type")) not in WORD_LINE_GRID_TYPES:
        return None
    try:
        return abs(int(float(grid.get(w("linePitch"), "0")))) or None
    except ValueError:
        return None


def body_size_ok(size_half_points: int | None) -> bool:
    return size_half_points == P.body_size_half_points


# -- helpers --------------------------------------------------------------------


def _east_asia_checked(doc: LintDocument, spans: list[Span]) -> Iterator[tuple[Span, str | None]]:
    """Spans with Chinese text and the typeface it is drawn in: a theme font
    is resolved through the document's theme (font.theme also reports it)."""
    for s in cjk_spans(spans):
        theme = s.format.theme_fonts.get("eastAsia")
        if theme is None:
            yield s, s.format.east_asia_font
        elif (face := doc.fmt.theme_font(theme)) is not None:
            yield s, face


def _title_font_ok(doc: LintDocument, face: str | None) -> bool:
    """A title is in 小标宋. The engine's own Windows font set stands in 宋体
    where 小标宋 is not installed; in anyone else's file 宋体, 华文中宋 and the
    like are not 小标宋."""
    if doc.ours:
        return family(face) in role_families("title")
    return family(face) == "小标宋"


def _body_type_paragraphs(doc: LintDocument) -> Iterator[tuple[Para, list[Span]]]:
    for p in doc.paragraphs:
        if p.role in BODY_TYPE_ROLES or p.role == HEADING:
            spans = p.body_spans()
            if spans:
                yield p, spans


def _line_spacing_text(rule: str | None, line: int | None) -> str:
    if line is None:
        return "未设置行距（单倍行距）"
    if rule == "exact":
        return f"固定值 {pt(line / TWIPS_PER_PT)} 磅"
    if rule == "atLeast":
        return f"最小值 {pt(line / TWIPS_PER_PT)} 磅"
    multiple = line / AUTO_LINE_TWIPS
    return "单倍行距" if multiple == 1 else f"{pt(multiple)} 倍行距"


def _line_spacing_effect(rule: str | None, line: int | None) -> str:
    if rule == "exact" and line:
        lines = P.text_height_twips // line
        if lines < P.lines_per_page:
            return f"，每页只能排 {lines} 行"
        if lines > P.lines_per_page:
            return f"，每页会排 {lines} 行"
        gap = (P.text_height_twips - P.lines_per_page * line) / TWIPS_PER_MM
        return f"，每页虽排 {P.lines_per_page} 行，但版心下部空出约 {gap:.1f} mm"
    return "，行高随字号变化，每页行数不固定"


# -- rules ------------------------------------------------------------------------


def check_body_font(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[str | None] = Tally()
    wanted = role_families("body")
    for p, spans in _body_type_paragraphs(doc):
        for s, face in _east_asia_checked(doc, spans):
            if family(face) not in wanted:
                tally.add(face, p, s.start)
    yield from tally.issues(lambda font, n: f"正文应为 3 号仿宋（{role_font_names('body')}），此处中文字体为{font_label(font)}{count_note(n)}。")


def check_body_size(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[int | None] = Tally()
    for p, spans in _body_type_paragraphs(doc):
        for s in visible_spans(spans):
            if not body_size_ok(s.format.size_half_points):
                tally.add(s.format.size_half_points, p, s.start)
    yield from tally.issues(
        lambda size, n: f"正文字号应为 3 号（{pt(P.body_size_pt)} 磅），此处为 {pt(size / 2 if size else None)} 磅{count_note(n)}。"
    )


def check_body_line_spacing(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[tuple[str | None, int | None]] = Tally()
    pitch = grid_pitch(doc)
    for p in doc.paragraphs:
        if (p.role in BODY_TYPE_ROLES or p.role == HEADING) and not p.info.in_table:
            fmt = p.info.format
            if not line_pitch_ok(fmt.line_twips, fmt.line_rule, pitch):
                tally.add((fmt.line_rule if fmt.line_twips is not None else None, fmt.line_twips), p)
    yield from tally.issues(
        lambda key, n: f"正文行距为{_line_spacing_text(*key)}{_line_spacing_effect(*key)}{count_note(n)}。"
        f"应设为固定值 {pt(P.line_pitch_twips / TWIPS_PER_PT)} 磅，使每页 {P.lines_per_page} 行且排满版心。"
    )


def check_title_font(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[str | None] = Tally()
    for p in doc.by_role(TITLE):
        for s, face in _east_asia_checked(doc, p.spans):
            if not _title_font_ok(doc, face):
                tally.add(face, p, s.start)
    names = role_font_names("title") if doc.ours else "或".join(
        dict.fromkeys(f"“{fs.title}”" for fs in FONT_SETS.values() if family(fs.title) == "小标宋"))
    yield from tally.issues(lambda font, n: f"标题应为 2 号小标宋（{names}），此处字体为{font_label(font)}。")


def check_title_size(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[int | None] = Tally()
    for p in doc.by_role(TITLE):
        for s in visible_spans(p.spans):
            if s.format.size_half_points != P.title_size_half_points:
                tally.add(s.format.size_half_points, p, s.start)
    yield from tally.issues(
        lambda size, n: f"标题字号应为 2 号（{pt(P.title_size_pt)} 磅），此处为 {pt(size / 2 if size else None)} 磅。"
    )


def check_title_alignment(doc: LintDocument) -> Iterator[Issue]:
    for p in doc.by_role(TITLE):
        if p.info.format.jc != "center":
            yield Issue("标题应居中排布。", p.index, excerpt(p.text))


def check_heading_font(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[tuple[int, str | None]] = Tally()
    for p in doc.headings():
        role = HEADING_LEVEL_ROLES.get(p.level or 0)
        if role is None:
            continue
        for s, face in _east_asia_checked(doc, p.heading_spans()):
            if family(face) not in role_families(role):
                tally.add((p.level or 0, face), p, s.start)

    def message(key: tuple[int, str | None], n: int) -> str:
        level, font = key
        what = "序号和标题" if level in (1, 2) else "标题"
        return f"{LEVEL_NAMES[level]}{what}应为{role_font_names(HEADING_LEVEL_ROLES[level])}，此处为{font_label(font)}{count_note(n)}。"

    yield from tally.issues(message)


def check_heading_size(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[tuple[int, int | None]] = Tally()
    for p in doc.headings():
        for s in visible_spans(p.heading_spans()):
            if s.format.size_half_points != HEADING_SIZE_HALF_POINTS.get(p.level or 0, P.body_size_half_points):
                tally.add((p.level or 0, s.format.size_half_points), p, s.start)
    yield from tally.issues(
        lambda key, n: f"{LEVEL_NAMES.get(key[0], '标题')}字号应与正文相同，为 3 号（{pt(P.body_size_pt)} 磅），"
        f"此处为 {pt(key[1] / 2 if key[1] else None)} 磅{count_note(n)}。"
    )


def _theme_issues(doc: LintDocument, slots: tuple[str, ...], needs: str) -> Iterator[Issue]:
    tally: Tally[str] = Tally()
    for p in doc.paragraphs:
        if p.role == FALLBACK:
            continue
        for s in visible_spans(p.spans):
            # Only slots that draw some of the run's characters matter.
            if needs == "cjk" and not has_cjk(s.text):
                continue
            if needs == "latin" and not any(ch.isascii() and ch.isalnum() for ch in s.text):
                continue
            for slot in slots:
                theme = s.format.theme_fonts.get(slot)
                if theme:
                    tally.add(theme, p, s.start)
                    break

    def message(theme: str, n: int) -> str:
        face = doc.fmt.theme_font(theme)
        shown = f"（当前主题中为“{face}”）" if face else ""
        return (f"文字使用了主题字体“{theme}”{shown}{count_note(n)}，主题字体会覆盖设定的具体字体，换主题或换电脑后字体就会改变。"
                "请在“字体”对话框中直接选择具体字体（如“仿宋_GB2312”），不要选“+中文正文”“+中文标题”“+正文”等。")

    yield from tally.issues(message)


def check_theme_fonts(doc: LintDocument) -> Iterator[Issue]:
    yield from _theme_issues(doc, ("eastAsia",), "cjk")


def check_theme_latin_fonts(doc: LintDocument) -> Iterator[Issue]:
    yield from _theme_issues(doc, ("ascii", "hAnsi"), "latin")


def _bold_checked_parts(p: Para) -> list[tuple[str, list[Span]]]:
    """(what to call it, spans) of a paragraph that must not be bold."""
    if p.role == TITLE:
        return [("标题", p.spans)]
    if p.role == HEADING:
        parts = [("正文", p.body_spans())]  # the body text of a run-in heading
        if p.level not in BOLD_ALLOWED_LEVELS:
            parts.insert(0, (LEVEL_NAMES.get(p.level or 0, "标题"), p.heading_spans()))
        return parts
    if p.role in BODY_TYPE_ROLES:
        return [("正文", p.body_spans())]  # a bold lead sentence (段首句) is by design
    return []


def check_bold(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[str] = Tally()
    for p in doc.paragraphs:
        for what, spans in _bold_checked_parts(p):
            bold = next((s for s in visible_spans(spans) if s.format.bold), None)
            if bold is not None:
                tally.add(what, p, bold.start)
    yield from tally.issues(lambda what, n: f"{what}加粗了{count_note(n)}：公文靠字体区分层次（标题小标宋、一级黑体、二级楷体），一般不加粗。")


def check_color(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[str] = Tally()
    for p in doc.paragraphs:
        if p.role in (HEADER, FALLBACK) or p.role is None:
            continue  # the 发文机关标志 is red by design
        for s in visible_spans(p.spans):
            color = (s.format.color or "auto").upper()
            if color.lower() not in BLACK:
                tally.add(color, p, s.start)
    yield from tally.issues(lambda color, n: f"文字颜色为 #{color}{count_note(n)}，公文正文、标题应为黑色。")


def _indent_ok(p: Para) -> bool:
    fmt = p.info.format
    if p.text[:1] in ("\u3000", " ") and fmt.first_line_twips == 0 and not fmt.first_line_chars:
        # Indented by typed spaces, as many people do: two characters are two
        # full-width spaces or four half-width ones.
        lead = p.text[: len(p.text) - len(p.text.lstrip(" \u3000"))]
        chars = sum(1.0 if c == "\u3000" else 0.5 for c in lead)
        return P.indent_chars - 0.5 <= chars <= P.indent_chars + 0.5
    if fmt.first_line_chars is not None:
        return fmt.first_line_chars == P.indent_chars * 100
    if fmt.hanging_twips:
        return False
    plain = P.indent_chars * P.body_size_pt * TWIPS_PER_PT  # two characters without condensing
    return P.first_line_indent_twips - INDENT_TOLERANCE_TWIPS <= fmt.first_line_twips <= plain + INDENT_TOLERANCE_TWIPS


def check_body_indent(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[tuple[int, int]] = Tally()
    for p in doc.paragraphs:
        if (p.role == BODY or p.role == HEADING) and not p.info.in_table and not _indent_ok(p):
            fmt = p.info.format
            tally.add((fmt.first_line_twips, fmt.hanging_twips), p)
    yield from tally.issues(
        lambda key, n: f"正文和各级标题首行应缩进 {P.indent_chars} 个字，此处首行缩进 {pt((key[0] - key[1]) / TWIPS_PER_PT)} 磅{count_note(n)}。"
        f"请在“段落→特殊格式”中选“首行缩进 {P.indent_chars} 字符”。"
    )


def _on_grid(twips: int) -> bool:
    rest = twips % P.line_pitch_twips
    return min(rest, P.line_pitch_twips - rest) <= SPACING_TOLERANCE_TWIPS


def check_paragraph_spacing(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[tuple[int, int]] = Tally()
    for p in doc.paragraphs:
        if (p.role in BODY_TYPE_ROLES or p.role == HEADING) and not p.info.in_table:
            fmt = p.info.format
            if not (_on_grid(fmt.before_twips) and _on_grid(fmt.after_twips)):
                tally.add((fmt.before_twips, fmt.after_twips), p)
    yield from tally.issues(
        lambda key, n: f"段前 {pt(key[0] / TWIPS_PER_PT)} 磅、段后 {pt(key[1] / TWIPS_PER_PT)} 磅{count_note(n)}，"
        f"不是整行，会使后面的行错开版心的行线、每页少于 {P.lines_per_page} 行。段前段后应为 0（需要空行时用整行）。"
    )

