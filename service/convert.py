"""LibreOffice conversion: .docx → PDF, for previews, ``--pdf`` and ``?format=pdf``.

Each conversion runs ``soffice --headless`` with its own user profile (two
conversions sharing one profile fail) under a time limit, with the
stand-in font configuration of ``service/fonts/fonts.conf``.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
DEFAULT_TIMEOUT_S = 60.0


class ConversionError(RuntimeError):
    """A conversion failed; the message is Chinese and safe to show."""


class ConverterUnavailable(ConversionError):
    """LibreOffice is not installed."""


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


def convert_files(paths: list[Path], out_dir: Path, fmt: str = "pdf", timeout_s: float = DEFAULT_TIMEOUT_S) -> list[Path]:
    """Convert files in one soffice run (fast for many files); return the outputs."""
    soffice = soffice_path()
    if soffice is None:
        raise ConverterUnavailable("服务器未安装 LibreOffice，无法生成 PDF 预览；Word 文档仍可正常下载")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            *map(str, paths),
        ]
        returncode = _run_bounded(cmd, timeout_s)
    outputs = [out_dir / (p.stem + "." + fmt) for p in paths]
    if returncode != 0 or not all(o.exists() for o in outputs):
        raise ConversionError(f"PDF 转换失败（LibreOffice 退出码 {returncode}）")
    return outputs


def _run_bounded(cmd: list[str], timeout_s: float) -> int:
    """Run soffice in its own process group, killing the whole group on time-out
    (soffice starts soffice.bin as a child, which a plain kill would orphan)."""
    with subprocess.Popen(
        cmd, env=converter_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    ) as proc:
        try:
            return proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ConversionError(f"PDF 转换超时（超过 {timeout_s:.0f} 秒），已终止") from None


def docx_to_pdf(docx: bytes, timeout_s: float = DEFAULT_TIMEOUT_S) -> bytes:
    with tempfile.TemporaryDirectory(prefix="convert-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        (out,) = convert_files([src], Path(tmp) / "out", "pdf", timeout_s)
        return out.read_bytes()
