"""LibreOffice conversion: .docx → PDF (and PDF → PNG pages) for previews,
``--pdf`` and ``?format=pdf``.

A small pool of workers, each with its own LibreOffice user profile (two
conversions sharing a profile fail), a time limit per conversion that kills
the whole process group (soffice starts soffice.bin as a child), and a
bounded wait for a free worker. Conversions use the stand-in fonts of
``service/fonts/fonts.conf``; :func:`font_report` says which fonts a preview
really used.
"""
from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
DEFAULT_TIMEOUT_S = 60.0


class ConversionError(RuntimeError):
    """A conversion failed; the message is Chinese and safe to show."""


class ConverterUnavailable(ConversionError):
    """LibreOffice is not installed."""


class ConverterBusy(ConversionError):
    """Every worker is taken and the wait for one ran out."""


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    return soffice_path() is not None


def converter_env() -> dict[str, str]:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def _run_bounded(cmd: list[str], timeout_s: float) -> int:
    """Run a command in its own process group; kill the group on time-out."""
    with subprocess.Popen(
        cmd, env=converter_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    ) as proc:
        try:
            return proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ConversionError(f"PDF 转换超时（超过 {timeout_s:.0f} 秒），已终止") from None


def _soffice_or_raise() -> str:
    soffice = soffice_path()
    if soffice is None:
        raise ConverterUnavailable("服务器未安装 LibreOffice，无法生成 PDF 预览；Word 文档仍可正常下载")
    return soffice


def convert_with_profile(paths: list[Path], out_dir: Path, profile: Path, fmt: str, timeout_s: float) -> list[Path]:
    soffice = _soffice_or_raise()
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        "--convert-to", fmt, "--outdir", str(out_dir), *map(str, paths),
    ]
    returncode = _run_bounded(cmd, timeout_s)
    outputs = [out_dir / (p.stem + "." + fmt) for p in paths]
    if returncode != 0 or not all(o.exists() for o in outputs):
        raise ConversionError(f"PDF 转换失败（LibreOffice 退出码 {returncode}）")
    return outputs


def convert_files(paths: list[Path], out_dir: Path, fmt: str = "pdf", timeout_s: float = DEFAULT_TIMEOUT_S) -> list[Path]:
    """Convert files in one soffice run with a fresh profile (fast for many files)."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        return convert_with_profile(paths, out_dir, Path(profile), fmt, timeout_s)


class Converter:
    """A pool of LibreOffice workers, each with a profile of its own that it keeps."""

    def __init__(self, workers: int = 2, timeout_s: float = DEFAULT_TIMEOUT_S, wait_s: float = 30.0, max_waiting: int = 16):
        self.timeout_s = timeout_s
        self.wait_s = wait_s
        self.max_waiting = max_waiting
        self._root = Path(tempfile.mkdtemp(prefix="lo-pool-"))
        self._slots: queue.Queue[Path] = queue.Queue()
        for i in range(workers):
            self._slots.put(self._root / f"profile-{i}")
        self._waiting = 0
        self._lock = threading.Lock()

    def _acquire(self) -> Path:
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise ConverterBusy("预览服务繁忙（排队的转换过多），请稍后再试")
            self._waiting += 1
        try:
            return self._slots.get(timeout=self.wait_s)
        except queue.Empty:
            raise ConverterBusy(f"预览服务繁忙（等待超过 {self.wait_s:.0f} 秒），请稍后再试") from None
        finally:
            with self._lock:
                self._waiting -= 1

    def to_pdf(self, docx: bytes, timeout_s: float | None = None) -> bytes:
        _soffice_or_raise()
        profile = self._acquire()
        try:
            with tempfile.TemporaryDirectory(prefix="convert-") as tmp:
                src = Path(tmp) / "report.docx"
                src.write_bytes(docx)
                (out,) = convert_with_profile([src], Path(tmp) / "out", profile, "pdf", timeout_s or self.timeout_s)
                return out.read_bytes()
        except ConversionError:
            # A killed soffice may leave its profile locked or half-written.
            shutil.rmtree(profile, ignore_errors=True)
            raise
        finally:
            self._slots.put(profile)


def pdf_to_png_pages(pdf: bytes, dpi: int = 72, max_pages: int = 50, timeout_s: float = 60.0) -> list[bytes]:
    """Page images for the browser, by poppler's pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise ConverterUnavailable("服务器未安装 poppler-utils（pdftoppm），无法生成页面图片")
    with tempfile.TemporaryDirectory(prefix="pages-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        code = _run_bounded([tool, "-png", "-r", str(dpi), "-l", str(max_pages), str(src), str(Path(tmp) / "page")], timeout_s)
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if code != 0 or not pages:
            raise ConversionError("页面图片生成失败")
        return [p.read_bytes() for p in pages]


@dataclass(frozen=True)
class FontUse:
    requested: str
    used: str
    installed: bool  # the requested font itself is on the server


def font_report(names: list[str]) -> list[FontUse]:
    """Which font a preview shows for each requested name (fontconfig, with our stand-ins)."""
    tool = shutil.which("fc-match")
    out = []
    for name in names:
        used = name
        if tool:
            proc = subprocess.run([tool, "-f", "%{family[0]}", name], env=converter_env(), capture_output=True, text=True, timeout=10)
            used = proc.stdout.strip() or "?"
        out.append(FontUse(name, used, used == name))
    return out


_default: Converter | None = None
_default_lock = threading.Lock()


def default_converter() -> Converter:
    global _default
    with _default_lock:
        if _default is None:
            _default = Converter(workers=int(os.environ.get("CONVERT_WORKERS", "2")))
        return _default


def docx_to_pdf(docx: bytes, timeout_s: float = DEFAULT_TIMEOUT_S) -> bytes:
    """Convert through the shared pool (time limit ``timeout_s`` per conversion)."""
    return default_converter().to_pdf(docx, timeout_s)
