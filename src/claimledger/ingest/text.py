"""Plain-text articles: bytes to text, and the headline and byline at the top of the text.

The text of a plain-text article is the file exactly as decoded (only a BOM is removed), so that
every offset points into the file; furniture is reported as spans, never cut (FORMAT.md).

Example:
    >>> article = parse_text("Dam Fails\\nBy Jane Doe\\nThe dam failed, officials said.")
    >>> article.title, article.authors
    ('Dam Fails', ('Jane Doe',))
"""

from __future__ import annotations

import hashlib
import os
import re
from itertools import islice
from typing import BinaryIO

import charset_normalizer

from claimledger.errors import InputError
from claimledger.ingest.furniture import find_furniture, iter_lines
from claimledger.model import Article, Span

# Magic numbers of the binary files people most often pass by mistake, with what to do instead.
_BINARY_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "PDF", "convert it to text first (e.g. pdftotext)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image", "pass the article's text, not a picture of it"),
    (b"\xff\xd8\xff", "JPEG image", "pass the article's text, not a picture of it"),
    (b"GIF87a", "GIF image", "pass the article's text, not a picture of it"),
    (b"GIF89a", "GIF image", "pass the article's text, not a picture of it"),
    (b"PK\x03\x04", "ZIP archive or DOCX", "unpack it, or save the document as plain text"),
    (b"\x1f\x8b", "gzip archive", "decompress it first (e.g. gunzip)"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
# UTF-16/32 files carry NUL bytes yet are text; their BOM tells them from binary files.
_UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Outside UTF-8, English news is almost always Windows-1252 (a superset of Latin-1), and
# charset-normalizer often names another single-byte code page for it (cp775, cp1250) when
# both read the bytes equally well; prefer cp1252 on such a tie.
_WESTERN = "cp1252"

# A headline is a short first line; a sentence ending in a full stop is prose, not a headline.
_TITLE_MAX_WORDS = 30
_BYLINE_PREFIX = re.compile(r"^(?:by|words by|written by|reporting by)\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
# Left behind when furniture is taken off a byline: "Jane Doe | 3 min read".
_SEPARATORS = " |·•-–—"
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)$")


def content_id(text: str) -> str:
    """The article's id: a hash of its text, so that reading the same article twice adds nothing."""
    # surrogatepass: a str from the Python API may hold lone surrogates; hash it, do not crash.
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def format_size(size: int) -> str:
    """``5000000`` -> ``'5.0 MB'``; small sizes stay readable in kB or bytes."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.1f} kB"
    return f"{size} bytes"


def too_big(size: str, max_bytes: int) -> str:
    """The reason given for an input of ``size`` (e.g. "50.0 MB") over the size limit."""
    return (
        f"{size} is over the {format_size(max_bytes)} limit for one article; "
        "split it into one article per file (or JSONL), or raise --max-size"
    )


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The bytes of ``path``, checking its size first so that a huge file is never loaded."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(path, too_big(format_size(size), max_bytes))
        with open(path, "rb") as handle:
            return read_at_most(handle, path, max_bytes)
    except FileNotFoundError:
        raise InputError(path, "no such file or directory; check the path") from None
    except PermissionError:
        raise InputError(path, "permission denied; check the file's permissions") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror}); check the path") from None


def read_at_most(stream: BinaryIO, source: str, max_bytes: int) -> bytes:
    """Up to ``max_bytes`` from ``stream``; a stream that holds more fails (a file can grow
    between stat and read, and stdin has no size to check)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(source, too_big("it", max_bytes))
    return data


def check_not_binary(data: bytes, source: str) -> None:
    """Fail on PDFs, images, archives and other binary files, naming what they are."""
    for signature, name, advice in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError(source, f"not text ({name}); {advice}")
    if any(data.startswith(bom) for bom, _ in _UNICODE_BOMS):
        return
    if b"\x00" in data[:65536]:
        raise InputError(
            source, "not text (binary data: it holds NUL bytes); convert it to plain text first"
        )


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 with only a BOM removed, else an encoding detected with
    charset-normalizer; fails rather than guess when the encoding cannot be told."""
    check_not_binary(data, source)
    if data.startswith(_UTF8_BOM):
        return _decode_as(data[len(_UTF8_BOM) :], "utf-8", source), "utf-8-sig"
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding, source), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _detect_encoding(data, source)


def _decode_as(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            source,
            f"starts with a {encoding} byte order mark but is not valid "
            f"{encoding} (byte {error.start}); re-save it as UTF-8",
        ) from None


def _detect_encoding(data: bytes, source: str) -> tuple[str, str]:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is not None:
        western = [m for m in matches if _WESTERN in (m.encoding, *m.could_be_from_charset)]
        if western and western[0].chaos <= best.chaos:
            return data.decode(_WESTERN), _WESTERN
        # Zero coherence means no language was recognised in the decoded text: a guess.
        if best.coherence > 0:
            return str(best), best.encoding
    raise InputError(
        source, "not valid UTF-8 and its encoding could not be detected; re-save it as UTF-8"
    )


def check_not_empty(text: str, source: str) -> None:
    """Fail on an input with nothing but whitespace."""
    if not text.strip():
        raise InputError(source, "empty file; nothing to read")


def parse_text(text: str, *, path: str | None = None, encoding: str | None = None) -> Article:
    """An article from plain text: the text unchanged, with its headline, byline and furniture."""
    furniture = find_furniture(text)
    title, authors = find_title_and_byline(text, furniture)
    notices: tuple[str, ...] = ()
    if encoding not in (None, "utf-8", "utf-8-sig"):
        notices = (f"decoded as {encoding} (the file is not UTF-8)",)
    return Article(
        id=content_id(text),
        text=text,
        path=path,
        title=title,
        authors=authors,
        encoding=encoding,
        furniture=furniture,
        notices=notices,
    )


def find_title_and_byline(
    text: str, furniture: tuple[Span, ...]
) -> tuple[str | None, tuple[str, ...]]:
    """The headline (a short first line followed by more text) and the authors of the byline
    right under it, with furniture such as a view counter taken away first."""
    whole_lines = {(span.start, span.text) for span in furniture}
    # Only the first three lines matter: headline, byline, and whether more text follows.
    lines = list(
        islice((line for line in iter_lines(text) if (line.start, line.text) not in whole_lines), 3)
    )
    if len(lines) < 2 or not _is_headline(lines[0].text):
        return None, ()
    byline = _without_furniture(lines[1].text, lines[1].start, furniture)
    authors = parse_byline(byline) if len(lines) > 2 else ()
    return lines[0].text, authors


def _is_headline(line: str) -> bool:
    return len(line.split()) <= _TITLE_MAX_WORDS and not line.endswith(".")


def _without_furniture(line: str, start: int, furniture: tuple[Span, ...]) -> str:
    # Cut from the end so that earlier offsets stay valid while cutting.
    for span in sorted(furniture, key=lambda s: s.start, reverse=True):
        if start <= span.start and span.end <= start + len(line):
            line = line[: span.start - start] + line[span.end - start :]
    return line.strip()


def parse_byline(line: str) -> tuple[str, ...]:
    """``'By Jane Doe and John Smith'`` -> ``('Jane Doe', 'John Smith')``; ``()`` for a line
    that is not a byline (each name must be 2-4 capitalised words)."""
    unprefixed = _BYLINE_PREFIX.sub("", line.strip())
    names = [name for name in _AUTHOR_SPLIT.split(unprefixed.strip(_SEPARATORS)) if name]
    if not names or not _is_name(names[0]):
        return ()
    if unprefixed != line.strip():
        # "By" vouches for the line: keep the names, drop an agency or role after them
        # ("By Jane Doe, Reuters", "By Maria Okafor, Environment correspondent").
        return tuple(name for name in names if _is_name(name))
    # A bare line is a byline only by its shape, so every part must be a name.
    return tuple(names) if all(_is_name(name) for name in names) else ()


def _is_name(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(word) for word in words)
