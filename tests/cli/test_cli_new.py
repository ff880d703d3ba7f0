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


def test_new_with_a_pipeline_suggests_from_it_with_mapped_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.spacy_pipelines import build_pipeline

    folder = build_pipeline(tmp_path / "harbour", epochs=1)
    target = tmp_path / "project.sqlite"
    args = ["--db", str(target), "new", "--template", "conll2003", "--pipeline", str(folder)]
    assert main(args) == EXIT_OK
    assert f"suggesting from the pipeline {folder}" in capsys.readouterr().out
    assert "installed" in _enabled(target)
    db = Database.open(target, create=False)
    try:
        with db.read() as store:
            installed = SuggesterSettings.from_value(store.get_setting(SETTINGS_KEY)).get(
                "installed"
            )
    finally:
        db.close()
    assert installed.options == {
        "pipeline": str(folder.resolve()),
        "labels": {"LOC": "LOC", "MISC": "MISC", "ORG": "ORG", "PER": "PER"},
    }


def test_new_with_a_pipeline_that_is_not_here_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "project.sqlite"
    code = main(["--db", str(target), "new", "--pipeline", "xx_not_installed_here"])
    assert code != EXIT_OK
    assert "xx_not_installed_here" in capsys.readouterr().err
    assert not target.exists()
