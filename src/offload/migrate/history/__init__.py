"""History mode: rewriting every selected ref with git-filter-repo, and what the rewrite records."""
