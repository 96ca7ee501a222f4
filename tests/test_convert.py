"""The LibreOffice converter pool: warm processes, time limits, crashes,
recycling, busy answers, batches, and no process outliving its parent.

The fault tests run against a real LibreOffice. A hang is made by stopping
soffice.bin (SIGSTOP) while it holds a conversion: to the pool it is exactly
a LibreOffice that never answers.
"""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from tests.support import ROOT, require_tool

from service import convert, render_report

DOC = {"title": "预览测试", "preamble": ["正文。"]}


@pytest.fixture()
def warm_pool(soffice: None) -> None:
    require_tool(convert.warm_available(), "the warm LibreOffice pool (python3-uno and unoserver)")


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def soffice_bin(member: convert._Member) -> int:
    (pid,) = [p for p in convert._group_pids(member.pid) if "soffice.bin" in cmdline(p) and alive(p)]
    return pid


def wait_dead(pids: list[int], timeout_s: float = 30) -> list[int]:
    """The pids still alive after a hang guard (empty when all ended)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def pdf_text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return "".join(page.get_text() for page in doc)


@pytest.fixture()
def pool(warm_pool: None) -> Iterator[convert.Converter]:
    converter = convert.Converter(workers=1, timeout_s=120)
    yield converter
    converter.close()


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
    converter.close()
    assert len(results) == 2 and all(isinstance(r, bytes) and r.startswith(b"%PDF") for r in results), results


def test_libreoffice_stays_warm_with_a_profile_and_fonts_of_its_own(warm_pool: None) -> None:
    converter = convert.Converter(workers=2, timeout_s=120)
    try:
        converter.warm_up()
        members = converter.members()
        assert len(members) == 2
        first = [m.pid for m in members]
        for _ in range(3):
            assert converter.to_pdf(render_report(DOC)).startswith(b"%PDF")
        assert [m.pid for m in converter.members()] == first  # reused, not started again
        profiles = []
        for m in members:
            office = soffice_bin(m)
            args = cmdline(office)
            profiles.append(m.profile)
            assert f"-env:UserInstallation={m.profile.as_uri()}" in args
            environ = Path(f"/proc/{office}/environ").read_bytes().split(b"\0")
            assert f"FONTCONFIG_FILE={convert.FONTS_CONF}".encode() in environ
        assert profiles[0] != profiles[1] and all(p.is_dir() for p in profiles)
        # New profiles are copies of a template no conversion ever touched.
        template = convert.profile_template()
        assert template is not None
        settings = (template / "user" / "registrymodifications.xcu").read_text()
        assert ".docx" not in settings and "convert-" not in settings
    finally:
        converter.close()
    assert not any(p.exists() for p in profiles)  # profiles go with the pool


def test_recycled_after_n_conversions_and_past_the_memory_cap(warm_pool: None) -> None:
    converter = convert.Converter(workers=1, timeout_s=120, max_conversions=2)
    try:
        converter.to_pdf(render_report(DOC))
        (old,) = converter.members()
        old_pids, old_profile = convert._group_pids(old.pid), old.profile
        converter.to_pdf(render_report(DOC))  # the second: recycled behind the answer
        assert converter.to_pdf(render_report(DOC)).startswith(b"%PDF")
        (new,) = converter.members()
        assert new.pid != old.pid and new.profile != old_profile
        assert wait_dead(old_pids) == [] and not old_profile.exists()

        converter.max_rss_mb = 1  # any LibreOffice is bigger than this
        converter.to_pdf(render_report(DOC))
        with converter._slot(wait_s=120) as i:  # free again once the replacement is up
            newer = converter._members[i]
            assert newer is not None and newer.alive() and newer.pid != new.pid
    finally:
        converter.close()


def test_a_libreoffice_killed_mid_conversion_is_replaced(pool: convert.Converter) -> None:
    docx = render_report(DOC)
    pool.to_pdf(docx)
    (member,) = pool.members()
    office = soffice_bin(member)
    os.kill(office, signal.SIGSTOP)  # hold it mid-conversion
    result: list[bytes | Exception] = []
    worker = threading.Thread(target=lambda: result.append(pool.to_pdf(docx)))
    worker.start()
    time.sleep(0.5)
    os.kill(office, signal.SIGKILL)
    worker.join(120)  # hang guard
    assert not alive(office)
    # The conversion in flight was tried again on a fresh LibreOffice...
    assert result and isinstance(result[0], bytes) and result[0].startswith(b"%PDF"), result
    # ...and the next one succeeds too.
    assert "预览测试" in pdf_text(pool.to_pdf(docx))
    assert pool.members()[0].pid != member.pid


def test_a_hanging_conversion_is_killed_at_its_limit_and_the_pool_recovers(pool: convert.Converter) -> None:
    docx = render_report(DOC)
    pool.to_pdf(docx)
    (member,) = pool.members()
    group = convert._group_pids(member.pid)
    os.kill(soffice_bin(member), signal.SIGSTOP)  # it hangs: it never answers
    started = time.monotonic()
    with pytest.raises(convert.ConversionError, match="超时"):
        pool.to_pdf(docx, timeout_s=3)
    assert time.monotonic() - started < 60  # a hang guard, not a speed test
    assert wait_dead(group) == []  # the whole group was killed, not only the worker script
    assert "预览测试" in pdf_text(pool.to_pdf(docx))


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@pytest.mark.slow
def test_a_libreoffice_that_never_starts_is_killed(warm_pool: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "child.pid"
    # A stand-in that hangs instead of listening, with a child as soffice.bin would have.
    script = fake_soffice(tmp_path, f"sleep 300 & echo $! > {marker}; wait")
    monkeypatch.setattr(convert, "soffice_path", lambda: script)
    monkeypatch.setattr(convert, "START_TIMEOUT_S", 3.0)
    converter = convert.Converter(workers=1)
    with pytest.raises(convert.ConversionError, match="启动超时"):
        converter.to_pdf(b"docx")
    assert wait_dead([int(marker.read_text())]) == []
    converter.close()


@pytest.mark.slow
def test_a_hanging_cold_conversion_is_killed_at_its_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a warm pool (no python3-uno), each conversion is one soffice run, bounded the same way."""
    marker = tmp_path / "child.pid"
    script = fake_soffice(tmp_path, f"sleep 300 & echo $! > {marker}; wait")
    monkeypatch.setattr(convert, "soffice_path", lambda: script)
    converter = convert.Converter(workers=1, timeout_s=1.5, warm=False)
    started = time.monotonic()
    with pytest.raises(convert.ConversionError, match="超时"):
        converter.to_pdf(b"docx")
    assert time.monotonic() - started < 60  # a hang guard, not a speed test
    assert wait_dead([int(marker.read_text())]) == []  # the whole process group was killed
    with pytest.raises(convert.ConversionError):  # the slot is free again
        converter.to_pdf(b"docx")


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    assert not convert.warm_available()
    with pytest.raises(convert.ConverterUnavailable, match="LibreOffice"):
        convert.Converter().to_pdf(render_report(DOC))
    with pytest.raises(convert.ConverterUnavailable, match="LibreOffice"):
        convert.Converter().batch([render_report(DOC)]).__next__()


