"""Which suggesters a project runs and with what settings, and how each is built.

The settings live in the project (``Store.set_setting("suggesters", ...)``) as one JSON object,
a key per suggester, ``enabled`` plus that suggester's options::

    {"gazetteer": {"enabled": true},
     "seeds": {"enabled": true, "min_population": 100000},
     "rules": {"enabled": true},
     "claims": {"enabled": true},
     "model": {"enabled": false},
     "installed": {"enabled": false, "pipeline": "en_core_web_sm",
                   "labels": {"PER": "PERSON", "LOC": "GPE"}}}

Missing keys take the defaults (gazetteer, seed lists, rules and claims on), so a project
made before a suggester existed gets it with its default. A key of a suggester this build does
not know is kept (a plug-in's settings survive a round trip) and reported when it is asked for.

Each suggester has a factory ``(context, options) -> Suggester``. The learned model lives in
``annotator.suggest.learned`` (imported only when the "model" suggester is built): the factory
calls its ``make_suggester(context, options)`` when it has one, else builds its
``LearnedSuggester`` over ``context.extras["model"]``, the model source the service puts there
(see ``annotator.services.suggesting.CONTEXT_HOOKS``); either way its entity suggestions carry
the model's held-out calibration for the combination
(:class:`annotator.suggest.combining.CalibratedModel`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.core.schema import LabelSchema
from annotator.suggest.base import Suggester
from annotator.suggest.claims import ClaimSuggester
from annotator.suggest.combining import CalibratedModel
from annotator.suggest.errors import SuggesterError, SuggesterUnavailable
from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester, Term
from annotator.suggest.rules import RulesSuggester
from annotator.suggest.seeds import RejectedTerms, SeedSuggester
from annotator.suggest.settings import DEFAULT_MIN_POPULATION, SETTINGS_KEY
from annotator.suggest.settings import DEFAULTS as DEFAULTS  # re-exported, as all below
from annotator.suggest.settings import SuggesterConfig as SuggesterConfig
from annotator.suggest.settings import SuggesterSettings as SuggesterSettings
from annotator.suggest.settings import settings_from as settings_from

LEARNED_MODULE = "annotator.suggest.learned"


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What factories build suggesters from."""

    schema: LabelSchema
    #: Shared and live: a suggester built on it sees later confirmations (and its version
    #: follows them).
    gazetteer: Gazetteer = field(default_factory=Gazetteer)
    #: Anything else a suggester needs from the project, by name (``"model"``: the trained
    #: model), filled by the service.
    extras: Mapping[str, Any] = field(default_factory=dict)
    #: Shared and live like the gazetteer: texts and labels annotators rejected in the
    #: project, which the seed lists do not suggest again.
    rejected: RejectedTerms = field(default_factory=RejectedTerms)


