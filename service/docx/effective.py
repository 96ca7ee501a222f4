"""Moved to service/ooxml/reader.py (the one Word reader); kept so old imports work."""
from ..ooxml.reader import *  # noqa: F401,F403
from ..ooxml.reader import _containers, _int, _on, _owner_paragraph  # noqa: F401
