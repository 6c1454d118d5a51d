"""Reading git history in bulk: commit walks and blob streams shared by scan, verify and history."""
