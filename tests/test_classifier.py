"""The learned filter over rule candidates: features, scoring, keeping and dropping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from claimledger.attribute import attribute_doc, classifier
from claimledger.attribute.classifier import FilterModel, features, load_model


def test_features_name_the_pattern_cue_and_source(nlp: Language) -> None:
    doc = nlp("The minister said that the bridge would reopen in March.")
    [statement] = attribute_doc(doc, use_filter=False)
    feats = features(doc, statement)
    assert "by=pattern:indirect-that" in feats
    assert "cue=say" in feats
    assert "cue_class=speech" in feats
    assert "src_pos=NOUN" in feats
    assert any(f.startswith("len=") for f in feats)


def test_probability_is_a_logistic_of_the_summed_weights() -> None:
    model = FilterModel({"a": 2.0, "b": -1.0}, bias=0.0, threshold=0.5)
    assert model.probability([]) == pytest.approx(0.5)
    assert model.probability(["a", "b"]) == pytest.approx(1 / (1 + 2.718281828**-1), rel=1e-6)
    assert model.probability(["unknown"]) == pytest.approx(0.5)


def test_the_filter_drops_what_the_model_scores_low(
    nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = nlp("The minister said that the bridge would reopen. The union claimed to have won.")
    candidates = attribute_doc(doc, use_filter=False)
    assert {s.cue.text for s in candidates if s.cue} == {"said", "claimed"}
    path = tmp_path / "model.json"
    path.write_text(
        json.dumps({"bias": 0.0, "threshold": 0.5, "weights": {"cue=claim": -5.0, "cue=say": 5.0}})
    )
    monkeypatch.setattr(classifier, "load_model", lambda: load_model(path))
    kept = attribute_doc(doc)
    assert [s.cue.text for s in kept if s.cue] == ["said"]
    assert kept[0].id == "s1" and kept[0].confidence is not None and kept[0].confidence > 0.9


def test_without_a_model_every_candidate_is_kept(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(classifier, "load_model", lambda: None)
    doc = nlp("The minister said that the bridge would reopen.")
    assert len(attribute_doc(doc)) == len(attribute_doc(doc, use_filter=False)) == 1


def test_rules_mode_uses_neither_learned_verbs_nor_the_filter() -> None:
    import claimledger
    from claimledger.attribute import lexicon

    learned_only = sorted(set(lexicon.cues()) - set(lexicon.hand_cues()))
    assert learned_only, "the shipped learned cue list is empty"
    text = "The mayor said the bridge will reopen on Friday."
    rules = claimledger.extract(text, attribution="rules")
    learned = claimledger.extract(text)
    assert [s.cue.text for s in rules.statements if s.cue] == ["said"]
    assert rules.statements[0].confidence is None  # no filter scored it
    assert learned.statements[0].confidence is not None
    with lexicon.learned_cues_enabled(False):
        assert set(lexicon.cues()) == set(lexicon.hand_cues())
    assert set(lexicon.cues()) > set(lexicon.hand_cues())


def test_an_unknown_mode_is_refused(nlp: Language) -> None:
    from claimledger.attribute.component import AttributionComponent

    with pytest.raises(ValueError, match="attribution mode"):
        AttributionComponent(nlp, "x", "neural")
