"""A unit's own templates (letterhead, page decorations) with placeholders."""
from .check import Limits, UnitTemplateError, read_checked
from .render import inspect_template, pour
from .store import LazyUnitTemplateStore, UnitTemplate, UnitTemplateStore

__all__ = ["LazyUnitTemplateStore", "Limits", "UnitTemplate", "UnitTemplateError", "UnitTemplateStore", "inspect_template", "pour", "read_checked"]
