"""The ingest stage: files, directories, stdin and strings in; ``Article`` records out.

Plain text (``.txt .text .md``), saved HTML pages (``.html .htm .xhtml``) and JSONL batches
(``.jsonl .ndjson``) are read; stdin (``-``) and files with other extensions are sniffed. A bad
input becomes an ``InputFailure`` in the stream, which goes on.

Example:
    >>> [item.path for item in read_inputs(["examples/kursk.txt"])]
    ['examples/kursk.txt']
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, BinaryIO

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from claimledger.errors import InputError
from claimledger.ingest.folders import KIND_BY_EXTENSION, Kind, walk_directory
from claimledger.ingest.html import declared_charset, parse_html
from claimledger.ingest.jsonl import read_jsonl
from claimledger.ingest.text import (
    check_not_binary,
    check_not_empty,
    decode_bytes,
    format_size,
    parse_text,
    read_bytes,
    too_big,
)
from claimledger.model import Article, InputFailure, Skipped

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["KIND_BY_EXTENSION", "parse_published", "read_inputs", "read_text", "walk_directory"]

STDIN = "-"
STDIN_NAME = "<stdin>"
DEFAULT_MAX_BYTES = 5_000_000

# The classifier reads the start of the text: enough to decide, and the cost stays flat.
_LANGUAGE_SAMPLE_CHARS = 5000
# Texts shorter than this are never rejected as not English.
_MIN_CHARS_TO_REJECT = 200
_REJECT_CONFIDENCE = 0.9
# Below this the classifier is guessing, and a wrong label is worse than none.
_LABEL_CONFIDENCE = 0.5
_SNIFF_CHARS = 4096
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|article)\b", re.IGNORECASE)
_HTML_ANYWHERE = re.compile(r"<(?:html|body)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Options:
    published: str | None
    max_bytes: int
    check_language: bool
    on_skip: Callable[[Skipped], None] | None = None


def parse_published(value: str) -> str:
    """Check a date given by the user: ``'2024-12-10'`` -> ``'2024-12-10'``.

    Raises ``InputError("--published", …)`` for anything but a real YYYY-MM-DD date.
    """
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError("--published", f"{value!r} is not a date; use YYYY-MM-DD") from None


def read_text(text: str, *, path: str | None = None, published: str | None = None) -> Article:
    """An article from a string already in memory, read as plain text.

    Example:
        >>> read_text("Dam Fails\\nBy Jane Doe\\nThe dam failed, officials said.").authors
        ('Jane Doe',)
    """
    check_not_empty(text, path or "text")
    article = parse_text(text, path=path)
    date_given = parse_published(published) if published is not None else None
    return _with_language(_with_published(article, date_given))


def read_inputs(
    paths: Iterable[str],
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    check_language: bool = True,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Article | InputFailure]:
    """Articles from each path in order (``-`` is stdin; directories are walked), with an
    ``InputFailure`` for each input that cannot be read. ``on_skip`` is told of each file a
    directory walk leaves out (a PDF, an image, a file of another kind) as it goes.

    Example:
        >>> for item in read_inputs(["examples/kursk.txt", "missing.txt"]):
        ...     print(item.title if isinstance(item, Article) else item)  # doctest: +ELLIPSIS
        Hidden Truth About North Korea’s Role...
        missing.txt: no such file or directory; check the path
    """
    options = _Options(
        parse_published(published) if published is not None else None,
        max_bytes,
        check_language,
        on_skip,
    )
    for path in paths:
        for item in _read_path(path, options):
            yield item if isinstance(item, InputFailure) else _finish(item, options)


def _read_path(path: str, options: _Options) -> Iterator[Article | InputFailure]:
    if path == STDIN:
        yield from _read_stdin(options)
    elif os.path.isdir(path):
        yield from _read_directory(path, options)
    else:
        kind = KIND_BY_EXTENSION.get(os.path.splitext(path)[1].lower())
        yield from _read_file(path, kind, options)


def _read_directory(root: str, options: _Options) -> Iterator[Article | InputFailure]:
    found = False
    for entry in walk_directory(root):
        if isinstance(entry, InputFailure):
            yield entry
        elif isinstance(entry, Skipped):
            if options.on_skip is not None:
                options.on_skip(entry)
        else:
            found = True
            yield from _read_file(entry[0], entry[1], options)
    if not found:
        yield InputFailure(
            root, "no .txt, .md, .html or .jsonl files in this directory; check the path"
        )


def count_inputs(paths: Iterable[str]) -> int | None:
    """How many articles (or failures) ``read_inputs(paths)`` will give, found by walking the
    directories without reading a file; ``None`` when that cannot be known without reading
    (stdin, a JSONL batch, a file whose kind must be sniffed). For progress bars.

    Example:
        >>> count_inputs(["examples/kursk.txt"]), count_inputs(["-"])
        (1, None)
    """
    n = 0
    for path in paths:
        if path == STDIN:
            return None
        if not os.path.isdir(path):
            kind = KIND_BY_EXTENSION.get(os.path.splitext(path)[1].lower())
            if kind in (None, "jsonl") and os.path.exists(path):
                return None
            n += 1
            continue
        found = 0
        for entry in walk_directory(path):
            if isinstance(entry, Skipped):
                continue
            if not isinstance(entry, InputFailure) and entry[1] == "jsonl":
                return None
            found += 1
        n += max(found, 1)  # an empty folder is one failure
    return n


def _read_file(path: str, kind: Kind | None, options: _Options) -> Iterator[Article | InputFailure]:
    try:
        if kind is None or kind == "jsonl":
            # Opened, not read: a JSONL batch (or a file to sniff) may be larger than max_bytes.
            size = os.stat(path).st_size
            with open(path, "rb") as stream:
                # A PDF named .jsonl should fail once, as a PDF, not once per "line".
                check_not_binary(stream.read(_SNIFF_CHARS), path)
                stream.seek(0)
                yield from _read_stream(stream, path, kind, options, size)
        else:
            yield _parse_document(read_bytes(path, options.max_bytes), path, kind)
    except InputError as error:
        yield InputFailure(error.source, error.reason)
    except FileNotFoundError:
        yield InputFailure(path, "no such file or directory; check the path")
    except OSError as error:
        yield InputFailure(path, f"cannot be read ({error.strerror}); check the path")


def _read_stdin(options: _Options) -> Iterator[Article | InputFailure]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin, as some test runners and notebooks give
        stream = io.BytesIO(sys.stdin.read(options.max_bytes + 1).encode("utf-8"))
    try:
        yield from _read_stream(stream, STDIN_NAME, None, options, None)
    except InputError as error:
        yield InputFailure(error.source, error.reason)


def _read_stream(
    stream: BinaryIO, name: str, kind: Kind | None, options: _Options, size: int | None
) -> Iterator[Article | InputFailure]:
    """Read a stream of a known kind, or sniff it from its first ``max_bytes`` bytes."""
    if kind == "jsonl":
        yield from read_jsonl(stream, name, max_bytes=options.max_bytes)
        return
    head = stream.read(options.max_bytes + 1)
    complete = len(head) <= options.max_bytes
    check_not_binary(head, name)
    sniffed = sniff(head, complete)
    if sniffed == "jsonl":
        whole = io.BufferedReader(_PrefixedReader(head, stream))
        yield from read_jsonl(whole, name, max_bytes=options.max_bytes)
    elif not complete:
        raise InputError(name, too_big(format_size(size) if size else "it", options.max_bytes))
    else:
        yield _parse_document(head, name, sniffed)


def sniff(head: bytes, complete: bool = True) -> Kind:
    """What the bytes look like: HTML, JSONL (every non-blank line a JSON object), or text.

    ``complete`` is False when ``head`` is only the start of the input, whose last line may be cut.
    """
    sample = head[:_SNIFF_CHARS].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if _HTML_START.match(sample) or _HTML_ANYWHERE.search(sample):
        return "html"
    lines = head.decode("utf-8", errors="replace").splitlines()
    if not complete:
        lines = lines[:-1]
    objects = [line for line in lines if line.strip()]
    return "jsonl" if objects and all(_is_json_object(line) for line in objects) else "text"


def _is_json_object(line: str) -> bool:
    if not line.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _parse_document(data: bytes, source: str, kind: Kind) -> Article:
    declared = declared_charset(data) if kind == "html" else None
    decoded = decode_bytes(data, source, declared=declared)
    check_not_empty(decoded.text, source)
    if kind == "html":
        return parse_html(
            decoded.text, source=source, encoding=decoded.encoding, notices=decoded.notices
        )
    return parse_text(
        decoded.text, path=source, encoding=decoded.encoding, notices=decoded.notices
    )


def _finish(article: Article, options: _Options) -> Article | InputFailure:
    article = _with_published(article, options.published)
    language, confidence = detect_language(article.text)
    if options.check_language and _clearly_not_english(article.text, language, confidence):
        return InputFailure(
            article.path or STDIN_NAME,
            f"not English (detected: {language}); claimledger reads English news — "
            "pass --any-language to process it anyway",
        )
    if not options.check_language:
        # With --any-language the user has said other languages are meant: nothing to tell.
        return _labelled(article, language, confidence)
    return _with_language(article, (language, confidence))


def _language_notice(text: str, language: str, confidence: float) -> str | None:
    """What to say about a text that may not be English but was not refused: one too short to
    judge that looks like another language, or a longer one the classifier is not sure of."""
    if language == "en":
        return None
    if len(text.strip()) < _MIN_CHARS_TO_REJECT:
        if confidence < _LABEL_CONFIDENCE:
            return None  # a few words the classifier cannot place: nothing to tell
        why = f"short text; looks like {language}"
    else:
        why = f"looks like {language}, {confidence:.0%} sure"
    return f"language uncertain ({why}); claimledger reads English news"


def _with_published(article: Article, published: str | None) -> Article:
    # The input's own date (page metadata, a JSONL field) wins: the user's date is a default.
    if article.published is not None or published is None:
        return article
    return dataclasses.replace(article, published=published, published_source="cli")


@cache
def _identifier() -> LanguageIdentifier:
    # Normalised probabilities give a confidence in [0, 1]; loading the model takes a moment,
    # so it is loaded once per process.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """``(ISO 639-1 code, confidence in [0, 1])`` for the start of ``text``."""
    language, confidence = _identifier().classify(text[:_LANGUAGE_SAMPLE_CHARS])
    return str(language), float(confidence)


def _with_language(article: Article, detected: tuple[str, float] | None = None) -> Article:
    """The article with its language, and a notice when it may not be English."""
    language, confidence = detected or detect_language(article.text)
    article = _labelled(article, language, confidence)
    notice = _language_notice(article.text, language, confidence)
    if notice is None:
        return article
    return dataclasses.replace(article, notices=(*article.notices, notice))


def _labelled(article: Article, language: str, confidence: float) -> Article:
    return dataclasses.replace(
        article, language=language if confidence >= _LABEL_CONFIDENCE else None
    )


def _clearly_not_english(text: str, language: str, confidence: float) -> bool:
    # Short texts (a headline, a one-sentence test) are too short to judge.
    long_enough = len(text.strip()) >= _MIN_CHARS_TO_REJECT
    return long_enough and language != "en" and confidence >= _REJECT_CONFIDENCE


class _PrefixedReader(io.RawIOBase):
    """The bytes already read from a stream to sniff it, then the rest of the stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        super().__init__()
        # A memoryview slices without copying: the prefix may be megabytes long.
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            count = min(len(view), len(self._prefix))
            view[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)
