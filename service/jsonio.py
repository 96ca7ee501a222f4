"""Reading JSON from clients: every way it can fail becomes one clear error.

``json.loads`` fails in more ways than ``JSONDecodeError``: an integer of
more than 4300 digits raises a plain ``ValueError`` and deep nesting a
``RecursionError``. All of them are the client's input, never a 500.
"""
from __future__ import annotations

import json
from typing import Any


class JsonInputError(ValueError):
    """Unreadable JSON; the message is Chinese and says where, when it can."""


def load_json(text: str | bytes) -> Any:
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise JsonInputError(f"不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节）") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）") from None
    except RecursionError:
        raise JsonInputError("JSON 嵌套层数过深") from None
    except ValueError:
        raise JsonInputError("JSON 中有无法读取的数值（数字位数过多）") from None
