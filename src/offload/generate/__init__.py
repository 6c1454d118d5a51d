"""Generation commands that write straight into the store (SPEC §8)."""
