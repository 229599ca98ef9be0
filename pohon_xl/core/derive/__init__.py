"""Derivations: the plan and its tree -> the derived sheets (pure; no files)."""
