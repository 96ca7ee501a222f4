"""The command line: ``python -m service render``."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import docx as python_docx
import pytest

from tests.support import EXAMPLES_DIR, ROOT


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service", *args], cwd=ROOT, capture_output=True, text=True, input=stdin)


def test_render_writes_the_docx(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    proc = run_cli("render", str(EXAMPLES_DIR / "short-summary.json"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = python_docx.Document(io.BytesIO(out.read_bytes()))
    assert doc.paragraphs[0].text.startswith("青峰县农业农村局")


def test_render_names_the_file_after_the_report(tmp_path: Path) -> None:
    src = tmp_path / "r.json"
    src.write_text(json.dumps({"title": "2025年/上半年 工作总结", "preamble": ["正文"]}, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "service", "render", str(src)], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "2025年_上半年 工作总结.docx").exists()


def test_bad_input_gives_exit_2_and_one_line_per_problem(tmp_path: Path) -> None:
    bad = {
        "sections": [{"heading": "坏\u0001标题", "sections": [{"heading": "二", "sections": [{"heading": "三", "sections": [
            {"heading": "四", "sections": [{"heading": "五"}]}]}]}]}],
        "date": "2022-13-45",
    }
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(bad), encoding="utf-8")
    proc = run_cli("render", str(src), "-o", str(tmp_path / "x.docx"))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert sorted(line.split(":")[0] for line in lines) == sorted([
        "/title", "/sections/0/heading", "/sections/0/sections/0/sections/0/sections/0/sections", "/date"])
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize("content, message", [("{not json", "不是有效的 JSON"), ("[1, 2]", "JSON 对象")])
def test_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    src = tmp_path / "bad.json"
    src.write_text(content, encoding="utf-8")
    proc = run_cli("render", str(src))
    assert proc.returncode == 2 and message in proc.stderr


def test_missing_file() -> None:
    proc = run_cli("render", "/no/such/file.json")
    assert proc.returncode == 2 and "不存在" in proc.stderr


def test_render_reads_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "stdin.docx"
    proc = run_cli("render", "-", "-o", str(out), stdin=json.dumps({"title": "标准输入", "preamble": ["正文"]}))
    assert proc.returncode == 0 and out.stat().st_size > 1000


def test_render_pdf(tmp_path: Path, soffice: None) -> None:
    out = tmp_path / "r.docx"
    proc = run_cli("render", str(EXAMPLES_DIR / "short-summary.json"), "-o", str(out), "--pdf")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_batch_writes_a_zip_and_a_summary(tmp_path: Path) -> None:
    import zipfile

    items = [{"title": f"报告{i}", "preamble": ["正文"]} for i in range(12)]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.zip"
    proc = run_cli("batch", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "已生成 12 份文档" in proc.stdout
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == sorted(f"报告{i}.docx" for i in range(12))


@pytest.mark.slow
def test_batch_from_csv_and_jsonl(tmp_path: Path) -> None:
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("title,preamble\n甲,正文\n乙,正文\n", encoding="utf-8")
    assert run_cli("batch", str(csv_file), "-o", str(tmp_path / "a.zip")).returncode == 0
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"title": "丙", "preamble": ["x"]}\n\n{"title": "丁", "preamble": ["y"]}\n', encoding="utf-8")
    proc = run_cli("batch", str(jsonl), "-o", str(tmp_path / "b.zip"))
    assert proc.returncode == 0 and "已生成 2 份" in proc.stdout


@pytest.mark.slow
def test_batch_reports_every_bad_item(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps([{"title": "好", "preamble": ["x"]}, {"preamble": ["x"]}, {"title": "t", "date": "明天", "preamble": ["x"]}]), encoding="utf-8")
    proc = run_cli("batch", str(src), "-o", str(tmp_path / "x.zip"))
    assert proc.returncode == 2
    assert [line.split(":")[0] for line in proc.stderr.strip().splitlines()] == ["/1/title", "/2/date"]
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.slow
def test_lint_passes_our_document_and_fails_a_bad_one(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    assert run_cli("render", str(EXAMPLES_DIR / "short-summary.json"), "-o", str(good)).returncode == 0
    proc = run_cli("lint", str(good))
    assert proc.returncode == 0, proc.stdout
    bad = tmp_path / "bad.docx"
    doc = python_docx.Document()
    doc.add_paragraph("关于某事的报告")
    doc.add_paragraph("一、第一项")
    doc.add_paragraph("三、第三项")
    doc.add_paragraph("2022年03月05日")
    doc.save(str(bad))
    proc = run_cli("lint", str(bad), "--json")
    assert proc.returncode == 1
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert {"page.margins", "heading.sequence", "date.form"} <= rules
    text = run_cli("lint", str(bad))
    assert "[错误]" in text.stdout and "heading.sequence" in text.stdout


@pytest.mark.slow
def test_lint_unreadable_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a docx")
    proc = run_cli("lint", str(junk))
    assert proc.returncode == 2 and proc.stderr.strip()


TEXT = """某县农业农村局2025年工作总结

今年以来，我局认真履行职责，各项工作取得新进展。

一、主要工作
（一）抓好粮食生产。全县粮食总产稳定在30万吨以上。
（二）推进乡村建设。完成农村改厕一千户。
二、下一步打算
继续抓好各项工作。

某县农业农村局
2025年12月20日
"""


@pytest.mark.slow
def test_import_text_to_json_and_retypeset(tmp_path: Path) -> None:
    src = tmp_path / "old.txt"
    src.write_text(TEXT, encoding="utf-8")
    out_json, out_docx = tmp_path / "r.json", tmp_path / "r.docx"
    proc = run_cli("import", str(src), "-o", str(out_json), "--docx", str(out_docx))
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert report["title"] == "某县农业农村局2025年工作总结"
    assert [s["heading"] for s in report["sections"]] == ["主要工作", "下一步打算"]
    assert report["sections"][0]["sections"][0] == {"heading": "抓好粮食生产。", "run_in": True, "paragraphs": ["全县粮食总产稳定在30万吨以上。"], "sections": []}
    assert report["signature"] == "某县农业农村局" and report["date"] == "2025-12-20"
    texts = [p.text for p in python_docx.Document(io.BytesIO(out_docx.read_bytes())).paragraphs]
    assert "（一）抓好粮食生产。全县粮食总产稳定在30万吨以上。" in texts and texts[-1] == "2025年12月20日"


@pytest.mark.slow
def test_import_gbk_text_and_empty_file(tmp_path: Path) -> None:
    src = tmp_path / "gbk.txt"
    src.write_bytes(TEXT.encode("gb18030"))
    proc = run_cli("import", str(src))
    assert proc.returncode == 0 and json.loads(proc.stdout)["title"] == "某县农业农村局2025年工作总结"
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    proc = run_cli("import", str(empty))
    assert proc.returncode == 2 and "为空" in proc.stderr
