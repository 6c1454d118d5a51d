"""Are there credentials for the store? Says where they come from, never what they are."""

from __future__ import annotations

from offload.ops.doctor import Check
from offload.workspace import Workspace

NAME = "credentials"
EXPORT_HINT = ("export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or use an "
               "rclone remote (`store: rclone:REMOTE:bucket`)")


def check_credentials(ws: Workspace) -> Check:
    from offload.store.local import LocalBackend
    from offload.store.rclone import RcloneBackend
    from offload.store.s3 import S3Backend

    backend = ws.backend
    if isinstance(backend, LocalBackend):
        return Check(NAME, "ok", "none needed (local store)")
    if isinstance(backend, RcloneBackend):
        remote = backend.remote
        if remote.env_auth or remote.access_key_id:
            how = "env_auth" if remote.env_auth else "access_key_id"
            return Check(NAME, "ok", f"rclone remote [{remote.name}] in {remote.source} ({how})")
        return Check(NAME, "fail", f"rclone remote [{remote.name}] has no access_key_id",
                     f"add access_key_id and secret_access_key to [{remote.name}] in "
                     f"{remote.source} (`rclone config`)")
    if isinstance(backend, S3Backend):
        return _boto3_credentials(backend)
    return Check(NAME, "warn", f"not checked for {backend.description}")


def _boto3_credentials(backend: object) -> Check:
    access, secret, _token = getattr(backend, "_credentials", (None, None, None))
    if access and secret:
        return Check(NAME, "ok", "from the rclone remote (access key id and secret)")
    import boto3.session

    try:
        found = boto3.session.Session().get_credentials()
    except Exception as exc:  # a broken profile: botocore raises many kinds
        return Check(NAME, "fail", f"boto3 could not read credentials ({type(exc).__name__})",
                     "fix AWS_PROFILE or ~/.aws/credentials, or " + EXPORT_HINT)
    if found is None or not found.access_key or not found.secret_key:
        return Check(NAME, "fail", "no credentials found in boto3's chain", EXPORT_HINT)
    return Check(NAME, "ok", f"found by boto3 (source: {found.method})")
