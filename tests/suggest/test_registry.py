"""Which suggesters run, with what settings, and building them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from annotator.core.schema import default_schema
from annotator.suggest.base import Suggester
from annotator.suggest.errors import SuggesterError, SuggesterUnavailable
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.registry import (
    FACTORIES,
    BuildContext,
    SuggesterSettings,
    build,
)
from tests.suggest.news import item, spans


def test_defaults_turn_on_gazetteer_seeds_rules_and_claims() -> None:
    settings = SuggesterSettings.defaults()
    assert settings.enabled_names() == ("gazetteer", "seeds", "rules", "claims")
    assert set(settings.names) >= {"gazetteer", "seeds", "rules", "claims", "model", "installed"}
    names = [s.name for s in build(BuildContext(default_schema()), settings)]
    assert names == ["gazetteer", "seeds", "rules", "claims"]


def test_stored_values_merge_over_the_defaults_and_round_trip() -> None:
    stored = {"rules": {"enabled": False}, "plugin": {"enabled": True, "depth": 2}}
    settings = SuggesterSettings.from_value(stored)
    assert settings.enabled_names() == ("gazetteer", "seeds", "claims", "plugin")
    assert settings.get("plugin").options == {"depth": 2}
    again = SuggesterSettings.from_value(settings.to_value())
    assert again == settings
    assert settings.with_enabled("rules").enabled_names() == (
        "gazetteer",
        "seeds",
        "rules",
        "claims",
        "plugin",
    )
    assert (
        settings.with_options("installed", pipeline="x").get("installed").options["pipeline"] == "x"
    )


@pytest.mark.parametrize(
    "value",
    [["gazetteer"], {"rules": True}, {"rules": {"enabled": "yes"}}],
)
def test_malformed_settings_name_the_bad_key(value: Any) -> None:
    with pytest.raises(SuggesterError, match="suggesters"):
        SuggesterSettings.from_value(value)


def test_only_names_suggesters_even_when_they_are_off() -> None:
    settings = SuggesterSettings.defaults().with_enabled("rules", False)
    names = [s.name for s in build(BuildContext(default_schema()), settings, only=["rules"])]
    assert names == ["rules"]
    with pytest.raises(SuggesterError, match="no suggester named 'nope'"):
        build(BuildContext(default_schema()), settings, only=["nope"])


def test_the_gazetteer_suggester_reads_the_shared_gazetteer() -> None:
    gazetteer = Gazetteer()
    [suggester] = build(BuildContext(default_schema(), gazetteer), only=["gazetteer"])
    text = "Ships left Port Sela."
    assert suggester.suggest(item(text)) == []
    gazetteer.add_confirmed("Port Sela", "GPE")
    assert spans(text, suggester.suggest(item(text))) == [("Port Sela", "GPE")]


class _Source:
    """A project as the registry sees it (the Store has these methods)."""

    def schema(self) -> Any:
        return default_schema()

    def get_setting(self, key: str, default: Any = None) -> Any:
        assert key == "suggesters"
        return {"claims": {"enabled": False}}

    def confirmed_entity_texts(self) -> dict[tuple[str, str], int]:
        return {("Port Sela", "GPE"): 2}

    def terms(self) -> list[Any]:
        from annotator.storage.store import StoredTerm

        return [StoredTerm(1, "Kestrel-7", "WEAPON", False, "kit.csv")]


def test_build_from_a_project() -> None:
    suggesters = build(_Source())
    assert [s.name for s in suggesters] == ["gazetteer", "seeds", "rules"]
    text = "Kestrel-7 drones flew over Port Sela."
    assert spans(text, suggesters[0].suggest(item(text))) == [
        ("Kestrel-7", "WEAPON"),
        ("Port Sela", "GPE"),
    ]


def test_the_model_suggester_comes_from_its_factory_hook() -> None:
    made: list[Mapping[str, Any]] = []

    class Fixed:
        name = "model"
        version = "m1"

        def suggest(self, item: Any, cancel: Any = None) -> list[Any]:
            return []

    def factory(context: BuildContext, options: Mapping[str, Any]) -> Suggester:
        made.append(options)
        return Fixed()

    settings = SuggesterSettings.defaults().with_enabled("model").with_options("model", k=1)
    suggesters = build(
        BuildContext(default_schema()), settings, factories={**FACTORIES, "model": factory}
    )
    assert [s.name for s in suggesters] == ["gazetteer", "seeds", "rules", "claims", "model"]
    assert made == [{"k": 1}]


def test_the_model_suggester_without_a_model_source_is_unavailable() -> None:
    settings = SuggesterSettings.defaults().with_enabled("model")
    unavailable: dict[str, str] = {}
    suggesters = build(BuildContext(default_schema()), settings, unavailable=unavailable)
    assert "model" not in [s.name for s in suggesters]
    assert "model" in unavailable
    with pytest.raises(SuggesterUnavailable):
        build(BuildContext(default_schema()), settings, only=["model"])


def test_the_installed_suggester_needs_a_pipeline() -> None:
    settings = SuggesterSettings.defaults().with_enabled("installed")
    with pytest.raises(SuggesterUnavailable, match="no pipeline"):
        build(BuildContext(default_schema()), settings, only=["installed"])
