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


class StoreError(ClaimledgerError):
    """The ledger database cannot be opened or written."""
