"""Pipeline stage "normalize": time expressions, speech times and the publication date.

``resolve_times(doc, article)`` runs after ``attribute``; ``find_time_expressions(text, published)``
is the same recognition and normalisation without statements.
"""

from __future__ import annotations

from claimledger.normalize.resolve import resolve_times
from claimledger.normalize.timex import find_time_expressions

__all__ = ["find_time_expressions", "resolve_times"]
