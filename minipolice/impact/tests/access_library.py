"""PLACEHOLDER access entries (the helper fills them)."""

MATRIX = {}
