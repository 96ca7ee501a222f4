"""A unit's own templates (letterhead, page decorations) with placeholders."""
from .check import Limits, UnitTemplateError, read_checked
from .render import inspect_template, pour
from .store import UnitTemplate, UnitTemplateStore

__all__ = ["Limits", "UnitTemplate", "UnitTemplateError", "UnitTemplateStore", "inspect_template", "pour", "read_checked"]
