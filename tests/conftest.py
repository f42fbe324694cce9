"""Shared fixtures: the spaCy pipeline is loaded once per test session (it takes a second)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from claimledger.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default pipeline, exactly as the attribution stage gets it."""
    return load_pipeline()
