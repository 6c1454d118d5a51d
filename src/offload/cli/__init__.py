"""Thin click commands: parse, call the logic below, print."""
