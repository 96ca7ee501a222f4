"""Where the closing lines stand (GB/T 9704 7.3.4, 7.3.5), how the title
breaks (7.3.1), and body paragraphs' alignment.

Positions are measured in characters of body type (3号, 16 pt): an indent
in twips, a character indent, and typed spaces (half-width = half a
character, full-width = one) all count, as a reader sees the line.
"""
from __future__ import annotations

from typing import Iterator

from ...profile import PROFILE, TWIPS_PER_PT
from ..document import ATTACHMENT, BODY, DATE, SIGNATURE, TITLE, LintDocument, Para
from ..findings import Issue, excerpt
from ..patterns import ATTACHMENT_LABEL_RE, ATTACHMENT_RE
from .common import Tally, count_note

P = PROFILE
CHAR_TWIPS = P.body_size_pt * TWIPS_PER_PT  # one character of body type
# A line set from the left must start at least this far in to stand on the right side.
RIGHT_SIDE_MIN_CHARS = 8
# A right-aligned line must keep at least this much room on its right (右空二字, with rounding).
RIGHT_GAP_MIN_CHARS = 1
# 附件说明 左空二字: its first line starts this far in, give or take.
ATTACHMENT_INDENT_CHARS = (1.5, 2.5)
# A right-aligned body paragraph longer than this is not a short closing line.
BODY_ALIGNMENT_MIN_CHARS = 10
# Words common in 公文 titles: a line break between their characters cuts a word
# (GB/T 9704 7.3.1 回行时词意完整). Without a dictionary of the whole language
# only breaks inside these are reported, so a break between two words is never
# taken for one inside a word.
TITLE_WORDS = frozenset("""
传播 工作 情况 建设 管理 发展 安全 生产 整治 专项 通知 报告 会议 纪要 经济 社会 服务 改革 规划 实施 方案 意见 决定
表彰 先进 单位 个人 部门 政府 人民 代表 大会 委员 主席 行动 巩固 提升 加强 推进 开展 做好 落实 组织 领导 干部 学习
教育 培训 检查 考核 评估 监督 治理 环境 保护 资源 项目 资金 预算 财政 税收 农业 农村 城市 乡村 振兴 脱贫 攻坚 疫情
防控 应急 消防 交通 运输 卫生 健康 医疗 文化 旅游 体育 科技 创新 人才 就业 养老 保障 住房 土地 规范 制度 机制 体系
标准 质量 效率 素材 整理 研究 专题 网络 信息 数据 统计 年度 总结 计划 安排 要点 通报 批复 请示 公告 通告 办法 规定
细则 印发 转发 关于 进一步 常委会 委员会 办公室 办公厅 党委 党组 支部 机关 事业 企业 公司 集团 学校 医院
社区 街道 乡镇 县委 市委 省委 中央 国务院 共产党 中国 全面 深化 高质量 现代化 营商 优化 提高 促进 完善 健全
""".split())
_WORD_MAX = max(len(word) for word in TITLE_WORDS)


def _space_chars(text: str) -> float:
    """Typed white space as characters: half-width space ½, full-width 1, tab 2."""
    return sum(0.5 if c == " " else 1.0 if c == "\u3000" else 2.0 if c == "\t" else 0.0 for c in text)


def _text_chars(text: str) -> float:
    return sum(0.5 if c.isascii() else 1.0 for c in text.strip())


def _lead_chars(p: Para) -> float:
    """How far in from the left margin the first line starts, in characters."""
    fmt = p.info.format
    first = fmt.first_line_chars / 100 * CHAR_TWIPS if fmt.first_line_chars else fmt.first_line_twips - fmt.hanging_twips
    stripped = p.text.lstrip()
    return (fmt.left_twips + first) / CHAR_TWIPS + _space_chars(p.text[: len(p.text) - len(stripped)])


def _right_gap_chars(p: Para) -> float:
    stripped = p.text.rstrip()
    return p.info.format.right_twips / CHAR_TWIPS + _space_chars(p.text[len(stripped):])


