"""What offload.lock recorded across a repository's history (`offload log`)."""
