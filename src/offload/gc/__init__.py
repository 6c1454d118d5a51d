"""`offload gc`: remove what no commit references, and never anything a commit does."""
