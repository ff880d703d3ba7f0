"""``annotator new``: the seed lists are on unless ``--no-seed-lists`` is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import EXIT_OK, main
from annotator.storage.database import Database
from annotator.suggest.registry import SETTINGS_KEY, SuggesterSettings
from annotator.suggest.seeds import NAME as SEEDS


def _enabled(target: Path) -> tuple[str, ...]:
    db = Database.open(target, create=False)
    try:
        with db.read() as store:
            return SuggesterSettings.from_value(store.get_setting(SETTINGS_KEY)).enabled_names()
    finally:
        db.close()


@pytest.mark.parametrize(("switch", "seeds_on"), [([], True), (["--no-seed-lists"], False)])
def test_new_with_and_without_the_seed_lists(
    switch: list[str], seeds_on: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "project.sqlite"
    assert main(["--db", str(target), "new", *switch]) == EXIT_OK
    said = capsys.readouterr().out
    assert said.startswith(f"Created {target} with ")
    assert ("without the seed lists" in said) is not seeds_on
    enabled = _enabled(target)
    assert (SEEDS in enabled) is seeds_on
    assert {"gazetteer", "rules", "claims"} <= set(enabled)
