"""Scoring claimledger's output against annotated benchmarks (``claimledger eval …``)."""
