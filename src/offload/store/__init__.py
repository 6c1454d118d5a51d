"""Store backends behind one interface, and the factory that picks one from the config."""

from offload.store.base import Backend, ObjectInfo, PutRequest, sha256_file
from offload.store.factory import open_backend
from offload.store.spec import StoreSpec, parse_store_spec

__all__ = [
    "Backend",
    "ObjectInfo",
    "PutRequest",
    "StoreSpec",
    "open_backend",
    "parse_store_spec",
    "sha256_file",
]
