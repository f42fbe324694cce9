"""JSONL batches: one article per line, read line by line so that memory stays bounded.

Each line is an object with ``text`` (plain text) or ``html`` (a saved page), and optionally
``title``, ``url``, ``published``, ``outlet`` and ``authors`` (a list, or one string). The names
trafilatura's ``--json`` output gives these are read too (``raw_text``, ``source``, ``date``,
``sitename`` or ``source-hostname``, ``author``), so its output can be piped in as it is; the
names above win where a line has both. A bad line becomes an ``InputFailure`` named
``file.jsonl:LINE`` and the batch goes on.

Example:
    >>> import io
    >>> line = b'{"text": "The dam held, officials said.", "title": "Dam holds"}\\n'
    >>> [item.title for item in read_jsonl(io.BytesIO(line), "batch.jsonl", max_bytes=1000)]
    ['Dam holds']
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from claimledger.errors import InputError
from claimledger.ingest.html import parse_html
from claimledger.ingest.text import check_not_empty, decode_bytes, format_size, parse_text
from claimledger.model import Article, InputFailure

_SKIP_CHUNK = 65536
_UTF8_BOM = b"\xef\xbb\xbf"
_STRING_FIELDS = ("title", "url", "outlet")
# trafilatura's names for the same fields (its JSON output, and Document.as_dict()).
_ALIASES = {
    "text": ("raw_text",),
    "url": ("source",),
    "outlet": ("sitename", "source-hostname"),
    "authors": ("author",),
    "published": ("date",),
}
_URL = re.compile(r"https?://\S+\Z")
# A date, optionally followed by a time ("2024-12-10T08:00:00Z"): the article's day is its date.
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_NEEDS_TEXT = (
    'has no "text" or "html" field; give the article as "text" (plain text) '
    'or "html" (a saved page)'
)


def read_jsonl(stream: BinaryIO, name: str, *, max_bytes: int) -> Iterator[Article | InputFailure]:
    """One article (or failure) per non-blank line of ``stream``; ``name`` names the batch."""
    for number, line in _bounded_lines(stream, max_bytes):
        source = f"{name}:{number}"
        if line is None:
            yield InputFailure(
                source,
                f"line is over the {format_size(max_bytes)} limit for one "
                "article; shorten it, or raise --max-size",
            )
            continue
        if number == 1:
            line = line.removeprefix(_UTF8_BOM)
        if not line.strip():
            continue
        try:
            yield parse_line(line, source)
        except InputError as error:
            yield InputFailure(error.source, error.reason)


def _bounded_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    # readline(limit) never holds more than one article's worth of bytes; a longer line is
    # skipped in chunks and reported as None.
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield number, None
        else:
            yield number, line


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while chunk := stream.readline(_SKIP_CHUNK):
        if chunk.endswith(b"\n"):
            return


def parse_line(line: bytes, source: str) -> Article:
    """The article of one JSONL line; ``source`` (``file.jsonl:LINE``) becomes its path."""
    decoded = decode_bytes(line, source)
    record, replaced = _without_lone_surrogates(_load_object(decoded.text, source))
    notices = _take_aliases(record)
    if replaced:
        notices = (
            f"{replaced} lone surrogate escape{'s' if replaced != 1 else ''} (\\udXXX) "
            "stood for no character and became U+FFFD (\ufffd)",
            *notices,
        )
    article = _parse_record(record, source)
    article = _with_fields(article, record, source)
    notices = (*decoded.notices, *notices, *article.notices)
    return dataclasses.replace(article, notices=notices) if notices else article


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` with every lone surrogate in its strings replaced by U+FFFD, and their count.

    JSON lets a line escape half of a surrogate pair ("\\ud800"); Python then holds a string
    that no encoder can write, and the store and every output would fail on it. One character
    for one keeps the offsets into the text."""
    if isinstance(value, str):
        fixed, count = _LONE_SURROGATE.subn("\ufffd", value)
        return fixed, count
    if isinstance(value, list):
        pairs = [_without_lone_surrogates(item) for item in value]
        return [item for item, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        total = 0
        fixed_dict: dict[str, Any] = {}
        for key, item in value.items():
            fixed_key, n_key = _without_lone_surrogates(key)
            fixed_dict[fixed_key], n_item = _without_lone_surrogates(item)
            total += n_key + n_item
        return fixed_dict, total
    return value, 0


def _take_aliases(record: dict[str, Any]) -> tuple[str, ...]:
    """Copy trafilatura's names into ours where ours are missing; a value that does not fit is
    left out with a notice (another tool's "date" may not be the publication date)."""
    notices: list[str] = []
    for key, aliases in _ALIASES.items():
        if record.get(key) is not None:
            continue
        alias = next((name for name in aliases if record.get(name) not in (None, "")), None)
        if alias is None:
            continue
        value = record[alias]
        if key == "url" and not (isinstance(value, str) and _URL.match(value.strip())):
            continue  # a "source" that is not an address names something else: not ours
        if key == "published" and _iso_date(value) is None:
            notices.append(f'"{alias}" was not used: {json.dumps(value)} is not a YYYY-MM-DD date')
            continue
        if key != "authors" and not isinstance(value, str):
            notices.append(f'"{alias}" was not used: {json.dumps(value)} is not a string')
            continue
        record[key] = value.strip() if key == "url" else value
    return tuple(notices)


def _parse_record(record: dict[str, Any], source: str) -> Article:
    if isinstance(record.get("text"), str):
        check_not_empty(record["text"], source)
        article = parse_text(record["text"], path=source)
    elif isinstance(record.get("html"), str):
        article = parse_html(record["html"], source=source)
    elif "text" in record or "html" in record:
        raise InputError(source, '"text" and "html" must be strings; put the article in one')
    else:
        raise InputError(source, _NEEDS_TEXT)
    return article


def _load_object(line: str, source: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(source, f"not valid JSON ({error}); fix or remove the line") from None
    if not isinstance(record, dict):
        raise InputError(
            source,
            f"not a JSON object (a {type(record).__name__}); "
            'each line must be an object with "text" or "html"',
        )
    return record


def _with_fields(article: Article, record: dict[str, Any], source: str) -> Article:
    """The article with the line's own metadata, which wins over what was found in the text."""
    changes: dict[str, Any] = {}
    for key in _STRING_FIELDS:
        value = record.get(key)
        if value is not None:
            changes[key] = _string_field(value, key, source)
    if record.get("authors") is not None:
        changes["authors"] = _authors(record["authors"], source)
    if record.get("published") is not None:
        changes["published"] = metadata_date(record["published"], source)
        changes["published_source"] = "metadata"
    return dataclasses.replace(article, **changes) if changes else article


def _string_field(value: Any, key: str, source: str) -> str:
    if not isinstance(value, str):
        raise InputError(source, f'"{key}" must be a string, not {json.dumps(value)}')
    return value


def _authors(value: Any, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise InputError(source, '"authors" must be a list of names or one string')
    return tuple(name.strip() for name in value if name.strip())


def metadata_date(value: Any, source: str) -> str:
    """``'2024-12-10T08:00:00Z'`` -> ``'2024-12-10'``; anything that is not an ISO date fails."""
    day = _iso_date(value)
    if day is None:
        raise InputError(
            source, f'"published" is not a date ({json.dumps(value)}); use YYYY-MM-DD'
        )
    return day


def _iso_date(value: Any) -> str | None:
    match = _ISO_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    try:
        return date.fromisoformat(match.group(1)).isoformat() if match else None
    except ValueError:
        return None
