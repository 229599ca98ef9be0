"""Validation rules, one module per group; importing this package registers them all."""

from pohon_xl.rules import identity  # noqa: F401
