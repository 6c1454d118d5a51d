"""Median wall time of the staged check vs pre-commit-hooks' check-added-large-files.

Builds one index (100 staged files, 10 of them images) under the configuration `offload init`
writes, then times, interleaved:
  offload   — the hook path: python -m offload.guard check --staged
  cli       — the click CLI: python -m offload check --staged (for reference)
  large     — check-added-large-files FILE… (as the pre-commit framework calls it)
  bare      — python3 -c pass
Then the rate at which one large staged blob is streamed and scanned for credentials.
Usage: .venv/bin/python bench/hook.py [--runs N] [--scan-mib N (0: skip)]
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(20_000)


def build_index(root: Path) -> list[str]:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    # the configuration `offload init` writes, as a new user's repository has it
    subprocess.run([sys.executable, "-m", "offload", "init", "--store",
                    (root.parent / "store").as_uri()], cwd=root, check=True,
                   env={**os.environ, "PYTHONPATH": str(SRC)}, stdout=subprocess.DEVNULL)
    names = [f"shots/frame{i:02}.png" for i in range(10)]
    names += [f"notes/note{i:02}.md" for i in range(90)]
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".png"):
            target.write_bytes(PNG + name.encode())
        else:
            target.write_text(f"# {name}\n" + "some prose\n" * 40)
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    return names


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and the git processes it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped above
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def median_ms(commands: dict[str, list[str]], cwd: Path, env: dict[str, str],
              runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU milliseconds per command (CPU time is steadier on a busy machine)."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(run_once(argv, cwd, env))
    return {name: (statistics.median(w for w, _ in values) * 1000,
                   statistics.median(c for _, c in values) * 1000)
            for name, values in times.items()}


def scan_rate(env: dict[str, str], mib: int) -> float:
    """MiB/s of `check --staged` over one staged blob of ``mib`` MiB (streamed and scanned)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / "offload.yaml").write_text("artifacts:\n  max_bytes: 1048576\n")
        with open(root / "render.bin", "wb") as out:
            for _ in range(mib):
                out.write(os.urandom(1 << 20))
        subprocess.run(["git", "add", "render.bin"], cwd=root, check=True)
        wall, _ = run_once([sys.executable, "-m", "offload.guard", "check", "--staged"],
                           root, env)
    return mib / wall


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 40
    # An installed package has byte code; so must the source tree we time.
    compileall.compile_dir(str(SRC / "offload"), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    large = str(Path(sys.executable).with_name("check-added-large-files"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        names = build_index(root)
        commands = {
            "offload": [sys.executable, "-m", "offload.guard", "check", "--staged"],
            "hook": [sys.executable, "-c", "from offload.guard.hook import main; main()",
                     "pre-commit"],
            "cli": [sys.executable, "-m", "offload", "check", "--staged"],
            "large": [large, "--maxkb", "1024", *names],
            "bare": ["python3", "-c", "pass"],
            "bare_venv": [sys.executable, "-c", "pass"],
        }
        timed = median_ms(commands, root, env, runs)
    for name, (wall, cpu) in timed.items():
        print(f"{name:>10}: {wall:7.1f} ms wall {cpu:7.1f} ms cpu  "
              f"{' '.join(commands[name][:3])[:60]}")
    result = {name: wall for name, (wall, _) in timed.items()}
    cpu = {name: value for name, (_, value) in timed.items()}
    print(f"offload check --staged / check-added-large-files = "
          f"{result['offload'] / result['large']:.2f}x (target <= 1.0x)")
    print(f"offload check --staged / python3 -c pass          = "
          f"{result['offload'] / result['bare']:.2f}x (target <= 2x)")
    print(f"  same, against this interpreter's bare start-up  = "
          f"{result['offload'] / result['bare_venv']:.2f}x wall, "
          f"{cpu['offload'] / cpu['bare_venv']:.2f}x cpu")
    print(f"  installed pre-commit hook script path           = "
          f"{result['hook'] / result['bare_venv']:.2f}x wall, "
          f"{cpu['hook'] / cpu['bare_venv']:.2f}x cpu of bare start-up")
    mib = int(sys.argv[sys.argv.index("--scan-mib") + 1]) if "--scan-mib" in sys.argv else 64
    if mib:
        print(f"credential scan of one staged {mib} MiB blob: {scan_rate(env, mib):.0f} MiB/s")


if __name__ == "__main__":
    main()
