"""Thin adapters for the pipelines users already run: HF ``datasets``, datatrove, data-juicer.

Each one only moves records in and out of :func:`cleaner.decision.decide`; the
libraries themselves are extras (``cleaner[hf]``, ``cleaner[datatrove]``,
``cleaner[data-juicer]``) and imported only by the adapter that needs them.
"""

from .texts import CleanedTexts, clean_texts

__all__ = ["CleanedTexts", "clean_texts"]
