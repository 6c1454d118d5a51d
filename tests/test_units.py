import pytest

from offload.units import human_bytes


@pytest.mark.parametrize(("size", "text"), [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KiB"),
                                            (5 * 1024**2, "5.0 MiB"), (3 * 1024**4, "3072.0 GiB")])
def test_human_bytes(size: int, text: str) -> None:
    assert human_bytes(size) == text
