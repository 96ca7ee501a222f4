"""Template kinds: one folder each under ``docx_templates/``.

A kind is its ``manifest.json`` (id, Chinese name, description, the fields it
uses, the layout features it turns on, a scaffold report) and a base .docx
built by ``scripts/build_templates.py``. Adding a kind is adding a folder.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(os.environ.get("DOCX_TEMPLATES_DIR", Path(__file__).resolve().parent.parent / "docx_templates"))


@dataclass(frozen=True)
class Features:
    """Layout parts a kind turns on; read by the layout, never by the writer."""

    red_header: bool = False  # 版头: 份号, 密级, 发文机关标志, 发文字号, red rule
    record: bool = False  # 版记 at the foot of the last page


@dataclass(frozen=True)
class TemplateKind:
    id: str
    name: str  # Chinese name shown to people
    description: str
    fields: tuple[str, ...]  # top-level report fields the form shows for this kind
    features: Features
    scaffold: dict[str, Any]
    base_docx: Path
    order: int = 100

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "fields": list(self.fields),
        }

    def detail(self) -> dict[str, Any]:
        return {**self.summary(), "scaffold": self.scaffold}


def _load_kind(folder: Path) -> TemplateKind:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    kind_id = manifest["id"]
    if kind_id != folder.name:
        raise RuntimeError(f"manifest id {kind_id!r} does not match its folder {folder.name!r}")
    return TemplateKind(
        id=kind_id,
        name=manifest["name"],
        description=manifest["description"],
        fields=tuple(manifest.get("fields", [])),
        features=Features(**manifest.get("features", {})),
        scaffold=manifest["scaffold"],
        base_docx=(folder / manifest.get("base", "base.docx")).resolve(),
        order=manifest.get("order", 100),
    )


@lru_cache(maxsize=1)
def template_kinds() -> dict[str, TemplateKind]:
    """All kinds, in the order their manifests ask for."""
    kinds = [
        _load_kind(folder)
        for folder in sorted(TEMPLATES_DIR.iterdir())
        if (folder / "manifest.json").is_file()
    ]
    kinds.sort(key=lambda k: (k.order, k.id))
    return {k.id: k for k in kinds}


def template_ids() -> list[str]:
    return list(template_kinds())


def get_kind(kind_id: str) -> TemplateKind:
    try:
        return template_kinds()[kind_id]
    except KeyError:
        raise KeyError(kind_id) from None
