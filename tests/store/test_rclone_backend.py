"""``transport: rclone`` through the real rclone binary against rclone serve s3 (TLS)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from offload.errors import ConfigError, ObjectExistsError, StoreError
from offload.store.base import PutRequest
from offload.store.rclone import RcloneBackend, find_rclone
from offload.store.rclone_conf import RcloneRemote, read_remote
from testing.servers import S3Server

AWKWARD = "it's a \"take\" $HOME & `x`.png"


def write_conf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: S3Server,
               secret: str | None = None) -> Path:
    conf = tmp_path / "rclone.conf"
    conf.write_text(
        "[local]\ntype = local\n\n"
        f"[srv]\ntype = s3\nprovider = Rclone\nendpoint = {server.endpoint_url}\n"
        f"access_key_id = {server.access_key}\n"
        f"secret_access_key = {secret or server.secret_key}\n"
    )
    monkeypatch.setenv("RCLONE_CONFIG", str(conf))
    if server.ca_bundle:
        monkeypatch.setenv("RCLONE_CA_CERT", server.ca_bundle)
        monkeypatch.setenv("AWS_CA_BUNDLE", server.ca_bundle)
    return conf


def test_awkward_names_round_trip(rclone_s3: S3Server, rclone_bucket: str, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write_conf(tmp_path, monkeypatch, rclone_s3)
    folder = tmp_path / "a dir $PATH 'q'"
    folder.mkdir()
    source = folder / AWKWARD
    data = b"frame bytes " * 1000
    source.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    key = f"shots/{AWKWARD}"
    store = RcloneBackend(read_remote("srv"), rclone_bucket, "prod dir")
    store.put_file(PutRequest(key, source, digest, "image/png"))
    assert rclone_s3.root is not None
    assert (rclone_s3.root / rclone_bucket / "prod dir" / key).read_bytes() == data
    info = store.head(key)
    assert info is not None and info.size == len(data) and info.sha256 == digest
    assert [o.key for o in store.iter_objects("shots/it")] == [key]
    assert store.get_file(key, folder / "back $HOME.png", digest) == digest
    with pytest.raises(ObjectExistsError):
        store.create_if_absent(key, b"other", "text/plain")
    store.delete(key)
    assert store.head(key) is None
    store.delete(key)  # absent is not an error


def test_rclone_python_wrapper_cannot_take_such_paths(tmp_path: Path) -> None:
    """Why the backend calls the binary: the wrapper hands paths to a shell."""
    from rclone_python import rclone

    rclone.set_executable_file(find_rclone())
    source = tmp_path / "src $HOME"
    source.mkdir()
    (source / "a.png").write_bytes(b"x")
    dest = tmp_path / "dest"
    try:
        rclone.copy(str(source), str(dest), show_progress=False)
    except Exception:
        pass
    assert not (dest / "a.png").exists()


def test_secrets_stay_out_of_errors_and_repr(rclone_s3: S3Server, rclone_bucket: str,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    secret = "wrong-secret-must-not-show-4711"
    write_conf(tmp_path, monkeypatch, rclone_s3, secret=secret)
    remote = read_remote("srv")
    assert secret not in repr(remote)
    store = RcloneBackend(remote, rclone_bucket, "")
    assert secret not in repr(store) and secret not in store.description
    source = tmp_path / "a.png"
    source.write_bytes(b"x")
    with pytest.raises(StoreError) as failure:
        store.put_file(PutRequest("a.png", source, "0" * 64, "image/png"))
    assert "credentials" in failure.value.message
    assert secret not in failure.value.render()


def test_unknown_remote_lists_known_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         moto_s3: S3Server) -> None:
    write_conf(tmp_path, monkeypatch, moto_s3)
    with pytest.raises(ConfigError) as failure:
        read_remote("r2")
    assert "local, srv" in failure.value.message
    assert "rclone config" in failure.value.next_step


def test_non_s3_remote_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  moto_s3: S3Server) -> None:
    write_conf(tmp_path, monkeypatch, moto_s3)
    with pytest.raises(ConfigError, match="type = s3"):
        read_remote("local")


def test_example_conf_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[2] / "rclone.conf.example"
    monkeypatch.setenv("RCLONE_CONFIG", str(example))
    remote = read_remote("r2")
    assert isinstance(remote, RcloneRemote)
    assert remote.provider == "Cloudflare" and remote.region == "auto"
    assert remote.endpoint_url == "https://<account>.r2.cloudflarestorage.com"


def test_default_config_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from offload.store.rclone_conf import config_path

    monkeypatch.delenv("RCLONE_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "rclone" / "rclone.conf"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert config_path() == tmp_path / ".config" / "rclone" / "rclone.conf"
    (tmp_path / ".rclone.conf").write_text("[old]\ntype = s3\n")
    assert config_path() == tmp_path / ".rclone.conf"
    assert read_remote("old").source == tmp_path / ".rclone.conf"
