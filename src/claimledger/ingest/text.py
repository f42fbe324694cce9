"""Plain-text articles: bytes to text, and the headline and byline at the top of the text.

The text of a plain-text article is the file exactly as decoded (only a BOM is removed, and it is
not normalised to NFC), so that every offset points into the file; furniture is reported as
spans, never cut (FORMAT.md). Bytes that are not valid in the file's encoding, and stray NUL
bytes, become one U+FFFD each, with a notice: a stray byte never turns a UTF-8 file into mojibake,
and only what is really binary (by magic number, or full of control bytes) is refused.

Example:
    >>> article = parse_text("Dam Fails\\nBy Jane Doe\\nThe dam failed, officials said.")
    >>> article.title, article.authors
    ('Dam Fails', ('Jane Doe',))
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import os
import re
import threading
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

import charset_normalizer

from claimledger.errors import InputError
from claimledger.ingest.furniture import find_furniture, iter_lines
from claimledger.model import Article, Span

# Magic numbers of the binary files people most often pass by mistake, with what to do instead.
_PICTURE = "pass the article's text, not a picture of it"
_SAVE_AS_TEXT = "save the document as plain text (.txt) first"
_BINARY_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "PDF", "convert it to text first (e.g. pdftotext)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image", _PICTURE),
    (b"\xff\xd8\xff", "JPEG image", _PICTURE),
    (b"GIF87a", "GIF image", _PICTURE),
    (b"GIF89a", "GIF image", _PICTURE),
    (b"II*\x00", "TIFF image", _PICTURE),
    (b"MM\x00*", "TIFF image", _PICTURE),
    (b"RIFF", "RIFF media (WebP image, WAV or AVI)", _PICTURE),
    (b"PK\x03\x04", "ZIP archive or DOCX", "unpack it, or save the document as plain text"),
    (b"\x1f\x8b", "gzip archive", "decompress it first (e.g. gunzip)"),
    (b"\xfd7zXZ\x00", "xz archive", "decompress it first (e.g. unxz)"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive", "unpack it first"),
    (b"Rar!\x1a\x07", "RAR archive", "unpack it first"),
    (b"\x28\xb5\x2f\xfd", "zstd archive", "decompress it first (e.g. unzstd)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word or other Office document", _SAVE_AS_TEXT),
    (b"{\\rtf", "RTF document", _SAVE_AS_TEXT),
    (b"SQLite format 3\x00", "SQLite database", "a ledger is queried with claimledger statements"),
    (b"\x7fELF", "program", "pass an article, not a program"),
)
# Text holds tabs, line and page breaks, and the odd stray control byte; binary data is full of
# control bytes (a tenth or more of random bytes). Over this share of the first bytes, it is data.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1a\x1b")
_MAX_CONTROL_SHARE = 0.01
_BINARY_SAMPLE = 65536
# UTF-16 without a BOM: over this share of the high bytes are NUL (English is mostly ASCII).
_UTF16_NUL_SHARE = 0.9
_MIN_UTF16_BYTES = 16
_REPLACEMENT = "\ufffd"
_UTF8_REPLACEMENT = _REPLACEMENT.encode("utf-8")
# ASCII text with no more than this share of other bytes, none explained by Windows-1252, is
# read with those bytes replaced rather than refused.
_MAX_ODD_SHARE = 0.02
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


@dataclass(frozen=True, slots=True)
class BinaryKind:
    """What a binary file is (``'PDF'``) and what to do with it instead."""

    name: str
    advice: str

    @property
    def reason(self) -> str:
        return f"not text ({self.name}); {self.advice}"


def binary_kind(data: bytes) -> BinaryKind | None:
    """What the start of a file says it is when it is not text: a known magic number, or a share
    of control bytes no text has; ``None`` for text (a few stray NUL bytes included)."""
    for signature, name, advice in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return BinaryKind(name, advice)
    if any(data.startswith(bom) for bom, _ in _UNICODE_BOMS) or utf16_without_bom(data):
        return None
    sample = data[:_BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        return BinaryKind(
            "binary data: it is full of NUL and other control bytes",
            "convert it to plain text first",
        )
    return None


def check_not_binary(data: bytes, source: str) -> None:
    """Fail on PDFs, images, archives and other binary files, naming what they are."""
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(source, kind.reason)


def utf16_without_bom(data: bytes) -> str | None:
    """``'utf-16-le'`` or ``'utf-16-be'`` for UTF-16 text saved without a byte order mark, told
    by the NUL high bytes of its Latin letters: every other byte NUL, the bytes between not."""
    sample = data[: _BINARY_SAMPLE - _BINARY_SAMPLE % 2]
    if len(sample) < _MIN_UTF16_BYTES:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= _UTF16_NUL_SHARE * half and even <= (1 - _UTF16_NUL_SHARE) * half:
        return "utf-16-le"
    if even >= _UTF16_NUL_SHARE * half and odd <= (1 - _UTF16_NUL_SHARE) * half:
        return "utf-16-be"
    return None


@dataclass(frozen=True, slots=True)
class Decoded:
    """Bytes as text: how they were decoded, and what the user should know about it."""

    text: str
    encoding: str
    notices: tuple[str, ...] = ()


def decode_bytes(data: bytes, source: str, *, declared: str | None = None) -> Decoded:
    """The text of ``data``: by its BOM; as UTF-8 when it is UTF-8, or mostly UTF-8 with a few bad
    bytes, or declared UTF-8 and holding UTF-8 sequences (bad bytes replaced with U+FFFD, with a
    notice); else by the encoding the page ``declared`` (a page that declares UTF-8 without a
    single UTF-8 sequence in it is Windows-1252 mislabelled, when that reads every byte); else by
    the encoding charset-normalizer detects. Fails when none of these can be told.

    Example:
        >>> decode_bytes(b"\\xe2\\x80\\x9cYes\\xe2\\x80\\x9d \\x92", "a.txt").notices
        ('1 byte sequence was not valid UTF-8 and was replaced with U+FFFD (�)',)
    """
    check_not_binary(data, source)
    if data.startswith(_UTF8_BOM):
        return _decode_replacing(data[len(_UTF8_BOM) :], "utf-8", "utf-8-sig")
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            return _decode_replacing(data, encoding)
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        decoded = _decode_replacing(data, utf16)
        notice = f"decoded as {utf16.upper()}: the file has no byte order mark"
        return dataclasses.replace(decoded, notices=(notice, *decoded.notices))
    try:
        return _without_nul(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    codec = _codec(declared)
    valid, invalid = _utf8_sequences(data)
    if valid >= invalid or (valid and codec == "utf-8"):
        return _decode_replacing(data, "utf-8")
    if codec == "utf-8":
        try:
            text = data.decode(_WESTERN)
        except UnicodeDecodeError:
            return _decode_replacing(data, "utf-8")
        notice = f"decoded as {_WESTERN}: the page declares UTF-8, but its non-ASCII bytes are not"
        return _without_nul(Decoded(text, _WESTERN, (notice,)))
    if codec is not None:
        decoded = _decode_replacing(data, codec)
        notice = f"decoded as {codec}, the encoding the page declares (it is not UTF-8)"
        return dataclasses.replace(decoded, notices=(notice, *decoded.notices))
    return _detect_encoding(data, source)


def _codec(declared: str | None) -> str | None:
    """Python's name for a declared encoding; as browsers do, Latin-1 and ASCII are read as
    Windows-1252, and a UTF-16 declaration in bytes that parse as ASCII means UTF-8."""
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name in ("iso8859-1", "latin-1", "ascii"):
        return _WESTERN
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _utf8_sequences(data: bytes) -> tuple[int, int]:
    """``(valid, invalid)``: how many multi-byte UTF-8 sequences ``data`` holds, and how many
    byte sequences that are not UTF-8. Legacy text almost never forms a valid sequence (a lead
    byte then continuation bytes), so as many valid ones as invalid means UTF-8 with bad bytes."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count(_REPLACEMENT) - data.count(_UTF8_REPLACEMENT)
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - invalid, invalid


