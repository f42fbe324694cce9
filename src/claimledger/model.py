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
# How firmly a claim is put, from its FactBank label: CT certain, PR probable, PS possible, Uu
# uncommitted. Polarity is kept apart (``Claim.polarity``), so that "have not engaged" and "have
# engaged" are one proposition with opposite stances.
Commitment = Literal["certain", "probable", "possible", "uncommitted"]
StanceLabel = Literal["supports", "denies", "hedges", "declines"]
Verdict = Literal["contested", "corroborated", "denied", "single_source", "hedged", "declined"]


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
class Claim:
    """One clause of what an article says, with its own polarity: the unit compared across
    articles. "are stationed in Kursk but have not yet engaged in combat" makes two claims.

    ``core`` is what the clause asserts, in the positive, with negation and hedges taken out and
    a missing subject restored ("North Korean troops engaged in combat"): claims are matched on
    it, and the negation and hedging become ``polarity`` and ``commitment``. A claim of the
    article's own narration, attributed to no one, has ``statement_id`` None.
    """

    id: str  # "s3.c1": the first claim of statement s3; "n.c4": the fourth narration claim
    statement_id: str | None
    start: int
    end: int
    text: str  # == article.text[start:end], the clause as written
    core: str
    polarity: Literal[1, -1]
    commitment: Commitment
    predicate: str | None = None  # the lemma of the clause's main predicate ("engage")
    entities: tuple[str, ...] = ()  # normalised names in the clause and its subject ("north korea")
    frame: str = ""  # the core without its subject ("have engaged in combat"); "" when it has none


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
    claims: tuple[Claim, ...] = ()

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


# -- Across articles: what the aggregate stage builds from many articles' claims. ------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """One claim as its source made it: the words, where and when. Every stance rests on some."""

    article_id: str
    claim_id: str
    statement_id: str | None
    text: str  # the claim's clause, as written
    content: str  # the whole content of its statement (the narration sentence for narration)
    polarity: Literal[1, -1]
    commitment: Commitment
    said_on: str | None = None
    path: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    via: tuple[str, ...] = ()  # relays: "Kyiv Independent" citing the NRC
    copies: tuple[str, ...] = ()  # ids of near-duplicate articles carrying the same words


@dataclass(frozen=True, slots=True)
class Stance:
    """Where one speaker stands on one proposition, from all of the speaker's claims on it.

    ``source`` is whom the stance counts for when independent sources are counted: the
    organisation a spokesperson speaks for, the speaker otherwise; a relay ("Kyiv Independent
    cited the NRC") counts for the original source. ``polarity`` is the lean of a hedge.
    """

    speaker: str
    source: str
    stance: StanceLabel
    polarity: Literal[1, -1]
    commitment: Commitment
    evidence: tuple[Evidence, ...]
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Proposition:
    """Claims that assert the same thing, whatever the wording, polarity, hedging or speaker.

    ``text`` is a short canonical form in the positive; ``independent_sources`` counts the
    distinct ``Stance.source`` values that take a stance on it.
    """

    id: str  # "p12": stable as articles arrive (a merge keeps the older id)
    text: str
    verdict: Verdict
    independent_sources: int
    stances: tuple[Stance, ...]
    claims: int = 0  # how many claims (copies counted once) it gathers
    first_said: str | None = None
    last_said: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """Near-duplicate articles (one wire story on many sites): one report, its copies listed.
    The first article is the one kept as the report's original (the first ingested)."""

    id: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckMatch:
    """A proposition that matches a checked claim, with ``score`` in [0, 1]. ``stances`` are
    relative to the claim as checked: when the claim is the proposition's negation
    (``negated``), supports and denies are swapped."""

    proposition: Proposition
    score: float
    negated: bool
    stances: tuple[Stance, ...]


@dataclass(frozen=True, slots=True)
class CheckResult:
    claim: str
    core: str
    polarity: Literal[1, -1]
    matches: tuple[CheckMatch, ...]


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """One independent source: who spoke for it, how many statements, its stances."""

    source: str
    speakers: tuple[str, ...]
    statements: int
    stances: tuple[tuple[str, str, StanceLabel], ...]  # (proposition id, its text, stance)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    said_on: str | None
    speaker: str
    stance: StanceLabel
    evidence: Evidence
