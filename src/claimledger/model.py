"""The dataclasses passed between pipeline stages.

Every stage takes and returns these plain, frozen records; nothing else crosses a stage
boundary. Spans are ``(start, end)`` code-point offsets into ``Article.text``, end exclusive
(see ``docs/format.md``), so that every piece of evidence can be pointed at in the source.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

FORMAT_VERSION = "claimledger/1"

PublishedSource = Literal["cli", "metadata", "inferred", "none"]
StatementKind = Literal["direct", "indirect", "mixed", "according_to"]
SpeakerType = Literal["person", "organization", "group", "country", "unnamed"]
Factuality = Literal["CT+", "CT-", "PR+", "PR-", "PS+", "PS-", "Uu"]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Content:
    """What was said. ``pieces`` holds each part of a discontinuous content (a quote
    interrupted by "said Singh"); ``start``/``end`` cover the whole."""

    start: int
    end: int
    text: str
    pieces: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a statement is attributed to, resolved within its article."""

    name: str
    type: SpeakerType
    role: str | None = None
    organization: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Via:
    """A relay in a citation chain.

    "Kyiv Independent cited a … report" -> ``Via("Kyiv Independent")``."""

    name: str
    cue: Span | None = None


@dataclass(frozen=True, slots=True)
class FactualityPart:
    """The factuality of one clause of a content that holds parts of opposite polarity
    ("stationed in Kursk [CT+] but have not yet engaged in combat [CT-]")."""

    start: int
    end: int
    factuality: Factuality


@dataclass(frozen=True, slots=True)
class Statement:
    """One attribution: ``speaker`` says ``content``, signalled by ``cue``.

    ``by`` names the rule pattern or model that produced it, so a reader can see why it is here.
    """

    id: str
    kind: StatementKind
    source: Span | None
    speaker: Speaker | None
    cue: Span | None
    content: Content
    by: str
    factuality: Factuality | None = None
    said_on: str | None = None
    via: tuple[Via, ...] = ()
    times: tuple[str, ...] = ()
    quantities: tuple[str, ...] = ()
    confidence: float | None = None
    factuality_parts: tuple[FactualityPart, ...] = ()
    said_on_source: str | None = None  # why said_on is what it is: "time:t3", "published", …


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A normalised time expression. ``value`` is TIMEX3-style (``2024-12-09``, ``2024-W49``,
    ``2024-11``, ``P3D``, ``XXXX-11-24``); an interval also has ``begin``/``end`` values."""

    id: str
    start: int
    end: int
    text: str
    value: str | None
    anchor: Literal["published", "speech", "none"] = "none"
    type: Literal["DATE", "TIME", "DURATION", "SET"] | None = None
    begin: str | None = None
    end_value: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    id: str
    start: int
    end: int
    text: str
    value: float | int
    qualifier: Literal["more_than", "about", "at_least", "at_most", "exactly"]
    unit: str | None


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: the output of ``ingest`` and, with ``statements`` filled, of ``attribute``.

    ``text`` is what every offset points into: for a plain-text file, the file exactly as decoded
    (BOM removed); for HTML and other inputs, the extracted main text.
    """

    id: str  # "sha256:<hex of text>"
    text: str
    path: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date
    published_source: PublishedSource = "none"
    language: str | None = None
    encoding: str | None = None  # how the bytes were decoded, when they were bytes
    furniture: tuple[Span, ...] = ()
    statements: tuple[Statement, ...] = ()
    time_expressions: tuple[TimeExpression, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    notices: tuple[str, ...] = field(default=())  # things the user should know about this input

    def __post_init__(self) -> None:
        if self.path is not None:
            object.__setattr__(self, "path", printable_path(self.path))


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read. ``source`` names the file (and line, for JSONL);
    ``reason`` says why and what to do, in one line."""

    source: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", printable_path(self.source))

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file a directory walk left out because it is not an article (a PDF, an image, a file of
    another kind). Not a failure: the user is told, and the exit status stays 0. ``kind`` names
    what it is, for counts ("PDF", "PNG image", ".csv file"); ``reason`` says what to do."""

    source: str
    reason: str
    kind: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", printable_path(self.source))

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def printable_path(name: str) -> str:
    """``name`` as valid Unicode text, each byte of it that is not UTF-8 shown as ``\\xNN``.

    On Linux a file name is bytes, and Python gives each undecodable byte to us as a lone
    surrogate, which no UTF-8 output, JSON line or SQLite text can hold. Articles and failures
    keep their names in this form, so the ledger, JSONL, CSV and error lines all show the same
    text; the file itself is read by the name as given, before this.

    Example: ``printable_path(os.fsdecode(b"news/caf\\xe9.txt"))`` -> ``"news/caf\\\\xe9.txt"``
    """
    if name.isascii():
        return name  # the common case, checked without encoding
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(name)  # the bytes the name came from, if its surrogates are escapes
    except UnicodeEncodeError:  # a surrogate from elsewhere (JSON's "\ud800"): its code
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")
