"""claimledger: who claims what, when, how firmly — from news reports."""
__version__ = "0.1.0"
