"""PolNeAR gold: a split's BRAT standoff attributions, read as character pieces, and the span
rules (trimming, direct / indirect / no-source kind) that scoring applies to gold and predictions.

A split holds ``text/<stem>.txt`` and ``attributions/<stem>_<annotator>.ann``; each ``E`` line
with a ``Content`` role is one attribution, its ``Source`` / ``Cue`` / ``Content`` roles naming
``T`` lines of (possibly discontinuous) offsets. Scoring is in ``polnear.py``, which re-exports
the names defined here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from claimledger.errors import InputError

Pieces = tuple[tuple[int, int], ...]
Kind = Literal["direct", "indirect", "no-source"]

# Characters cut from both ends of every span before comparing: annotators and extractors
# disagree on whether quote marks and final punctuation belong to a span, not on its words.
TRIM_CHARS = frozenset(" \t\n\r\"'“”‘’«»„‚.,;:—–-")
QUOTE_CHARS = frozenset("\"'“”‘’«»„‚")
# Cut before looking for quote marks, so that `“…” .` still reads as quoted.
_OUTER_CHARS = frozenset(" \t\n\r.,;:")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution as (possibly discontinuous) character pieces; a role may be absent."""

    source: Pieces | None
    cue: Pieces | None
    content: Pieces

    def role(self, name: str) -> Pieces | None:
        pieces: Pieces | None = getattr(self, name)
        return pieces


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One annotated article: its text, the annotator file used and its attributions."""

    stem: str
    text: str
    annotation: Path
    attributions: tuple[Attribution, ...]


def load_gold(split_dir: Path) -> dict[str, GoldDoc]:
    """Read every annotated article of a split, keyed by stem.

    Only articles with an annotation file are gold. Where several annotators annotated an
    article, the first file in name order is used, so that each article counts once.
    """
    files: dict[str, list[Path]] = {}
    for ann in sorted((split_dir / "attributions").glob("*.ann")):
        files.setdefault(_ann_stem(ann), []).append(ann)
    gold: dict[str, GoldDoc] = {}
    for stem, anns in files.items():
        text = _read_text(split_dir / "text" / f"{stem}.txt")
        gold[stem] = GoldDoc(stem, text, anns[0], _read_ann(anns[0]))
    return gold


def _ann_stem(ann: Path) -> str:
    # `<stem>_<annotator>.ann`: the annotator is after the last underscore; stems have others.
    return ann.name[: -len(".ann")].rsplit("_", 1)[0]


def _read_text(path: Path) -> str:
    # Read like the reference scorer (universal newlines, nothing stripped) so offsets agree.
    with path.open(encoding="utf-8") as f:
        return f.read()


def _read_ann(path: Path) -> tuple[Attribution, ...]:
    spans: dict[str, Pieces] = {}
    events: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            try:
                if line.startswith("T"):
                    spans[parts[0]] = _parse_offsets(parts[1])
                elif line.startswith("E"):
                    events.append(_parse_roles(parts[1]))
            except ValueError as e:
                raise InputError(f"{path}:{number}", f"not a BRAT standoff line ({e})") from e
    # Events are resolved after the whole file is read: a role may name a later `T` line.
    return tuple(a for a in (_event(roles, spans) for roles in events) if a is not None)


def _parse_offsets(field_: str) -> Pieces:
    # `Type start end[;start end]`: the type is not checked, the event's role names it.
    _, _, offsets = field_.partition(" ")
    pieces = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        pieces.append((int(start), int(end)))
    return tuple(pieces)


def _parse_roles(field_: str) -> dict[str, str]:
    # `Attribution:T4 Content:T3 Cue:T2 Source:T1`; a repeated role keeps its last filler.
    roles = {}
    for pair in field_.split():
        role, sep, filler = pair.partition(":")
        if not sep:
            raise ValueError(f"role without filler: {pair!r}")
        roles[role] = filler
    return roles


def _event(roles: Mapping[str, str], spans: Mapping[str, Pieces]) -> Attribution | None:
    # Events of any type count when they have a Content (Discuss / Discard have none);
    # secondary roles such as `Content2` are ignored.
    def role(name: str) -> Pieces | None:
        return spans.get(roles.get(name, ""))

    content = role("Content")
    if not content:
        return None
    return Attribution(role("Source"), role("Cue"), content)


# ---------------------------------------------------------------------------------------------
# Spans


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading / trailing blanks, quote marks and punctuation."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start] in TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARS:
        end -= 1
    return start, end


def chars(text: str, pieces: Pieces | None) -> frozenset[int]:
    """The character positions of the trimmed pieces (empty for an absent role)."""
    out: set[int] = set()
    for start, end in pieces or ():
        s, e = trim(text, start, end)
        out.update(range(s, e))
    return frozenset(out)


def gold_kind(text: str, att: Attribution) -> Kind:
    """no-source without a Source span; direct when the content is wholly quoted (it begins
    and ends with a quote mark, inside the span or right beside it); indirect otherwise,
    including mixed contents that only end in a quoted fragment."""
    if att.source is None:
        return "no-source"
    start, end = att.content[0][0], att.content[-1][1]
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start] in _OUTER_CHARS:
        start += 1
    while end > start and text[end - 1] in _OUTER_CHARS:
        end -= 1
    if start >= end:
        return "indirect"
    opens = text[start] in QUOTE_CHARS or (start > 0 and text[start - 1] in QUOTE_CHARS)
    closes = text[end - 1] in QUOTE_CHARS or (end < len(text) and text[end] in QUOTE_CHARS)
    return "direct" if opens and closes else "indirect"
