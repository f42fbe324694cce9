"""The learned attribution model: cue-word scores over rule candidates, and learned frames."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from claimledger.attribute import attribute_doc, candidate_drafts
from claimledger.attribute.classifier import (
    AttributionModel,
    CueModel,
    cue_features,
    cue_probabilities,
    doc_context,
    load_model,
)
from claimledger.attribute.frames import ROLES, RoleModel, learned_frame, token_pieces
from claimledger.errors import AttributionModelError


def _parse(nlp: Language, text: str) -> Doc:
    with nlp.select_pipes(disable=["claimledger_attribution"]):
        return nlp(text)


# A role model written by hand: the subject is the source, a clause or object the content,
# an auxiliary part of the cue. Enough to test how frames are assembled, independent of the
# shipped weights.
HAND_ROLES = RoleModel(
    {
        "none": {},
        "cue": {"dep=aux": 5.0, "dep=acomp": 5.0},
        "source": {"dep=nsubj": 5.0},
        "content": {"dep=ccomp": 5.0, "dep=dobj": 5.0, "dep=pobj": 5.0},
    },
    {"none": 1.0, "cue": 0.0, "source": 0.0, "content": 0.0},
)


def _model(cue_weights: dict[str, float], threshold: float = 0.5) -> AttributionModel:
    return AttributionModel(CueModel(cue_weights, bias=-5.0, threshold=threshold), HAND_ROLES)


def test_cue_features_name_the_word_its_dependents_and_the_rules_around_it(
    nlp: Language,
) -> None:
    doc = _parse(nlp, "The minister said that the bridge would reopen in March.")
    context = doc_context(doc, candidate_drafts(doc))
    said = next(t.i for t in doc if t.text == "said")
    feats = cue_features(said, context)
    assert "lemma=say" in feats
    assert "lemma+child=say|ccomp" in feats
    assert "rule=pattern:indirect-that" in feats
    assert "lexicon=speech|VERB" in feats
    bridge = next(t.i for t in doc if t.text == "bridge")
    assert "rule=none" in cue_features(bridge, context)


def test_probability_is_a_logistic_of_the_summed_weights() -> None:
    model = CueModel({"a": 2.0, "b": -1.0}, bias=0.0, threshold=0.5)
    assert model.probability([]) == pytest.approx(0.5)
    assert model.probability(["a", "b"]) == pytest.approx(1 / (1 + 2.718281828**-1), rel=1e-6)
    assert model.probability(["unknown"]) == pytest.approx(0.5)


def test_only_verbs_nouns_label_marks_and_rule_cues_are_scored(nlp: Language) -> None:
    doc = _parse(nlp, "PENCE: The quick brown fox jumped over the lazy dog.")
    scored = cue_probabilities(doc, candidate_drafts(doc), _model({}).cue)
    assert {doc[i].text for i in scored} >= {"jumped", "fox", "dog"}
    assert not {doc[i].text for i in scored} & {"The", "quick", "over", "the", "lazy", "."}


def test_rule_candidates_whose_cue_the_model_rejects_are_dropped(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _parse(nlp, "The minister said that the bridge would reopen. The union claimed to win.")
    model = _model({"lemma=say": 10.0})
    import claimledger.attribute as attribute

    monkeypatch.setattr(attribute, "load_attribution_model", lambda: model)
    kept = attribute_doc(doc)
    assert [s.cue.text for s in kept if s.cue] == ["said"]
    assert kept[0].id == "s1" and kept[0].confidence is not None and kept[0].confidence > 0.9
    assert kept[0].by == "pattern:indirect-that"


def test_an_accepted_cue_no_rule_used_gets_a_learned_frame(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "is skeptical of" is no rule's cue; the cue model accepts "is", the role model reads the
    # frame: the subject is the source, "skeptical" joins the cue, the object of "of" is the
    # content.
    text = "The mayor is skeptical of the new budget plan."
    doc = _parse(nlp, text)
    assert not candidate_drafts(doc)
    import claimledger.attribute as attribute

    hand = RoleModel(
        {**HAND_ROLES.weights, "cue": {"dep=acomp": 5.0, "dep=prep": 5.0}},
        HAND_ROLES.biases,
    )
    model = AttributionModel(CueModel({"lemma=be": 10.0}, bias=-5.0, threshold=0.5), hand)
    monkeypatch.setattr(attribute, "load_attribution_model", lambda: model)
    [statement] = attribute_doc(doc)
    assert statement.by == "learned:frame"
    assert statement.cue is not None and statement.cue.text == "is skeptical of"
    assert statement.source is not None and statement.source.text == "The mayor"
    assert statement.content.text == "the new budget plan"
    assert statement.speaker is not None and statement.speaker.name == "mayor"


def test_a_learned_frame_needs_content(nlp: Language) -> None:
    doc = _parse(nlp, "The minister has resigned.")
    resigned = next(t for t in doc if t.text == "resigned")
    assert learned_frame(doc, resigned, HAND_ROLES) is None


def test_token_pieces_are_trimmed_runs(nlp: Language) -> None:
    doc = _parse(nlp, 'He said, "we will win," and left.')
    text = doc.text
    pieces = token_pieces(doc, {2, 3, 4, 5, 6, 7, 8})
    assert [text[s:e] for s, e in pieces] == ["we will win"]
    assert token_pieces(doc, {0, 1, 5, 6}) == [(0, len("He said")), (13, 21)]
    assert token_pieces(doc, set()) == []


def test_learned_mode_without_its_model_is_an_error_that_names_the_file_and_the_way_out(
    nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimledger.attribute import classifier

    missing = tmp_path / "attribution_model.json"
    monkeypatch.setattr(classifier, "MODEL_PATH", missing)
    doc = _parse(nlp, "The minister said that the bridge would reopen.")
    with pytest.raises(AttributionModelError) as error:
        attribute_doc(doc)
    message = str(error.value)
    assert str(missing) in message and "missing" in message
    assert "reinstall claimledger" in message
    assert "claimledger train attribution" in message and "--attribution rules" in message
    # The rules need no model, and still find the statement.
    assert len(attribute_doc(doc, learned=False)) == 1


def test_a_learned_pipeline_without_its_model_fails_when_built_not_per_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import spacy

    from claimledger.attribute import classifier

    monkeypatch.setattr(classifier, "MODEL_PATH", tmp_path / "attribution_model.json")
    with pytest.raises(AttributionModelError, match=r"attribution_model\.json"):
        spacy.blank("en").add_pipe("claimledger_attribution")
    spacy.blank("en").add_pipe("claimledger_attribution", config={"mode": "rules"})


def test_the_shipped_model_loads_and_accepts_a_plain_said(nlp: Language) -> None:
    model = load_model()
    assert set(model.roles.weights) == set(ROLES)
    assert 0.0 < model.cue.threshold < 1.0
    doc = _parse(nlp, "The minister said that the bridge would reopen in March.")
    [statement] = attribute_doc(doc)
    assert statement.confidence is not None and statement.confidence >= model.cue.threshold


def test_an_old_foreign_or_broken_model_file_is_an_error_not_rules_only(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text('{"name": "attribution-filter-v1", "weights": {}}', encoding="utf-8")
    with pytest.raises(AttributionModelError, match="attribution-filter-v1"):
        load_model(old)
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "attribution-fr', encoding="utf-8")
    with pytest.raises(AttributionModelError, match="cannot be read"):
        load_model(broken)


def test_rules_mode_uses_neither_learned_verbs_nor_the_model() -> None:
    import claimledger
    from claimledger.attribute import lexicon

    learned_only = sorted(set(lexicon.cues()) - set(lexicon.hand_cues()))
    assert learned_only, "the shipped learned cue list is empty"
    text = "The mayor said the bridge will reopen on Friday."
    rules = claimledger.extract(text, attribution="rules")
    learned = claimledger.extract(text)
    assert [s.cue.text for s in rules.statements if s.cue] == ["said"]
    assert rules.statements[0].confidence is None  # no model scored it
    assert learned.statements[0].confidence is not None
    with lexicon.learned_cues_enabled(False):
        assert set(lexicon.cues()) == set(lexicon.hand_cues())
    assert set(lexicon.cues()) > set(lexicon.hand_cues())


def test_an_unknown_mode_is_refused(nlp: Language) -> None:
    from claimledger.attribute.component import AttributionComponent

    with pytest.raises(ValueError, match="attribution mode"):
        AttributionComponent(nlp, "x", "neural")


def test_a_rule_cue_gains_the_words_the_role_model_reads_as_cue(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimledger.attribute as attribute

    doc = _parse(nlp, "The minister said Friday that the bridge would reopen.")
    [draft] = [d for d in candidate_drafts(doc) if d.cue]
    assert doc.text[draft.cue[0] : draft.cue[1]] == "said"
    roles = RoleModel({**HAND_ROLES.weights, "cue": {"dep=npadvmod": 5.0}}, HAND_ROLES.biases)
    model = AttributionModel(CueModel({"lemma=say": 10.0}, bias=-5.0, threshold=0.5), roles)
    monkeypatch.setattr(attribute, "load_attribution_model", lambda: model)
    [statement] = attribute_doc(doc)
    assert statement.cue is not None and statement.cue.text == "said Friday"
    assert statement.content.text == "that the bridge would reopen"


# A role model that reads a light verb's object, with its determiner or modifier noun, and its
# preposition as cue words, as PolNeAR draws "expressed concern about | the policy".
LIGHT_VERB_CUE = {"dep=aux": 5.0, "dep=dobj": 10.0, "dep=prep": 10.0, "dep=det": 10.0}
LIGHT_VERB_ROLES = RoleModel(
    {**HAND_ROLES.weights, "cue": {**LIGHT_VERB_CUE, "dep=compound": 10.0}},
    HAND_ROLES.biases,
)


def _light_verb_statements(
    nlp: Language, monkeypatch: pytest.MonkeyPatch, text: str
) -> list[tuple[str | None, str]]:
    import claimledger.attribute as attribute

    cues = {"lemma=express": 10.0, "lemma=reference": 10.0, "lemma=publish": 10.0}
    model = AttributionModel(CueModel(cues, bias=-5.0, threshold=0.5), LIGHT_VERB_ROLES)
    monkeypatch.setattr(attribute, "load_attribution_model", lambda: model)
    return [
        (s.cue.text if s.cue else None, s.content.text) for s in attribute_doc(_parse(nlp, text))
    ]


def test_cue_words_that_open_the_object_move_from_content_to_cue(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Several senators have expressed concern about the new policy."
    assert _light_verb_statements(nlp, monkeypatch, text) == [
        ("have expressed concern about", "the new policy")
    ]


def test_an_object_with_a_named_source_of_its_own_stays_whole(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "The ad then references FBI criticism of the private email system."
    [(_, content)] = _light_verb_statements(nlp, monkeypatch, text)
    assert content == "FBI criticism of the private email system"


def test_cue_words_never_leave_a_time_as_the_content(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "The paper published the report of last week."
    [(cue, content)] = _light_verb_statements(nlp, monkeypatch, text)
    assert (cue, content) == ("published", "the report of last week")


def test_the_missing_model_error_is_public_and_a_model_not_found_error() -> None:
    import claimledger

    assert claimledger.AttributionModelError is AttributionModelError
    assert issubclass(AttributionModelError, claimledger.ModelNotFoundError)
    assert "AttributionModelError" in claimledger.__all__
