"""An explorer request's parameters, checked before anything is computed.

Only the names a route declares are accepted, each at most once; words, texts and counts are
bounded. A failure is a ``BadRequest`` whose message names the parameter and the fix, shown on
the page as it stands.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl

from embedlab.errors import EmbedlabError

#: The longest word, formula or group list accepted, in characters.
MAX_WORD_CHARS = 200
MAX_TEXT_CHARS = 2000
#: The most words in a typed list (the map's words, a group's words, all groups together).
MAX_LIST_WORDS = 1000
#: The most parameters in one request, and the longest query string, in characters.
MAX_FIELDS = 16
MAX_QUERY_CHARS = 32768


class BadRequest(EmbedlabError):
    """A request parameter is missing, unknown, repeated, too long or out of range."""


class Params:
    """The checked parameters of one request, read by name with their bounds."""

    def __init__(self, query: str, allowed):
        if len(query) > MAX_QUERY_CHARS:
            raise BadRequest(
                f"the query string has {len(query):,} characters; at most {MAX_QUERY_CHARS:,}"
            )
        try:
            pairs = parse_qsl(
                query, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
            )
        except UnicodeDecodeError:
            raise BadRequest("the query string is not valid UTF-8: encode it as UTF-8") from None
        except ValueError:
            raise BadRequest(f"more than {MAX_FIELDS} parameters: give fewer") from None
        self.values: dict[str, str] = {}
        for name, value in pairs:
            if name not in allowed:
                known = ", ".join(sorted(allowed)) or "none"
                raise BadRequest(f"unknown parameter {name!r}: this request takes {known}")
            if name in self.values:
                raise BadRequest(f"parameter {name!r} is given twice: give it once")
            self.values[name] = value

    def text(self, name: str, default: str | None = None, limit: int = MAX_TEXT_CHARS):
        """The parameter as text (surrounding spaces dropped), or ``default`` when absent or
        empty."""
        value = self.values.get(name)
        if value is None or not value.strip():
            return default
        if len(value) > limit:
            raise BadRequest(f"{name} has {len(value):,} characters; at most {limit:,}")
        if any(unicodedata.category(c) == "Cc" for c in value):
            raise BadRequest(f"{name} holds control characters: remove them")
        return value.strip()

    def word(self, name: str) -> str:
        """A required word."""
        value = self.text(name, limit=MAX_WORD_CHARS)
        if value is None:
            raise BadRequest(f"{name} is missing: give a word, e.g. {name}=king")
        return value

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        text = self.text(name, limit=12)
        if text is None:
            return default
        try:
            value = int(text)
        except ValueError:
            raise BadRequest(f"{name} must be a whole number, got {text!r}") from None
        if not minimum <= value <= maximum:
            raise BadRequest(f"{name} must be from {minimum:,} to {maximum:,}, got {value:,}")
        return value

    def choice(self, name: str, default: str, choices) -> str:
        value = self.text(name, default=default, limit=MAX_WORD_CHARS)
        if value not in choices:
            raise BadRequest(f"{name} must be one of {', '.join(choices)}, got {value!r}")
        return value

    def words(self, name: str) -> list[str] | None:
        """A comma-separated list of words (repeats dropped), or None when absent."""
        text = self.text(name, limit=MAX_QUERY_CHARS)
        if text is None:
            return None
        return _word_list(name, text.split(","))

    def groups(self, name: str) -> dict[str, list[str]]:
        """``NAME:w1,w2;NAME2:w3`` -> ``{NAME: [w1, w2], NAME2: [w3]}``, in the order given."""
        text = self.text(name, limit=MAX_QUERY_CHARS)
        groups: dict[str, list[str]] = {}
        for spec in (text or "").split(";"):
            if not spec.strip():
                continue
            label, sep, members = spec.partition(":")
            label = label.strip()
            if not sep or not label:
                raise BadRequest(f"group {spec.strip()!r} is not NAME:w1,w2: e.g. royal:king,queen")
            if label in groups:
                raise BadRequest(f"group {label!r} is given twice: merge its words")
            groups[label] = _word_list(f"group {label}", members.split(","))
        if sum(len(m) for m in groups.values()) > MAX_LIST_WORDS:
            raise BadRequest(f"the groups hold more than {MAX_LIST_WORDS:,} words: give fewer")
        return groups


def _word_list(name: str, items) -> list[str]:
    words = list(dict.fromkeys(w.strip() for w in items if w.strip()))
    if not words:
        raise BadRequest(f"{name} has no words: give them comma-separated, e.g. king,queen")
    if len(words) > MAX_LIST_WORDS:
        raise BadRequest(f"{name} has {len(words):,} words; at most {MAX_LIST_WORDS:,}")
    long = next((w for w in words if len(w) > MAX_WORD_CHARS), None)
    if long is not None:
        raise BadRequest(
            f"{name} holds a word of {len(long):,} characters; at most {MAX_WORD_CHARS}"
        )
    return words
