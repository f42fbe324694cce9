"""claimledger: who claims what, when, how firmly — from news reports.

Example::

    import claimledger
    article = claimledger.extract("examples/kursk.txt", published="2024-12-10")
    print(len(article.statements))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The public names are imported on first use (PEP 562): `import claimledger` and the command's
# `--help` must not wait for spaCy, trafilatura and the store to load.
if TYPE_CHECKING:
    from claimledger.api import (
        IngestSummary,
        Ledger,
        Options,
        extract,
        extract_file,
        extract_many,
        extract_text,
    )
    from claimledger.errors import (
        AttributionModelError,
        ClaimledgerError,
        InputError,
        ModelNotFoundError,
        StoreError,
    )
    from claimledger.model import (
        Article,
        Content,
        InputFailure,
        Quantity,
        Skipped,
        Span,
        Speaker,
        Statement,
        TimeExpression,
        Via,
    )

__version__ = "0.1.0"

_MODULE_OF = {
    "IngestSummary": "claimledger.api",
    "Ledger": "claimledger.api",
    "Options": "claimledger.api",
    "extract": "claimledger.api",
    "extract_many": "claimledger.api",
    "extract_text": "claimledger.api",
    "extract_file": "claimledger.api",
    "AttributionModelError": "claimledger.errors",
    "ClaimledgerError": "claimledger.errors",
    "InputError": "claimledger.errors",
    "ModelNotFoundError": "claimledger.errors",
    "StoreError": "claimledger.errors",
    "Article": "claimledger.model",
    "Content": "claimledger.model",
    "InputFailure": "claimledger.model",
    "Quantity": "claimledger.model",
    "Skipped": "claimledger.model",
    "Span": "claimledger.model",
    "Speaker": "claimledger.model",
    "Statement": "claimledger.model",
    "TimeExpression": "claimledger.model",
    "Via": "claimledger.model",
}

__all__ = [
    "Article",
    "AttributionModelError",
    "ClaimledgerError",
    "Content",
    "IngestSummary",
    "InputError",
    "InputFailure",
    "Ledger",
    "ModelNotFoundError",
    "Options",
    "Quantity",
    "Skipped",
    "Span",
    "Speaker",
    "Statement",
    "StoreError",
    "TimeExpression",
    "Via",
    "extract",
    "extract_file",
    "extract_many",
    "extract_text",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'claimledger' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
