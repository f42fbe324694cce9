"""The attribution stage's working record, before speakers are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan

from claimledger.model import StatementKind


@dataclass
class Draft:
    """A statement under construction: character spans into the doc text.

    ``source`` keeps the spaCy span of the source phrase, because resolving the speaker needs
    its tokens (head, entities, modifiers); ``cue_token`` is the index of the cue's head token.
    """

    kind: StatementKind
    cue: tuple[int, int] | None
    content: list[tuple[int, int]]
    by: str
    source: SpacySpan | None = None
    cue_token: int | None = None
    via: list[tuple[SpacySpan, tuple[int, int] | None]] = field(default_factory=list)
    inherits_speaker: bool = False  # a floating quote: same speaker as the statement before
    confidence: float | None = None  # the learned model's probability that the cue is one

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.content)
