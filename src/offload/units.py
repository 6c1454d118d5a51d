"""Human-readable sizes (cheap to import: the hook path uses it)."""


def human_bytes(size: float) -> str:
    """``512 B``, ``1.5 KiB``, ``2.0 MiB`` … up to GiB."""
    value = float(size)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
