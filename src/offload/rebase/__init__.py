"""`offload rebase-urls`: move every public URL from one base to another, in history or tip."""