class StoredTermLike(Protocol):
    @property
    def term(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def case_sensitive(self) -> bool: ...
    @property
    def source(self) -> str | None: ...


class ProjectSource(Protocol):
    """What building from a project needs; the storage layer's ``Store`` is one (it also
    has ``rejected_entity_texts()``, read when present)."""

    def schema(self) -> LabelSchema: ...

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def confirmed_entity_texts(self) -> dict[tuple[str, str], int]: ...

    def terms(self) -> Iterable[StoredTermLike]: ...


Factory = Callable[[BuildContext, Mapping[str, Any]], Suggester]


def _gazetteer(context: BuildContext, options: Mapping[str, Any]) -> Suggester:
    return GazetteerSuggester(context.gazetteer, context.schema)


def _seeds(context: BuildContext, options: Mapping[str, Any]) -> Suggester:
    threshold = options.get("min_population", DEFAULT_MIN_POPULATION)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise SuggesterError(
            f"setting {SETTINGS_KEY}.seeds.min_population must be a whole number of people"
        )
    return SeedSuggester(
        context.schema,
        gazetteer=context.gazetteer,
        rejected=context.rejected,
        min_population=threshold,
    )


def _rules(context: BuildContext, options: Mapping[str, Any]) -> Suggester:
    return RulesSuggester(context.schema)


def _claims(context: BuildContext, options: Mapping[str, Any]) -> Suggester:
    return ClaimSuggester(context.schema)


def _installed(context: BuildContext, options: Mapping[str, Any]) -> Suggester:
    from annotator.suggest.installed import InstalledPipelineSuggester

    pipeline = options.get("pipeline")
    if not pipeline or not isinstance(pipeline, str):
        raise SuggesterUnavailable(
            "the installed-pipeline suggester has no pipeline: set "
            f"{SETTINGS_KEY}.installed.pipeline to an installed spaCy package or a folder"
        )
    labels = options.get("labels") or {}
    if not isinstance(labels, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
    ):
        raise SuggesterError(
            f"{SETTINGS_KEY}.installed.labels must map the pipeline's labels to the project's"
        )
    return InstalledPipelineSuggester(pipeline, context.schema, labels)


def _learned(context: BuildContext, options: Mapping[str, Any]) -> Suggester:
    """The learned model: ``make_suggester(context, options)`` of its module when it has
    one, else its ``LearnedSuggester`` over the model source the service put in
    ``context.extras["model"]``."""
    try:
        module = importlib.import_module(LEARNED_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != LEARNED_MODULE:
            raise
        raise SuggesterUnavailable("the learned-model suggester is not part of this build") from exc
    make = getattr(module, "make_suggester", None)
    if make is not None:
        made: Suggester = make(context, options)
        return CalibratedModel(made)
    source = context.extras.get("model")
    if source is None:
        raise SuggesterUnavailable(
            "the learned-model suggester has no model source: the project's model service "
            "registers one (annotator.services.suggesting.CONTEXT_HOOKS['model'])"
        )
    suggester: Suggester = module.LearnedSuggester(source)
    return CalibratedModel(suggester)


#: Factories by suggester name. Plug-ins add theirs with :func:`register`.
FACTORIES: dict[str, Factory] = {
    "gazetteer": _gazetteer,
    "seeds": _seeds,
    "rules": _rules,
    "claims": _claims,
    "model": _learned,
    "installed": _installed,
}


def register(name: str, factory: Factory) -> None:
    """Make ``name`` buildable (its settings default to off unless :data:`DEFAULTS` has it)."""
    FACTORIES[name] = factory


def context_from(source: ProjectSource, extras: Mapping[str, Any] | None = None) -> BuildContext:
    """A context with a gazetteer built from the project's confirmed spans and terms, and
    the texts its annotators rejected."""
    gazetteer = Gazetteer(
        source.confirmed_entity_texts(),
        (Term(t.term, t.label, t.case_sensitive, t.source) for t in source.terms()),
    )
    # A source without rejections (a plug-in's, a test's) simply has none.
    rejections = getattr(source, "rejected_entity_texts", None)
    rejected = RejectedTerms(rejections() if rejections is not None else ())
    return BuildContext(source.schema(), gazetteer, dict(extras or {}), rejected)


def build(
    source: ProjectSource | BuildContext,
    settings: SuggesterSettings | None = None,
    *,
    only: Collection[str] | None = None,
    factories: Mapping[str, Factory] | None = None,
    unavailable: dict[str, str] | None = None,
) -> list[Suggester]:
    """The suggesters ``settings`` turn on (or those named in ``only``), built.

    ``source`` is a project (a ``Store``: settings, schema and gazetteer are read from it) or
    a ready :class:`BuildContext` (then ``settings`` default to the defaults). A suggester that
    cannot run here raises :class:`SuggesterUnavailable`, unless ``unavailable`` is given: then
    its message is put there by name and the others are still built.
    """
    if isinstance(source, BuildContext):
        context = source
        settings = settings or SuggesterSettings.defaults()
    else:
        settings = settings or settings_from(source)
        context = context_from(source)
    table = FACTORIES if factories is None else factories
    built: list[Suggester] = []
    for config in settings.selected(only):
        factory = table.get(config.name)
        try:
            if factory is None:
                raise SuggesterUnavailable(f"no suggester named {config.name!r} in this build")
            built.append(factory(context, config.options))
        except SuggesterUnavailable as exc:
            if unavailable is None:
                raise
            unavailable[config.name] = str(exc)
    return built
