"""Speaker labels: a line that opens with a name and a colon ("PENCE: Well, look, …" in a
transcript, "Poll: Wealthy Voters Abandon …" or "Caddell: It's in Their Heads" in a headline).
The name is the source, the colon the cue, the rest of the line the content.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from claimledger.attribute.draft import Draft
from claimledger.attribute.quotes import paragraphs
from claimledger.nlp import text_of

# The longest name (in tokens) a label may have; longer runs are ordinary sentences.
_MAX_LABEL_TOKENS = 6
# Labels that introduce something other than a statement.
_NOT_SPEAKERS = frozenset(
    {
        "note",
        "update",
        "updated",
        "editor",
        "photo",
        "photos",
        "video",
        "related",
        "read",
        "watch",
        "listen",
        "source",
        "sources",
        "credit",
        "correction",
        "advertisement",
        "q",
        "a",
        "question",
        "answer",
        "subscribe",
        "share",
        "tags",
        "topics",
        "image",
        "caption",
        "warning",
        "disclaimer",
        "transcript",
        "breaking",
        "exclusive",
        "analysis",
        "opinion",
    }
)


def find_labels(doc: Doc) -> Iterator[Draft]:
    """Drafts for lines that start with "Name:" followed by what the name says."""
    text = text_of(doc)
    for p_start, p_end in paragraphs(text):
        colon = text.find(":", p_start, min(p_end, p_start + 80))
        if colon < 0:
            continue
        label = doc.char_span(p_start, colon, alignment_mode="contract")
        if label is None or not _is_name(label):
            continue
        start = colon + 1
        while start < p_end and text[start].isspace():
            start += 1
        end = p_end
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start < 12:
            continue
        yield Draft(
            kind="indirect",
            cue=(colon, colon + 1),
            content=[(start, end)],
            by="pattern:colon-label",
            source=label,
            cue_token=None,
        )


def _is_name(label: SpacySpan) -> bool:
    words = [t for t in label if not t.is_space]
    if not words or len(words) > _MAX_LABEL_TOKENS:
        return False
    if words[0].lower_ in _NOT_SPEAKERS or any(t.ent_type_ in ("DATE", "TIME") for t in words):
        return False
    if any(t.pos_ == "VERB" for t in words):
        return False
    capitalised = all(
        t.is_title or t.is_upper or t.is_punct or t.lower_ in ("of", "the", "and") for t in words
    )
    named = any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in words)
    return capitalised and named
