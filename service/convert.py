"""LibreOffice conversion: .docx → PDF (and PDF → PNG pages) for previews,
``--pdf``, ``?format=pdf`` and PDF batches.

A warm pool: each slot keeps one long-lived LibreOffice (started by
``service/lo_worker.py`` under the Python that has ``uno``, driving it with
unoserver's converter), with a user profile of its own (two LibreOffices
sharing a profile fail, and one conversion must never see another's
settings). Conversions go to an idle LibreOffice instead of starting one.

The guarantees of the one-process-per-conversion converter stay:
- a conversion past its time limit kills its LibreOffice's whole process
  group (soffice starts soffice.bin as a child), and a fresh one replaces it;
- a LibreOffice that crashed is started again (the conversion it was doing is
  tried once more);
- the wait for a free slot is bounded, and so is the number of waiters:
  beyond either the answer is "busy";
- LibreOffice reads the stand-in fonts of ``service/fonts/fonts.conf``;
  :func:`font_report` says which fonts a preview really used.
A LibreOffice is recycled after ``max_conversions`` conversions or when its
memory passes ``max_rss_mb``. The pool starts on first use and stops with the
process (at exit, or when the pool is garbage-collected); if the process dies without cleaning up, each LibreOffice
notices (its stdin pipe closes, its parent changes) and kills itself, so no
orphan survives a killed gunicorn worker.

Where Debian's python3-uno or the unoserver package is missing (or
``CONVERT_POOL=0``), every conversion starts its own ``soffice
--convert-to``, as before. Where LibreOffice itself is missing,
:class:`ConverterUnavailable` says so (the API answers 503; .docx still works).
"""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import logging
import os
import queue
import secrets
import select
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
WORKER_SCRIPT = Path(__file__).resolve().parent / "lo_worker.py"
DEFAULT_TIMEOUT_S = 60.0
START_TIMEOUT_S = 60.0  # a LibreOffice starts in a few seconds; this is a hang guard
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
OSL_PIPE_DIRS = ("/tmp", "/var/tmp")  # where LibreOffice puts its named pipes, whatever TMPDIR says


class ConversionError(RuntimeError):
    """A conversion failed; the message is Chinese and safe to show."""


class ConverterUnavailable(ConversionError):
    """LibreOffice is not installed."""


class ConverterBusy(ConversionError):
    """Every worker is taken and the wait for one ran out."""


class _Crashed(Exception):
    """The LibreOffice of a slot died while converting."""


class _Refused(Exception):
    """The worker answered with an error: the document failed, the process is fine."""


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


