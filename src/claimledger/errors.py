"""Exceptions raised by claimledger. Each names the input and says what to do."""

from __future__ import annotations


class ClaimledgerError(Exception):
    """Base class for every error claimledger raises on purpose."""


class InputError(ClaimledgerError):
    """An input (file, JSONL line, stdin) that cannot be read as an article."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ModelNotFoundError(ClaimledgerError):
    """The spaCy pipeline asked for is not installed."""


class AttributionModelError(ModelNotFoundError):
    """The learned attribution model (attribute/attribution_model.json) is missing or not in a
    format this version reads; the message names the file and says what to do."""


class EmbeddingModelError(ModelNotFoundError):
    """The shipped sentence-embedding model (aggregate/minilm/model.onnx or its tokenizer.json)
    is missing or unreadable; the message names the file and says what to do."""


class StoreError(ClaimledgerError):
    """The ledger database cannot be opened or written."""
