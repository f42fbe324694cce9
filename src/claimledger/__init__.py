"""claimledger: who claims what, when, how firmly — from news reports.

Example::

    import claimledger
    article = claimledger.extract("examples/kursk.txt", published="2024-12-10")
    print(len(article.statements))
"""

from claimledger.api import IngestSummary, Ledger, Options, extract, extract_many
from claimledger.errors import ClaimledgerError, InputError, ModelNotFoundError, StoreError
from claimledger.model import (
    Article,
    Content,
    InputFailure,
    Quantity,
    Span,
    Speaker,
    Statement,
    TimeExpression,
    Via,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ClaimledgerError",
    "Content",
    "IngestSummary",
    "InputError",
    "InputFailure",
    "Ledger",
    "ModelNotFoundError",
    "Options",
    "Quantity",
    "Span",
    "Speaker",
    "Statement",
    "StoreError",
    "TimeExpression",
    "Via",
    "extract",
    "extract_many",
]
