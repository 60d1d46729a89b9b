"""Cyber-patrol engine: claim matching against a hoax registry and spike detection.

Pure Python + numpy/scipy/scikit-learn (no Django, no database, no network).
See docs/patroli-siber.md.
"""

from .claimtext import Analysed, analyse
from .matcher import Claim, ClaimMatcher, MatchResult, ScoredClaim
from .rescore import DecisionModel, load_model

__all__ = [
    "Analysed",
    "Claim",
    "ClaimMatcher",
    "DecisionModel",
    "MatchResult",
    "ScoredClaim",
    "analyse",
    "load_model",
]