@pytest.mark.slow
def test_a_full_queue_answers_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "soffice_path", lambda: "/bin/true")
    converter = convert.Converter(workers=1, wait_s=0.3, max_waiting=1)
    with converter._slot():  # the only LibreOffice is taken
        with pytest.raises(convert.ConverterBusy, match="繁忙"):
            converter.to_pdf(b"x")
        converter.max_waiting = 0
        with pytest.raises(convert.ConverterBusy, match="排队"):
            converter.to_pdf(b"x")


def test_a_batch_is_spread_over_the_pool_in_order(warm_pool: None) -> None:
    converter = convert.Converter(workers=2, timeout_s=120)
    try:
        titles = [f"第{n}份报告" for n in "一二三四五"]
        docs = (render_report({**DOC, "title": t}) for t in titles)
        results = list(converter.batch(docs))
        assert [t in pdf_text(r) for t, r in zip(titles, results)] == [True] * 5
        assert len(converter.members()) == 2 and sum(m.conversions for m in converter.members()) == 5
    finally:
        converter.close()


def test_the_pool_dies_with_its_parent(warm_pool: None, tmp_path: Path) -> None:
    """A process holding a pool is killed with SIGKILL: no atexit, no cleanup. Its LibreOffices follow it."""
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from service import convert, render_report
        c = convert.Converter(workers=2)
        c.warm_up()
        sockets = ",".join(f"/tmp/OSL_PIPE_{{os.getuid()}}_{{m.pipe_name}}" for m in c.members())
        print(c._root, sockets, *(p for m in c.members() for p in convert._group_pids(m.pid)), flush=True)
        time.sleep(600)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            root, sockets, *found = proc.stdout.readline().split()
            pids = [int(p) for p in found]
            assert len(pids) >= 4 and all(alive(p) for p in pids)
        finally:
            proc.kill()
    assert wait_dead(pids) == []
    assert Path(root).is_dir()  # nobody cleaned up after the SIGKILL...
    assert all(Path(s).exists() for s in sockets.split(","))
    convert.Converter(workers=1).close()
    assert not Path(root).exists()  # ...until the next pool starts
    assert not any(Path(s).exists() for s in sockets.split(","))


def test_page_images_and_font_report(soffice: None) -> None:
    converter = convert.Converter(workers=1)
    pdf = converter.to_pdf(render_report({**DOC, "preamble": ["正文。" * 400]}))
    converter.close()
    pages = convert.pdf_to_png_pages(pdf, dpi=30)
    assert len(pages) >= 2 and all(p.startswith(b"\x89PNG") for p in pages)
    report = {f.requested: f for f in convert.font_report(["仿宋_GB2312", "黑体"])}
    assert report["仿宋_GB2312"].used == "Noto Serif CJK SC" and not report["仿宋_GB2312"].installed


def test_without_python3_uno_each_conversion_starts_its_own_soffice(soffice: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "uno_python", lambda: None)
    assert not convert.warm_available()
    converter = convert.Converter(workers=1, timeout_s=120)
    try:
        assert "预览测试" in pdf_text(converter.to_pdf(render_report(DOC)))
        assert converter.members() == []  # nothing stays running
    finally:
        converter.close()


def words_and_fonts(pdf: bytes) -> list[tuple[list[tuple[float, float, float, float, str]], list[str]]]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [
            ([(round(w[0], 2), round(w[1], 2), round(w[2], 2), round(w[3], 2), w[4]) for w in page.get_text("words")],
             sorted({f[3] for f in page.get_fonts()}))
            for page in doc
        ]


def test_the_warm_pool_makes_the_same_pdf_as_a_cold_soffice(warm_pool: None, examples: dict[str, dict]) -> None:
    """Same pages, same words at the same positions, same fonts: the layout tests measure what users get."""
    docx = render_report(examples["town-renda-summary-long"])
    warm = convert.Converter(workers=1, timeout_s=120)
    cold = convert.Converter(workers=1, timeout_s=120, warm=False)
    try:
        assert words_and_fonts(warm.to_pdf(docx)) == words_and_fonts(cold.to_pdf(docx))
    finally:
        warm.close()
        cold.close()
