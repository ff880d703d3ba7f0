"""Which suggesters a project runs and with what options: the stored settings alone, without
the suggesters (their modules, the gazetteer and seed lists, cost a noticeable part of the
window's start; annotator.suggest.registry builds them). ``annotator.suggest.registry``
re-exports everything here. Qt-free."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.suggest.errors import SuggesterError

#: Cities with fewer people are not suggested by the seed lists (annotator.suggest.seeds):
#: below it, town names collide with surnames and words far more often (measured in
#: benchmarks/bench_suggest.py).
DEFAULT_MIN_POPULATION = 100_000

SETTINGS_KEY = "suggesters"

#: Every suggester this build knows, in the order they run, and whether it is on by default.
DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "gazetteer": {"enabled": True},
    # The shipped lists of places, nationalities and organisations (annotator.suggest.seeds).
    "seeds": {"enabled": True, "min_population": DEFAULT_MIN_POPULATION},
    "rules": {"enabled": True},
    "claims": {"enabled": True},
    # Switched on by the first successful training (services/training.py).
    "model": {"enabled": False},
    "installed": {"enabled": False, "pipeline": None, "labels": {}},
}


@dataclass(frozen=True, slots=True)
class SuggesterConfig:
    name: str
    enabled: bool
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuggesterSettings:
    """Every suggester's on/off switch and options, in run order."""

    configs: tuple[SuggesterConfig, ...]

    @classmethod
    def defaults(cls) -> SuggesterSettings:
        return cls.from_value(None)

    @classmethod
    def from_value(cls, value: Any) -> SuggesterSettings:
        """Settings from the stored JSON value (``None``: the defaults). Raises
        :class:`SuggesterError` naming the bad key."""
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            raise SuggesterError(
                f"setting {SETTINGS_KEY!r} must be an object, got {type(value).__name__}"
            )
        names = [*DEFAULTS, *(name for name in value if name not in DEFAULTS)]
        configs = []
        for name in names:
            stored = value.get(name, {})
            if not isinstance(stored, Mapping):
                raise SuggesterError(f"setting {SETTINGS_KEY}.{name} must be an object")
            merged = {**DEFAULTS.get(name, {"enabled": False}), **stored}
            enabled = merged.pop("enabled")
            if not isinstance(enabled, bool):
                raise SuggesterError(f"setting {SETTINGS_KEY}.{name}.enabled must be true/false")
            configs.append(SuggesterConfig(str(name), enabled, merged))
        return cls(tuple(configs))

    def to_value(self) -> dict[str, Any]:
        return {c.name: {"enabled": c.enabled, **c.options} for c in self.configs}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.configs)

    def enabled_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.configs if c.enabled)

    def get(self, name: str) -> SuggesterConfig:
        for config in self.configs:
            if config.name == name:
                return config
        raise SuggesterError(f"no suggester named {name!r}; known: {', '.join(self.names)}")

    def with_enabled(self, name: str, enabled: bool = True) -> SuggesterSettings:
        self.get(name)
        return SuggesterSettings(
            tuple(
                SuggesterConfig(c.name, enabled, c.options) if c.name == name else c
                for c in self.configs
            )
        )

    def with_options(self, name: str, **options: Any) -> SuggesterSettings:
        self.get(name)
        return SuggesterSettings(
            tuple(
                SuggesterConfig(c.name, c.enabled, {**c.options, **options})
                if c.name == name
                else c
                for c in self.configs
            )
        )

    def selected(self, only: Collection[str] | None = None) -> tuple[SuggesterConfig, ...]:
        """The enabled suggesters, or exactly those named in ``only`` (on or off: naming one
        is asking for it), in run order."""
        if not only:
            return tuple(c for c in self.configs if c.enabled)
        for name in only:
            self.get(name)
        return tuple(c for c in self.configs if c.name in only)


class SettingSource(Protocol):
    """Where the settings are stored: a ``Store``, or anything with its ``get_setting``."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...


def settings_from(source: SettingSource) -> SuggesterSettings:
    return SuggesterSettings.from_value(source.get_setting(SETTINGS_KEY))
