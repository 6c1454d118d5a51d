"""``offload demo``: a sample repository migrated end to end, and its measurements."""
