"""The assess stage: each statement's factuality as its source presents it (FactBank labels).

``assess_article(doc, article)`` fills ``Statement.factuality`` and, where the content holds
clauses of opposite polarity, ``Statement.factuality_parts``. The same lexicons label single
events from the author's perspective (:func:`event_factuality`), which is what the UW and
MEANTIME benchmarks score (``claimledger eval factuality``).

Example::

    nlp = claimledger.nlp.load_pipeline()
    doc = nlp(article.text)
    assess_article(doc, article).statements[0].factuality  # "CT+"
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Doc

from claimledger.assess.events import event_commitment, event_factuality
from claimledger.assess.statements import statement_factuality
from claimledger.model import Article, Statement

__all__ = ["assess_article", "assess_statement", "event_commitment", "event_factuality",
           "statement_factuality"]  # fmt: skip


def assess_statement(doc: Doc, statement: Statement) -> Statement:
    """``statement`` with its factuality and parts filled in."""
    label, parts = statement_factuality(doc, statement)
    return dataclasses.replace(statement, factuality=label, factuality_parts=parts)


def assess_article(doc: Doc, article: Article) -> Article:
    """``article`` with every statement assessed; ``doc`` is the parse of ``article.text``."""
    statements = tuple(assess_statement(doc, s) for s in article.statements)
    return dataclasses.replace(article, statements=statements)