def _placement_fault(p: Para) -> str | None:
    """Why a closing line does not stand at the right (None: it does)."""
    jc = p.info.format.jc or "left"
    if jc == "center":
        return None  # centred over the date, as with a seal
    if jc in ("right", "end"):
        if _right_gap_chars(p) < RIGHT_GAP_MIN_CHARS:
            return "顶格居右，右侧没有空字"
        return None
    if _lead_chars(p) < RIGHT_SIDE_MIN_CHARS:
        return "排在左侧" if _lead_chars(p) < 1 else f"只从左侧缩进约 {_lead_chars(p):g} 个字，仍在左侧"
    return None


def check_signature_placement(doc: LintDocument) -> Iterator[Issue]:
    for p in doc.by_role(SIGNATURE):
        fault = _placement_fault(p)
        if fault:
            yield Issue(f"发文机关署名{fault}。署名应在正文（或附件说明）下空一行右空二字编排；"
                        "加盖印章时以成文日期为准居中编排（GB/T 9704 7.3.5）。联合行文的各机关署名应一起排列。",
                        p.index, excerpt(p.text.strip()))


def check_date_placement(doc: LintDocument) -> Iterator[Issue]:
    for p in doc.by_role(DATE):
        fault = _placement_fault(p)
        if fault:
            yield Issue(f"成文日期{fault}。成文日期应在署名下一行，右空二字（不加盖印章时首字比署名右移二字）"
                        "或右空四字（加盖印章时）编排（GB/T 9704 7.3.5）。",
                        p.index, excerpt(p.text.strip()))


def check_attachment_placement(doc: LintDocument) -> Iterator[Issue]:
    closing = [p.index for p in doc.paragraphs if p.role in (SIGNATURE, DATE)]
    for p in doc.by_role(ATTACHMENT):
        text = p.text.strip()
        if ATTACHMENT_LABEL_RE.match(text) and closing and p.index < closing[-1]:
            yield Issue("附件排在了署名和成文日期之前。附件应在成文日期之后另面编排，“附件”及顺序号顶格；"
                        "正文后只写附件说明（“附件：1. 名称”），左空二字（GB/T 9704 7.3.4、8.1）。", p.index, excerpt(text))
        elif ATTACHMENT_RE.match(text) and not ATTACHMENT_LABEL_RE.match(text):
            low, high = ATTACHMENT_INDENT_CHARS
            if not low <= _lead_chars(p) <= high:
                yield Issue(f"附件说明应在正文下空一行、左空二字编排，此处首行从左侧约 {_lead_chars(p):g} 个字处开始"
                            "（GB/T 9704 7.3.4）。", p.index, excerpt(text))


def _break_ok(before: str, after: str) -> bool:
    """False when a common title word runs across the line break."""
    before, after = before.rstrip(), after.lstrip()
    for n in range(2, _WORD_MAX + 1):
        for k in range(1, n):
            if before[-k:] + after[: n - k] in TITLE_WORDS and len(before) >= k and len(after) >= n - k:
                return False
    return True


def check_title_line_break(doc: LintDocument) -> Iterator[Issue]:
    titles = [p for p in doc.by_role(TITLE)]
    groups: list[list[Para]] = []
    for p in titles:
        if groups and p.index == groups[-1][-1].index + 1:
            groups[-1].append(p)
        else:
            groups.append([p])
    for group in groups:
        lines = [line for p in group for line in p.text.split("\n") if line.strip()]
        for before, after in zip(lines, lines[1:]):
            if not _break_ok(before, after):
                yield Issue(f"标题回行处可能把词拆开了（“{before.strip()[-2:]}／{after.strip()[:2]}”）：标题回行时要做到词意完整、"
                            "排列对称（GB/T 9704 7.3.1），请调整回行位置。", group[0].index, excerpt(before.strip()))


def check_body_alignment(doc: LintDocument) -> Iterator[Issue]:
    tally: Tally[str] = Tally()
    for p in doc.by_role(BODY):
        if p.info.in_table or len(p.text.strip()) <= BODY_ALIGNMENT_MIN_CHARS:
            continue
        if (p.info.format.jc or "left") in ("right", "end"):
            tally.add("right", p)
    yield from tally.issues(lambda _k, n: f"正文段落右对齐{count_note(n)}：正文应两端对齐（首行缩进二字）。")
