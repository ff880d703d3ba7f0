"""argparse's usage errors quote what was typed; a database URL among it is shown masked."""

from __future__ import annotations

import pytest

from annotator.cli import EXIT_USAGE, main

SECRET = "Sesame-7q"
URLS = (
    f"postgresql://ana:{SECRET}@db.example/corpus",
    f"postgresql+psycopg://ana@db.example/corpus?password={SECRET}",
)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "argv",
    [
        ["{url}", "stats"],  # a project before the command: "invalid choice"
        ["stats", "{url}"],  # "unrecognized arguments"
        ["--db", "{url}", "stats", "--days", "0"],  # another mistake, the URL elsewhere
        ["--db={url}", "nonsense"],
    ],
)
def test_a_usage_error_never_shows_the_password(
    url: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.replace("{url}", url) for a in argv]) == EXIT_USAGE
    said = capsys.readouterr()
    assert SECRET not in said.err and SECRET not in said.out
    assert "error:" in said.err


def test_the_misplaced_url_is_named_masked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([URLS[0], "stats"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "invalid choice: 'postgresql://ana:***@db.example/corpus'" in err
