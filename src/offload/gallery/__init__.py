"""The gallery: every asset of offload.lock and its versions, as HTML (served or static)."""
