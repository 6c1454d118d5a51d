"""`offload log` and `offload gc` on the 500-commit synthetic repository after migration.

The synthetic LFS repository of ``bench.migrate`` (500 commits, 2,000 objects, a fifth of them
new versions of existing paths) is cloned, migrated in history mode to the embedded local
store, then timed: ``offload log`` of the path with the most versions, ``offload gc
--dry-run`` (default age), ``offload gc --older-than 0s`` (every object referenced: the
full reference walk, the listing and nothing to delete), then ``offload rebase-urls plan`` and
``run`` (history mode) from the file:// base to an https one.

Run from the repository root: ``.venv/bin/python -m bench.history [--object-size BYTES]``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import Measured, run_measured
from bench.synthrepo import SynthSpec, fresh_clone, make_synthetic_repo

SRC = Path(__file__).resolve().parents[1] / "src"


def offload(clone: Path, *args: str) -> Measured:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return run_measured([sys.executable, "-m", "offload", *args], clone, env).check(
        " ".join(args[:2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--object-size", type=int, default=4096,
                        help="bytes per object (log and gc cost depends on counts, not sizes)")
    args = parser.parse_args()
    spec = SynthSpec(object_size=args.object_size)
    with tempfile.TemporaryDirectory(prefix="offload-bench-history-") as tmp:
        synth = make_synthetic_repo(Path(tmp) / "remote.git", spec)
        clone = fresh_clone(synth, Path(tmp) / "clone")
        offload(clone, "migrate", "plan")
        plan = sorted((clone / "migrations").glob("*.yaml"))[0]
        offload(clone, "migrate", "run", str(plan), "--force")
        busiest, versions = _versions(synth.remote).most_common(1)[0]
        log = offload(clone, "log", busiest, "--json")
        assert json.loads(log.stdout)["count"] == versions, log.stdout[:500]
        dry = offload(clone, "gc", "--dry-run", "--json")
        full = offload(clone, "gc", "--older-than", "0s", "--json")
        report = json.loads(full.stdout)
        print(f"{spec.commits} commits, {len(report['garbage'])} garbage, "
              f"{report['kept']['referenced']} referenced objects, "
              f"{report['references']['lock_versions']} offload.lock versions")
        old = (clone / ".git" / "offload" / "store").resolve().as_uri()
        plan = offload(clone, "rebase-urls", "plan", "--from", old, "--to",
                       "https://assets.example.test/prod", "--json")
        rebase = offload(clone, "rebase-urls", "run", json.loads(plan.stdout)["plan"],
                         "--force", "--json")
        assert json.loads(rebase.stdout)["verification"]["ok"], rebase.stdout[-500:]
        for name, measured in (("log " + busiest + f" ({versions} versions)", log),
                               ("gc --dry-run", dry), ("gc --older-than 0s", full),
                               ("rebase-urls plan", plan), ("rebase-urls run (history)", rebase)):
            print(f"{name:<55} {measured.seconds:6.2f} s  peak RSS "
                  f"{measured.peak_rss / 2**20:6.1f} MiB")


def _versions(remote: Path) -> collections.Counter[str]:
    """Versions per path in the original repository: one per commit adding or changing it."""
    import subprocess

    out = subprocess.run(["git", "log", "--all", "--format=", "--name-only", "--diff-filter=AM",
                          "--", "*.png"], cwd=remote, check=True, capture_output=True,
                         text=True).stdout
    return collections.Counter(line for line in out.splitlines() if line)


if __name__ == "__main__":
    main()
