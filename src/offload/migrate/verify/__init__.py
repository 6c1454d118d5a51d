"""Checking a finished migration: trees, locks, URLs and the store."""
