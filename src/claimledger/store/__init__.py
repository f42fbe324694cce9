"""The ledger database: articles and their attributed statements in one SQLite file."""

from claimledger.store.ledger import Ledger, StoredStatement, UnstorableArticle

__all__ = ["Ledger", "StoredStatement", "UnstorableArticle"]
