"""The spaCy component ``claimledger_attribution``, as a spaCy user meets it."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import spacy

import claimledger.attribute.component  # noqa: F401  (registers the factory in this process)
from claimledger.nlp import DEFAULT_MODEL

TEXTS = [
    "The mayor said the bridge will reopen on Friday.",
    "“We are ready,” said Ana Ruiz. She added that the union would meet on Monday.",
]


def test_the_factory_is_registered_by_entry_point() -> None:
    names = {ep.name for ep in entry_points(group="spacy_factories")}
    assert "claimledger_attribution" in names


def test_statements_appear_on_the_doc_with_their_speakers() -> None:
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("claimledger_attribution")
    doc = nlp(TEXTS[1])
    assert [s.speaker.name for s in doc._.statements if s.speaker] == ["Ana Ruiz", "Ana Ruiz"]
    assert doc._.statements[0].content.text == "We are ready,"


def test_the_mode_survives_saving_and_loading_the_pipeline(tmp_path: Path) -> None:
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("claimledger_attribution", config={"mode": "rules"})
    nlp.to_disk(tmp_path / "pipeline")
    restored = spacy.load(tmp_path / "pipeline")
    assert restored.get_pipe("claimledger_attribution").mode == "rules"
    doc = restored(TEXTS[0])
    assert doc._.statements[0].confidence is None  # the rules alone: no filter score
    assert nlp(TEXTS[0]).to_bytes() == doc.to_bytes()


def test_two_processes_give_the_same_statements_as_one() -> None:
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("claimledger_attribution")
    one = [d._.statements for d in nlp.pipe(TEXTS)]
    two = [d._.statements for d in nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert one == two
    assert all(statements for statements in one)
