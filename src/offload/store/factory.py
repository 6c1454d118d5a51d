"""Choose and build the backend a configuration names."""

from __future__ import annotations

from offload.config.model import Config
from offload.git.repo import RepoPaths
from offload.store.base import Backend
from offload.store.spec import StoreSpec, parse_store_spec


def store_spec_for(config: Config, repo: RepoPaths) -> StoreSpec:
    return parse_store_spec(config.store, config.root, repo.shared_dir / "store")


def open_backend(config: Config, repo: RepoPaths) -> Backend:
    spec = store_spec_for(config, repo)
    if spec.kind == "local":
        from offload.store.local import LocalBackend

        assert spec.path is not None
        return LocalBackend(spec.path)
    if spec.kind == "s3":
        from offload.store.s3 import S3Backend

        return S3Backend(spec.bucket, spec.prefix, config.s3)
    from offload.store.rclone_conf import read_remote

    remote = read_remote(spec.remote)
    if config.transport == "rclone":
        from offload.store.rclone import RcloneBackend

        return RcloneBackend(remote, spec.bucket, spec.prefix)
    from offload.store.s3 import S3Backend

    return S3Backend.from_rclone_remote(remote, spec.bucket, spec.prefix, config.s3)
