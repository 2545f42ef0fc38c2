"""Reading a JSON request body strictly, before any work: bytes that are not UTF-8, JSON the parser
rejects (NaN and Infinity included), nesting deeper than MAX_JSON_DEPTH (checked by a scan, before
the recursive parser could overflow), and strings holding a lone surrogate ("\\ud800", valid JSON
escapes but no text: no encoder, log or embedder can take them) are all a ``BadBody`` whose messages
are English (``error``) and Vietnamese (``message``), never an exception the server did not expect."""

from __future__ import annotations

import json
import re
from typing import Any

from core.text import has_lone_surrogate

# Deepest nesting of arrays and objects a request may use. A request is an object holding lists of
# turns whose content may be a list of parts: 4 levels; the rest is room.
MAX_JSON_DEPTH = 16
# How much of an error's text a log line or a response echoes (a rejected value may be 256 KB long).
ERROR_ECHO_CHARS = 200

_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET_RE = re.compile(r"[\[\]{}]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")  # shown as "?" in an error's echo


class BadBody(ValueError):
    """A request body refused: ``str(err)`` in English for the log, ``message`` in Vietnamese."""

    def __init__(self, error: str, message: str) -> None:
        super().__init__(shorten(error))
        self.message = message


def shorten(text: str, limit: int = ERROR_ECHO_CHARS) -> str:
    """``text`` on one line, at most ``limit`` characters, lone surrogates shown as '?'."""
    text = _SURROGATE_RE.sub("?", " ".join(str(text).split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON ``text`` (brackets inside strings do not count)."""
    depth = deepest = 0
    for m in _BRACKET_RE.finditer(_STRING_RE.sub('""', text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _surrogate_free(value: Any) -> bool:
    """No string of ``value`` (keys included) holds a lone surrogate; iterative, any depth."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if has_lone_surrogate(v):
                return False
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return True


def parse_json(raw: bytes) -> Any:
    """The JSON value of a request body, or BadBody saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBody(f"the body is not valid JSON (not UTF-8: {exc})",
                      "Dữ liệu gửi lên không phải JSON hợp lệ (không phải UTF-8).") from None
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise BadBody(f"the body nests {depth} levels deep; the limit is {MAX_JSON_DEPTH}",
                      "Dữ liệu gửi lên lồng nhau quá sâu.")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise BadBody(f"the body is not valid JSON: {exc}", "Dữ liệu gửi lên không phải JSON hợp lệ.") from None
    if not _surrogate_free(value):
        raise BadBody("the body holds a lone surrogate (an unpaired \\ud800-\\udfff escape), which is not text",
                      "Dữ liệu gửi lên chứa ký tự không hợp lệ.")
    return value
