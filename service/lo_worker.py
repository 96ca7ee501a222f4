"""One warm LibreOffice of the conversion pool (see service/convert.py).

Run by the pool as ``<python with uno> -I lo_worker.py ...`` in a session of
its own, so this process leads a process group that holds LibreOffice too.
It is a standalone script: it runs under the Python that has LibreOffice's
``uno`` module (Debian's python3-uno), not under the service's virtualenv,
and imports only the standard library, ``uno`` and unoserver's converter.

Protocol: one JSON object per line. After start it writes
``{"ready": true, "soffice_pid": N}`` on stdout; then for each request
``{"in": PATH, "out": PATH}`` on stdin it writes ``{"ok": true}`` or
``{"ok": false, "error": TEXT}``. ``{"template": true}`` readies a LibreOffice
that never converted anything so the pool can copy its profile (see
``convert.profile_template``).

Lifetime: the whole process group (this script and LibreOffice) is killed
when stdin reaches end-of-file — the parent's end of the pipe closes when the
parent dies, even by SIGKILL — when the parent changes (re-parented after the
parent's death, in case a forked child kept the pipe open), or when
LibreOffice exits. So a dead gunicorn worker never leaves LibreOffice behind.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

PARENT_POLL_S = 0.5


def kill_group() -> None:
    """Kill this process group: LibreOffice and this script."""
    os.killpg(0, signal.SIGKILL)


def watch_parent(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            kill_group()
        time.sleep(PARENT_POLL_S)


def watch_office(proc: subprocess.Popen[bytes]) -> None:
    # A LibreOffice that died (crash, OOM killer) ends the worker: the pool
    # sees end-of-file and starts a fresh one.
    proc.wait()
    kill_group()


def reply(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def connect(pipe_name: str, site: str, deadline: float) -> Any:
    """unoserver's converter, connected over a private named pipe instead of TCP."""
    sys.path.append(site)  # appended: the system's packages (uno) win
    import uno
    from unoserver import converter

    class PipeConverter(converter.UnoConverter):
        # Same as UnoConverter.__init__ but over a pipe only this user can open:
        # a TCP port on 127.0.0.1 would let any local user drive LibreOffice.
        def __init__(self) -> None:
            self.local_context = uno.getComponentContext()
            resolver = self.local_context.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", self.local_context
            )
            self.resolver = resolver
            self.context = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
            self.service = self.context.ServiceManager
            self.desktop = self.service.createInstanceWithContext("com.sun.star.frame.Desktop", self.context)
            self.filter_service = self.service.createInstanceWithContext("com.sun.star.document.FilterFactory", self.context)
            self.type_service = self.service.createInstanceWithContext("com.sun.star.document.TypeDetection", self.context)
            self.temp_dir = None
            self._export_filters = None
            self._import_filters = None

    while True:
        try:
            return PipeConverter()
        except Exception:  # NoConnectException until LibreOffice listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def office_gone(conv: Any) -> bool:
    """The UNO bridge no longer answers: LibreOffice died under the conversion."""
    try:
        conv.desktop.getComponents()
        return False
    except Exception:
        return True


def prepare_template(conv: Any) -> None:
    """Open and close an empty Writer document (so the profile holds Writer's
    settings, as after a first conversion, but no trace of any document), then
    write the configuration out: the profile is complete on disk."""
    # Not hidden: like a converted document it gets a (headless) window, and
    # that first window is when LibreOffice records its first-start settings.
    doc = conv.desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, ())
    doc.close(True)
    conv.service.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", conv.context).flush()


def serve(conv: Any) -> None:
    for line in sys.stdin:
        try:
            req = json.loads(line)
            if req.get("template"):
                prepare_template(conv)
                reply({"ok": True})
                continue
            # update_index=False: convert exactly as `soffice --convert-to pdf` does.
            conv.convert(inpath=req["in"], outpath=req["out"], update_index=False)
            reply({"ok": True})
        except Exception as exc:  # reported to the pool, which decides
            if office_gone(conv):
                kill_group()  # the pool sees end-of-file: a crash, not a bad document
            reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--site", required=True, help="folder holding the unoserver package")
    parser.add_argument("--parent-pid", type=int, required=True)
    parser.add_argument("--pipe-name", required=True, help="the UNO pipe LibreOffice listens on")
    parser.add_argument("--start-timeout", type=float, default=60.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: kill_group())
    threading.Thread(target=watch_parent, args=(args.parent_pid,), daemon=True).start()

    pipe_name = args.pipe_name
    office = subprocess.Popen(
        [
            args.soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
            "--nofirststartwizard", "--norestore", f"-env:UserInstallation={Path(args.profile).as_uri()}",
            f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    )
    threading.Thread(target=watch_office, args=(office,), daemon=True).start()
    conv = connect(pipe_name, args.site, time.monotonic() + args.start_timeout)
    reply({"ready": True, "soffice_pid": office.pid})
    serve(conv)
    kill_group()  # stdin closed: the pool let go of us, or the parent died


if __name__ == "__main__":
    main()