def _decode_replacing(data: bytes, encoding: str, label: str | None = None) -> Decoded:
    _replaced.count = 0
    text = data.decode(encoding, errors=_COUNT_AND_REPLACE)
    count = _replaced.count
    notices: tuple[str, ...] = ()
    if count:
        name = encoding.upper() if encoding.startswith("utf") else encoding
        notices = (
            f"1 byte sequence was not valid {name} and was replaced with U+FFFD (�)"
            if count == 1
            else f"{count} byte sequences were not valid {name} and were replaced with "
            "U+FFFD (�)",
        )
    return _without_nul(Decoded(text, label or encoding, notices))


def _without_nul(decoded: Decoded) -> Decoded:
    # A stray NUL is a fault, not content, and many tools downstream stop at one; one U+FFFD for
    # each keeps every offset where it was.
    count = decoded.text.count("\x00")
    if not count:
        return decoded
    noun = "1 NUL byte was" if count == 1 else f"{count} NUL bytes were"
    return Decoded(
        decoded.text.replace("\x00", _REPLACEMENT),
        decoded.encoding,
        (*decoded.notices, f"{noun} replaced with U+FFFD (�)"),
    )


def _count_and_replace(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    _replaced.count += 1
    return _REPLACEMENT, error.end


class _Counter(threading.local):
    count = 0


_replaced = _Counter()
_COUNT_AND_REPLACE = "claimledger.count-and-replace"
codecs.register_error(_COUNT_AND_REPLACE, _count_and_replace)


def _detect_encoding(data: bytes, source: str) -> Decoded:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is not None:
        western = [m for m in matches if _WESTERN in (m.encoding, *m.could_be_from_charset)]
        if western and western[0].chaos <= best.chaos:
            return _legacy(data.decode(_WESTERN), _WESTERN)
    # No Western code page explains the few odd bytes of ASCII text: another code page would
    # only trade them for wrong letters, so they are replaced and the rest is read as it is.
    odd = len(data) - len(data.decode("ascii", errors="ignore"))
    if odd <= _MAX_ODD_SHARE * len(data):
        return _decode_replacing(data, "utf-8")
    # Zero coherence means no language was recognised in the decoded text: a guess.
    if best is not None and best.coherence > 0:
        return _legacy(str(best), best.encoding)
    raise InputError(
        source, "not valid UTF-8 and its encoding could not be detected; re-save it as UTF-8"
    )


def _legacy(text: str, encoding: str) -> Decoded:
    return _without_nul(
        Decoded(text, encoding, (f"decoded as {encoding} (the file is not UTF-8)",))
    )


def check_not_empty(text: str, source: str) -> None:
    """Fail on an input with nothing but whitespace."""
    if not text.strip():
        raise InputError(source, "empty file; nothing to read")


def parse_text(
    text: str,
    *,
    path: str | None = None,
    encoding: str | None = None,
    notices: tuple[str, ...] = (),
) -> Article:
    """An article from plain text: the text unchanged, with its headline, byline and furniture;
    ``notices`` are those of its decoding."""
    furniture = find_furniture(text)
    title, authors = find_title_and_byline(text, furniture)
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
