"""Build docx_templates/<kind>/base.docx from code.

Every part comes from ``service/docx/base_template.py`` (styles, numbering,
settings, footers, page set-up); the body holds the kind's scaffold, rendered
by the engine itself, so opening base.docx in Word shows every style at work.
The engine does not read these files back (it builds the same parts from
code); they are samples for people and for the docxtpl benchmark.
The output is byte-for-byte reproducible: run it after changing the profile or
the template code, and commit the result (a test checks it is up to date).

    python scripts/build_templates.py [--check]
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from service.engine import write_docx
from service.model import validate_report
from service.templates import TEMPLATES_DIR, template_kinds

# docProps of the committed templates carry a fixed time, for reproducible bytes.
BUILD_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def build_kind_docx(kind_id: str) -> bytes:
    """The base.docx of one kind: the fixed parts plus its rendered scaffold."""
    kind = template_kinds()[kind_id]
    # The engine builds every part from code; the file is a sample of it.
    return write_docx(validate_report(kind.scaffold), now=BUILD_TIME)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed base.docx is out of date")
    args = parser.parse_args(argv)
    stale = []
    for kind_id, kind in template_kinds().items():
        data = build_kind_docx(kind_id)
        target = TEMPLATES_DIR / kind_id / "base.docx"
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(str(target))
            continue
        target.write_bytes(data)
        print(f"wrote {target.relative_to(ROOT)} ({len(data)} bytes)")
    if stale:
        print("out of date (run python scripts/build_templates.py):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
