"""The ledger database: articles and their attributed statements in one SQLite file."""

from claimledger.store.ledger import Ledger, StoredStatement

__all__ = ["Ledger", "StoredStatement"]
