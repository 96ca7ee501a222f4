"""The LibreOffice converter pool: concurrency, time limits, clear errors."""
from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest

from service import convert, render_report

DOC = {"title": "预览测试", "preamble": ["正文。"]}


def test_two_previews_at_once_both_succeed(soffice: None) -> None:
    converter = convert.Converter(workers=2, timeout_s=120)
    docx = render_report(DOC)
    results: list[bytes | Exception] = []

    def work() -> None:
        try:
            results.append(converter.to_pdf(docx))
        except Exception as exc:  # collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and all(isinstance(r, bytes) and r.startswith(b"%PDF") for r in results), results


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state


@pytest.mark.slow
def test_a_hanging_conversion_is_killed_at_its_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "child.pid"
    # A stand-in that hangs, with a child process as soffice.bin would have.
    script = fake_soffice(tmp_path, f"sleep 300 & echo $! > {marker}; wait")
    monkeypatch.setattr(convert, "soffice_path", lambda: script)
    converter = convert.Converter(workers=1, timeout_s=1.5)
    started = time.monotonic()
    with pytest.raises(convert.ConversionError, match="超时"):
        converter.to_pdf(b"docx")
    assert time.monotonic() - started < 60  # a hang guard, not a speed test
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not alive(child)  # the whole process group was killed, not only the shell
    # The worker slot is free again.
    with pytest.raises(convert.ConversionError):
        converter.to_pdf(b"docx")


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    with pytest.raises(convert.ConverterUnavailable, match="LibreOffice"):
        convert.Converter().to_pdf(render_report(DOC))


@pytest.mark.slow
def test_a_full_queue_answers_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = fake_soffice(tmp_path, "sleep 3")
    monkeypatch.setattr(convert, "soffice_path", lambda: script)
    converter = convert.Converter(workers=1, timeout_s=10, wait_s=0.5)
    blocker = threading.Thread(target=lambda: pytest.raises(convert.ConversionError, converter.to_pdf, b"x"))
    blocker.start()
    time.sleep(0.3)
    with pytest.raises(convert.ConverterBusy, match="繁忙"):
        converter.to_pdf(b"x")
    blocker.join()


def test_page_images_and_font_report(soffice: None) -> None:
    pdf = convert.Converter(workers=1).to_pdf(render_report({**DOC, "preamble": ["正文。" * 400]}))
    pages = convert.pdf_to_png_pages(pdf, dpi=30)
    assert len(pages) >= 2 and all(p.startswith(b"\x89PNG") for p in pages)
    report = {f.requested: f for f in convert.font_report(["仿宋_GB2312", "黑体"])}
    assert report["仿宋_GB2312"].used == "Noto Serif CJK SC" and not report["仿宋_GB2312"].installed
