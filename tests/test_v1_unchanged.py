"""Every v1 document renders exactly as before the v1.1 paragraph items and
attachments arrived: word/document.xml of each example (and of its native
numbering and sealed/Windows-font variants) hashes as it did then.

The hashes were taken from the code before tables, lead sentences and
attachment pages were added. Styles may gain styles for the new blocks; the
body of a v1 document must not change by a byte.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from service import render_report

GOLDEN = json.loads((Path(__file__).parent / "fixtures" / "v1_document_sha256.json").read_text(encoding="utf-8"))
VARIANTS: dict[str, dict[str, Any]] = {"": {}, "word": {"numbering": "word"}, "sealed-windows": {"seal": True, "font_set": "windows"}}


@pytest.mark.parametrize("key", sorted(GOLDEN))
def test_v1_examples_render_byte_for_byte_as_before(key: str, examples: dict[str, dict[str, Any]]) -> None:
    name, _, variant = key.partition("+")
    data = examples[name]
    data = {**data, "options": {**data.get("options", {}), **VARIANTS[variant]}}
    document = zipfile.ZipFile(io.BytesIO(render_report(data))).read("word/document.xml")
    assert hashlib.sha256(document).hexdigest() == GOLDEN[key], f"{key}: the body of a v1 document changed"
