import pytest

from offload.globs import first_match
from offload.migrate.recipe import matches


@pytest.mark.parametrize(
    ("globs", "path", "fold", "expected"),
    [
        (("*.png",), "shots/a.png", False, True),
        (("*.png",), "shots/A.PNG", False, False),
        (("*.png",), "shots/A.PNG", True, True),
        (("shots/*.png",), "other/shots/a.png", False, False),
        (("outputs/",), "outputs/x/y.exr", False, True),
        (("frame-??.png",), "a/frame-01.png", False, True),
    ],
)
def test_hook_and_migration_read_patterns_alike(globs: tuple[str, ...], path: str, fold: bool,
                                                expected: bool) -> None:
    assert (first_match(globs, path, fold) is not None) is expected
    assert matches(path, globs, fold) is expected
