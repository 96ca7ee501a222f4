"""Run-in headings (段首标题) must end with a mark before their body text follows.

"（一）稳住粮食生产基本盘全年粮食播种面积……" reads as one sentence: the
heading's own 。 (or ！？：；) is missing. The marks are the engine's
(:data:`service.profile.RUN_IN_END_MARKS`), which adds 。 when writing.
"""
from __future__ import annotations

from typing import Iterator

from ...profile import RUN_IN_DEFAULT_END, run_in_heading_ends
from ..document import LintDocument
from ..findings import Issue, excerpt


def check_run_in_end(doc: LintDocument) -> Iterator[Issue]:
    for p in doc.headings():
        # The checker splits a run-in heading at its full stop, by our styles,
        # or where the type changes from the heading's to the body's.
        if not p.run_in:
            continue
        heading = p.text[: p.heading_end]
        if not run_in_heading_ends(heading):
            shown = heading.strip()
            shown = "…" + shown[-12:] if len(shown) > 12 else shown
            yield Issue(
                f"段首标题“{shown}”后面直接接正文，缺少句末标点：应在标题末尾加“{RUN_IN_DEFAULT_END}”，与正文分开。",
                p.index,
                excerpt(p.text),
            )