@functools.cache
def uno_python() -> str | None:
    """A Python that can ``import uno`` (Debian: /usr/bin/python3 with python3-uno)."""
    candidates = [os.environ["UNO_PYTHON"]] if os.environ.get("UNO_PYTHON") else list(UNO_PYTHONS)
    for python in candidates:
        if not os.access(python, os.X_OK):
            continue
        try:
            proc = subprocess.run([python, "-I", "-c", "import uno"], capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode == 0:
            return python
    return None


@functools.cache
def unoserver_site() -> str | None:
    """The folder holding the unoserver package (pure Python, shared with the uno Python)."""
    spec = importlib.util.find_spec("unoserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


def warm_available() -> bool:
    """A warm pool can run here: LibreOffice, a uno Python and unoserver, and not ``CONVERT_POOL=0``."""
    if os.environ.get("CONVERT_POOL", "1") == "0" or soffice_path() is None:
        return False
    return uno_python() is not None and unoserver_site() is not None


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
    """One cold ``soffice --convert-to`` run (the fallback without a warm pool)."""
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
    """Convert files to ``out_dir/<stem>.<fmt>``: PDFs through the shared warm pool
    (spread over its LibreOffices), other formats or no pool in one cold soffice run."""
    if fmt == "pdf" and warm_available():
        return default_converter().convert_paths(paths, out_dir, timeout_s)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        return convert_with_profile(paths, out_dir, Path(profile), fmt, timeout_s)


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            line = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state, ppid, pgrp, ...
        if int(line.rsplit(")", 1)[1].split()[2]) == pgid:
            pids.append(int(entry.name))
    return pids


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


_template_lock = threading.Lock()
_template_failed: set[Path] = set()  # templates that could not be built: not tried again


def _template_dir() -> Path:
    """Where the started-once profile lives: per user and LibreOffice build, shared by all pools."""
    soffice = Path(os.path.realpath(_soffice_or_raise()))
    stamp = f"{soffice.stat().st_mtime_ns:x}"
    return Path(tempfile.gettempdir()) / f"lo-pool-template-{os.getuid()}-{stamp}"


def _trusted(path: Path) -> bool:
    """Ours and writable by nobody else: a profile can switch macros on, so never take another user's."""
    try:
        st = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def profile_template() -> Path | None:
    """A profile copied from a LibreOffice that never converted anything.

    LibreOffice spends most of its start-up (about 3 s of 4) making a fresh
    profile; starting from a copy of this one takes about 1 s. The LibreOffice
    it comes from only opened and closed an empty Writer document and wrote
    its configuration out, so copies hold no trace of any conversion. Built
    once per machine (user and LibreOffice build); None if that failed.
    """
    target = _template_dir()
    if _trusted(target):
        return target
    with _template_lock:
        if _trusted(target) or target in _template_failed:
            return target if _trusted(target) else None
        build = Path(tempfile.mkdtemp(prefix="lo-pool-template-build-"))
        try:
            member = _Member(build / "profile")
            try:
                member.request({"template": True}, START_TIMEOUT_S)
                shutil.copytree(build / "profile", build / "ready", symlinks=True, ignore=shutil.ignore_patterns(".lock"))
            finally:
                member.kill()
            os.chmod(build / "ready", 0o700)
            try:
                build.joinpath("ready").rename(target)
            except OSError:
                pass  # another process was quicker: use its template
        except (ConversionError, _Crashed, _Refused, OSError) as exc:
            log.warning("no LibreOffice profile template, profiles start fresh: %s", exc)
            _template_failed.add(target)
        finally:
            shutil.rmtree(build, ignore_errors=True)
        return target if _trusted(target) else None


class _Member:
    """One long-lived LibreOffice (lo_worker.py and its soffice), used by one thread at a time."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        # LibreOffice listens on a Unix socket /tmp/OSL_PIPE_<uid>_<name> that
        # only this user can connect to; named after the pool's process so a
        # later pool can remove those a SIGKILL left behind.
        self.pipe_name = f"lo-pool-{os.getpid()}-{secrets.token_hex(8)}"
        self.conversions = 0
        self.soffice_pid = 0
        self._buf = b""
        env = converter_env()
        for name in ("PYTHONPATH", "PYTHONHOME"):  # the venv's must not leak into the uno Python
            env.pop(name, None)
        cmd = [
            str(uno_python()), "-I", str(WORKER_SCRIPT), "--soffice", _soffice_or_raise(),
            "--profile", str(profile), "--site", str(unoserver_site()),
            "--parent-pid", str(os.getpid()), "--start-timeout", str(START_TIMEOUT_S),
            "--pipe-name", self.pipe_name,
        ]
        # Its own session: the pool can kill LibreOffice and its children as
        # one group, and signals to gunicorn's group do not reach it.
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, cwd=profile.parent, start_new_session=True,
        )
        try:
            msg = self._read(START_TIMEOUT_S)
        except (_Crashed, ValueError):
            msg = None
        except TimeoutError:
            self.kill()
            raise ConversionError(f"LibreOffice 启动超时（超过 {START_TIMEOUT_S:.0f} 秒）") from None
        if not msg or not msg.get("ready"):
            self.kill()
            raise ConversionError("LibreOffice 启动失败，无法生成 PDF")
        self.soffice_pid = int(msg["soffice_pid"])

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read(self, timeout_s: float) -> dict[str, Any]:
        """The next JSON line from the worker; TimeoutError or _Crashed (end-of-file)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = _now() + timeout_s
        while b"\n" not in self._buf:
            left = deadline - _now()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, 65536)
            if not chunk:
                raise _Crashed
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def request(self, req: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        """One request and its answer; past ``timeout_s`` the whole group is killed."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(req).encode() + b"\n")
            self.proc.stdin.flush()
            msg = self._read(timeout_s)
        except (BrokenPipeError, _Crashed):
            raise _Crashed from None
        except TimeoutError:
            self.kill()
            raise ConversionError(f"PDF 转换超时（超过 {timeout_s:.0f} 秒），已终止") from None
        if not msg.get("ok"):
            raise _Refused(str(msg.get("error")))
        return msg

    def convert(self, src: Path, dst: Path, timeout_s: float) -> None:
        try:
            self.request({"in": str(src), "out": str(dst)}, timeout_s)
        except _Refused as exc:
            log.warning("LibreOffice could not convert a document: %s", exc)
            raise ConversionError("PDF 转换失败（LibreOffice 无法打开或导出该文档）") from None
        finally:
            self.conversions += 1

    def rss_mb(self) -> float:
        return sum(_rss_mb(pid) for pid in _group_pids(self.pid))

    def kill(self) -> None:
        """Kill the whole group (SIGKILL also ends a stopped or hung soffice.bin) and drop the profile."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream and stream.close()
        shutil.rmtree(self.profile, ignore_errors=True)
        for folder in OSL_PIPE_DIRS:  # a killed LibreOffice cannot remove its socket
            with contextlib.suppress(OSError):
                (Path(folder) / f"OSL_PIPE_{os.getuid()}_{self.pipe_name}").unlink()


def _now() -> float:
    return time.monotonic()


def _remove_orphaned_roots() -> None:
    """Remove the profiles and sockets of pools whose process died without cleaning up (SIGKILL)."""
    leftovers = list(Path(tempfile.gettempdir()).glob("lo-pool-*-*"))
    for folder in OSL_PIPE_DIRS:
        leftovers += Path(folder).glob(f"OSL_PIPE_{os.getuid()}_lo-pool-*-*")
    for path in leftovers:
        try:
            pid = int(path.name.split("lo-pool-", 1)[1].split("-")[0])
        except (IndexError, ValueError):
            continue  # not a pool's (the template, another program's)
        if pid == os.getpid() or Path(f"/proc/{pid}").exists():
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


class Converter:
    """A pool of ``workers`` slots, each with a warm LibreOffice and a profile of its own."""

    def __init__(
        self,
        workers: int = 2,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        wait_s: float = 30.0,
        max_waiting: int = 16,
        max_conversions: int = 200,
        max_rss_mb: float = 1024.0,
        warm: bool | None = None,
    ) -> None:
        self.workers = workers
        self.timeout_s = timeout_s
        self.wait_s = wait_s
        self.max_waiting = max_waiting
        self.max_conversions = max_conversions
        self.max_rss_mb = max_rss_mb
        self._warm = warm
        self._pid = os.getpid()
        _remove_orphaned_roots()
        self._root = Path(tempfile.mkdtemp(prefix=f"lo-pool-{self._pid}-"))
        # LIFO: a light load keeps reusing the warmest LibreOffice; the others
        # start only when conversions overlap.
        self._slots: queue.LifoQueue[int] = queue.LifoQueue()
        for i in reversed(range(workers)):
            self._slots.put(i)
        self._members: list[_Member | None] = [None] * workers
        self._replace: set[int] = set()  # slots whose LibreOffice was killed or died: start anew
        self._generation = 0
        self._waiting = 0
        self._lock = threading.Lock()
        self._closed = False
        # Runs on close(), when the pool is garbage-collected, or at exit.
        self._finalizer = weakref.finalize(self, _shutdown, self._pid, self._members, self._root)

    @property
    def warm(self) -> bool:
        if self._warm is None:
            self._warm = warm_available()
        return self._warm

    # -- slots ------------------------------------------------------------

    def _acquire(self, wait_s: float | None = None) -> int:
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise ConverterBusy("预览服务繁忙（排队的转换过多），请稍后再试")
            self._waiting += 1
        wait = self.wait_s if wait_s is None else wait_s
        try:
            return self._slots.get(timeout=wait)
        except queue.Empty:
            raise ConverterBusy(f"预览服务繁忙（等待超过 {wait:.0f} 秒），请稍后再试") from None
        finally:
            with self._lock:
                self._waiting -= 1

    @contextlib.contextmanager
    def _slot(self, wait_s: float | None = None) -> Iterator[int]:
        i = self._acquire(wait_s)
        try:
            yield i
        finally:
            self._release(i)

    def _release(self, i: int) -> None:
        member = self._members[i]
        stale = i in self._replace or (member is not None and (
            not member.alive() or member.conversions >= self.max_conversions or member.rss_mb() > self.max_rss_mb
        ))
        self._replace.discard(i)
        if not stale or self._closed:
            self._slots.put(i)
            return
        # Replace off the request's path: the slot comes back once the fresh
        # LibreOffice is up (or failed to start, and the next user retries).
        if member is not None:
            log.info("recycling LibreOffice %s after %s conversions", member.pid, member.conversions)

        def replace() -> None:
            try:
                self._drop(i)
                self._member(i)
            except ConversionError as exc:
                log.warning("LibreOffice did not restart: %s", exc)
            finally:
                self._slots.put(i)

        threading.Thread(target=replace, name="lo-pool-recycle", daemon=True).start()

    # -- members ------------------------------------------------------------

    def _member(self, i: int) -> _Member:
        member = self._members[i]
        if member is not None and member.alive():
            return member
        if member is not None:
            self._drop(i)
        with self._lock:
            if self._closed:
                raise ConversionError("PDF 转换服务已停止")
            self._generation += 1
            profile = self._root / f"profile-{i}-{self._generation}"
        template = profile_template()
        if template is not None:
            try:
                shutil.copytree(template, profile, symlinks=True, ignore=shutil.ignore_patterns(".lock"))
            except OSError as exc:  # e.g. disk full: LibreOffice makes a fresh profile itself
                log.warning("could not copy the profile template: %s", exc)
                shutil.rmtree(profile, ignore_errors=True)
        member = _Member(profile)
        self._members[i] = member
        return member

    def _drop(self, i: int) -> None:
        member, self._members[i] = self._members[i], None
        if member is not None:
            member.kill()

    def members(self) -> list[_Member]:
        """The LibreOffices running now (for tests and the benchmark)."""
        return [m for m in self._members if m is not None and m.alive()]

    def warm_up(self) -> None:
        """Start every slot's LibreOffice now, in parallel (the pool otherwise starts lazily)."""
        if not self.warm:
            return
        slots = [self._acquire(START_TIMEOUT_S) for _ in range(self.workers)]
        try:
            with ThreadPoolExecutor(max_workers=self.workers) as ex:
                list(ex.map(self._member, slots))
        finally:
            for i in slots:
                self._slots.put(i)

    # -- conversions ----------------------------------------------------------

    def _convert_in_slot(self, i: int, src: Path, dst: Path, timeout_s: float) -> None:
        if not self.warm:
            profile = self._root / f"profile-{i}"
            try:
                (out,) = convert_with_profile([src], dst.parent / f"cold-{i}", profile, "pdf", timeout_s)
            except ConversionError:
                # A killed soffice may leave its profile locked or half-written.
                shutil.rmtree(profile, ignore_errors=True)
                raise
            out.replace(dst)
            return
        for attempt in (1, 2):
            member = self._member(i)
            try:
                member.convert(src, dst, timeout_s)
                return
            except _Crashed:
                log.warning("LibreOffice %s died during a conversion (attempt %s)", member.pid, attempt)
                self._drop(i)
            except ConversionError:
                if not member.alive():  # killed at its time limit
                    self._drop(i)
                    self._replace.add(i)
                raise
        self._replace.add(i)
        raise ConversionError("LibreOffice 意外退出，PDF 转换失败")

    def _convert_path(self, src: Path, dst: Path, timeout_s: float | None, wait_s: float | None = None) -> None:
        _soffice_or_raise()
        with self._slot(wait_s) as i:
            self._convert_in_slot(i, src, dst, timeout_s or self.timeout_s)

    def to_pdf(self, docx: bytes, timeout_s: float | None = None, wait_s: float | None = None) -> bytes:
        """One .docx → PDF on a free LibreOffice of the pool."""
        _soffice_or_raise()
        with tempfile.TemporaryDirectory(prefix="convert-", dir=self._root) as tmp:
            src, dst = Path(tmp) / "report.docx", Path(tmp) / "report.pdf"
            src.write_bytes(docx)
            self._convert_path(src, dst, timeout_s, wait_s)
            if not dst.exists():
                raise ConversionError("PDF 转换失败（LibreOffice 未生成文件）")
            return dst.read_bytes()

    def _batch_wait(self, timeout_s: float | None) -> float:
        # A batch item may queue behind others' whole conversions.
        return self.wait_s + (timeout_s or self.timeout_s) * 2

    def convert_paths(self, paths: list[Path], out_dir: Path, timeout_s: float | None = None) -> list[Path]:
        """Files → ``out_dir/<stem>.pdf``, spread over the pool; the first failure is raised."""
        _soffice_or_raise()
        out_dir.mkdir(parents=True, exist_ok=True)
        outputs = [out_dir / (p.stem + ".pdf") for p in paths]
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="lo-batch") as ex:
            futures = [ex.submit(self._convert_path, p, o, timeout_s, self._batch_wait(timeout_s)) for p, o in zip(paths, outputs)]
            for f in futures:
                f.result()
        return outputs

    def batch(self, docs: Iterable[bytes], timeout_s: float | None = None) -> Iterator[bytes | ConversionError]:
        """Many .docx → PDF, spread over the pool; see :func:`docx_batch_to_pdf`."""
        _soffice_or_raise()

        def one(doc: bytes) -> bytes | ConversionError:
            try:
                return self.to_pdf(doc, timeout_s, self._batch_wait(timeout_s))
            except ConversionError as exc:
                return exc

        ex = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="lo-batch")
        pending: deque[Future[bytes | ConversionError]] = deque()
        try:
            for doc in docs:
                pending.append(ex.submit(one, doc))
                # Bounded look-ahead: memory stays small for long batches.
                while len(pending) >= 2 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            ex.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop every LibreOffice of the pool and remove its profiles."""
        with self._lock:
            self._closed = True
        self._finalizer()


def _shutdown(pid: int, members: list[_Member | None], root: Path) -> None:
    if os.getpid() != pid:
        return  # a forked copy: the LibreOffices belong to the parent
    for i, member in enumerate(members):
        members[i] = None
        if member is not None:
            member.kill()
    shutil.rmtree(root, ignore_errors=True)


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
_default_pid = 0
_default_lock = threading.Lock()


def default_converter() -> Converter:
    """The process's shared pool, sized by CONVERT_WORKERS, CONVERT_MAX_CONVERSIONS, CONVERT_MAX_RSS_MB."""
    global _default, _default_pid
    with _default_lock:
        # A forked child (gunicorn worker) must not share its parent's LibreOffices.
        if _default is None or _default_pid != os.getpid():
            _default = Converter(
                workers=int(os.environ.get("CONVERT_WORKERS", "2")),
                max_conversions=int(os.environ.get("CONVERT_MAX_CONVERSIONS", "200")),
                max_rss_mb=float(os.environ.get("CONVERT_MAX_RSS_MB", "1024")),
            )
            _default_pid = os.getpid()
        return _default


def docx_to_pdf(docx: bytes, timeout_s: float = DEFAULT_TIMEOUT_S) -> bytes:
    """Convert through the shared pool (time limit ``timeout_s`` per conversion)."""
    return default_converter().to_pdf(docx, timeout_s)


def docx_batch_to_pdf(docs: Iterable[bytes], timeout_s: float = DEFAULT_TIMEOUT_S) -> Iterator[bytes | ConversionError]:
    """Many .docx → PDF at once, spread over the shared pool's LibreOffices.

    ``docs``: the .docx bytes, read lazily (a generator is fine). Yields, in
    the same order, one item per document: the PDF bytes, or the
    :class:`ConversionError` of that document (time-out, LibreOffice could
    not open it, pool busy) — one bad document does not stop the batch, and
    the caller decides (skip it, report it, or stop). ``timeout_s`` limits
    each conversion. At most ``2 × CONVERT_WORKERS`` documents are in flight,
    so memory stays small for long batches. Raises
    :class:`ConverterUnavailable` before the first item when LibreOffice is
    not installed. Closing the generator early cancels the rest.

    Example: ``for name, pdf in zip(names, docx_batch_to_pdf(docxs)): ...``
    """
    return default_converter().batch(docs, timeout_s)
