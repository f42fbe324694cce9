"""Where a reported content ends: candidate ends and the learned choice among them."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.attribute import candidate_drafts
from claimledger.attribute.extent import (
    ExtentModel,
    candidate_ends,
    choose_end,
    content_tokens,
    end_features,
)


def _parse(nlp: Language, text: str) -> Doc:
    with nlp.select_pipes(disable=["claimledger_attribution"]):
        return nlp(text)


TEXT = "Lopez said the bridge will reopen in March, allowing traders to return, and left early."


def test_candidate_ends_are_breaks_the_rules_end_and_the_sentence_end(nlp: Language) -> None:
    doc = _parse(nlp, TEXT)
    [draft] = [d for d in candidate_drafts(doc) if d.cue]
    first, last = content_tokens(doc, draft) or (0, 0)
    ends = candidate_ends(doc, first, last)
    words = [doc[e].text for e in ends]
    assert doc[first].text == "the"
    assert "March" in words  # before ", allowing"
    assert "return" in words  # before ", and"
    assert doc[last].text in words  # the rules' own end
    assert words[-1] == "early"  # the sentence's last word
    assert all(first <= e for e in ends) and ends == sorted(ends)


def test_end_features_say_where_the_end_is_against_the_rules(nlp: Language) -> None:
    doc = _parse(nlp, TEXT)
    [draft] = [d for d in candidate_drafts(doc) if d.cue]
    first, last = content_tokens(doc, draft) or (0, 0)
    march = next(t.i for t in doc if t.text == "March")
    feats = end_features(doc, draft, first, last, march, 0, doc[first : last + 1].root)
    assert "next=," in feats
    assert any(f.startswith("rules=") for f in feats)


def test_the_model_moves_the_end_to_its_best_candidate(nlp: Language) -> None:
    doc = _parse(nlp, TEXT)
    [draft] = [d for d in candidate_drafts(doc) if d.cue]
    stop_at_first_comma = ExtentModel({"next=,": 5.0, "order=0": 1.0}, bias=0.0)
    choose_end(doc, draft, stop_at_first_comma)
    start, end = draft.content[-1]
    assert doc.text[start:end] == "the bridge will reopen in March"


def test_quotations_keep_the_end_their_marks_give(nlp: Language) -> None:
    text = "“The bridge will reopen in March, and soon,” Lopez said."
    doc = _parse(nlp, text)
    [draft] = [d for d in candidate_drafts(doc) if d.cue]
    before = list(draft.content)
    choose_end(doc, draft, ExtentModel({"next=,": 50.0}, bias=0.0))
    assert draft.content == before
