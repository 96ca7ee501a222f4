"""The code's shape: no import circles, one heading table read by every user of it."""
from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path

from flask.testing import FlaskClient

from service import numbering
from service.docx import base_template as T
from service.engine import write_docx
from service.model import validate_report
from service.lint.patterns import LABEL_LEVEL, LEVEL_NAMES
from service.profile import FONT_SETS, HEADING_RULES, heading_rule
from service.templates import template_kinds
from tests.support import ROOT

SERVICE = ROOT / "service"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module → service modules it imports (at module level or inside functions)."""
    paths = {module_name(p): p for p in SERVICE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in paths}
    for mod, path in paths.items():
        package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                names = [target] + [f"{target}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            graph[mod] |= {n for n in names if n in paths and n != mod}
    return graph


def related(a: str, b: str) -> bool:
    """A package and a module inside it (a package re-exporting its modules is no circle)."""
    return a.startswith(b + ".") or b.startswith(a + ".")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if related(v, w):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    graph = import_graph()
    assert "service.engine" in graph and "service.unit_templates.render" in graph["service.engine"]
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_the_engine_does_not_import_the_adapters() -> None:
    graph = import_graph()
    engine_side = ("service.engine", "service.layout", "service.model", "service.docx.writer", "service.unit_templates.render")
    for mod in engine_side:
        assert not {m for m in graph[mod] if m.startswith(("service.web", "service.api", "service.jobs"))}, mod


def test_labels_come_from_the_heading_table() -> None:
    for rule in HEADING_RULES:
        assert numbering.label(rule.level, 3) == rule.label_before + numbering.WORD_NUM_FMTS[rule.word_num_fmt](3) + rule.label_after
        assert numbering.label_kind(numbering.label(rule.level, 3) + "标题") == rule.label_kind
        assert LABEL_LEVEL[rule.label_kind] == rule.level and LEVEL_NAMES[rule.level] == rule.name_zh
    assert [numbering.label(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def test_word_numbering_and_styles_come_from_the_heading_table() -> None:
    fonts = FONT_SETS["gb2312"]
    xml = T.numbering_xml(fonts, bold_level3=True)
    levels = re.findall(r'<w:lvl w:ilvl="(\d)">.*?<w:numFmt w:val="([^"]+)"/>.*?<w:lvlText w:val="([^"]+)"/>(.*?)</w:lvl>', xml)
    assert len(levels) == len(HEADING_RULES)
    for (ilvl, fmt, text, rest), rule in zip(levels, HEADING_RULES):
        assert (int(ilvl) + 1, fmt, text) == (rule.level, rule.word_num_fmt, rule.word_lvl_text)
        assert f'w:eastAsia="{fonts.role_font(rule.font_role)}"' in rest
        assert ("<w:b/>" in rest) == rule.bold_allowed
    styles = T.styles_xml(fonts)
    for rule in HEADING_RULES:
        style = re.search(rf'<w:style [^>]*w:styleId="{T.S_HEADING[rule.level - 1]}".*?</w:style>', styles)
        assert style and f'w:eastAsia="{fonts.role_font(rule.font_role)}"' in style.group(0)


def test_the_page_gets_the_heading_table(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S).group(1))
    assert data["headingRules"] == [rule.page_data() for rule in HEADING_RULES]
    assert heading_rule(2).page_data() == {"level": 2, "name": "二级标题", "numFmt": "chineseCounting", "before": "（", "after": "）"}



def test_the_committed_base_packages_add_nothing_to_what_code_builds() -> None:
    """The engine builds every package part from code; reading a kind's base.docx back gives the same bytes."""
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for kind in template_kinds().values():
        for options in ({}, {"page_numbers": "center", "font_set": "windows", "numbering": "word", "bold_level3": True}):
            report = validate_report({**kind.scaffold, "options": options})
            assert write_docx(report, now=now) == write_docx(report, now=now, base_docx=kind.base_docx), kind.id


def test_every_endpoint_a_template_names_exists() -> None:
    """A page renamed into another blueprint must not leave a template asking for the old name (a 500 on GET)."""
    from service import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t"})
    named = {
        (path.name, m.group(1))
        for path in (ROOT / "service" / "web" / "templates").glob("*.html")
        for m in re.finditer(r"url_for\('([\w.]+)'", path.read_text(encoding="utf-8"))
    }
    assert named and not [(name, endpoint) for name, endpoint in sorted(named) if endpoint not in app.view_functions]
    client = app.test_client()
    for page in ("/", "/batch", "/lint"):
        assert client.get(page).status_code == 200, page
