"""Which spaCy pipelines with an entity recogniser are on this machine, and how their labels
map to a project's.

Two places are looked at, and nothing is ever downloaded: packages installed in this Python
(spaCy's own lookup of installed model packages, such as one installed from a wheel) and
folders saved with ``nlp.to_disk`` that the user points at. Only each pipeline's
``meta.json`` and ``config.cfg`` are read (no weights are loaded), so listing is quick; a
pipeline counts when one of its components is made by the ``ner`` factory, and its entity
labels come from the meta (``labels`` of that component).

:func:`default_mapping` proposes how those labels map to the project's schema: the same name
when the schema has it, else by meaning (``PERSON`` to whatever the schema calls persons,
``GPE``/``LOC``/``FAC`` to its place label, ``NORP`` to nationalities or groups...); a label
with no counterpart is left out, and the installed-pipeline suggester drops its entities.
:func:`choose_pipeline` is the one command that sets the project's choice (undoable).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from annotator.core.commands import Applied, Changes
from annotator.core.schema import LabelSchema
from annotator.core.setting_commands import SetSetting, SettingStore
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.settings import SETTINGS_KEY, SuggesterSettings

__all__ = [
    "INSTALLED",
    "ChoosePipeline",
    "InstalledPipeline",
    "PutSuggesters",
    "choose_pipeline",
    "default_mapping",
    "find_pipelines",
    "installed_packages",
    "pipeline_info",
    "read_folder",
]

INSTALLED: Final = "installed"

#: For each label a pipeline may have, the labels a schema may call the same thing, in order
#: of preference (spaCy's OntoNotes and CoNLL/WikiNER names, and common variants).
SYNONYMS: Final[Mapping[str, tuple[str, ...]]] = {
    "PERSON": ("PERSON", "PER", "PERS", "PEOPLE"),
    "PER": ("PER", "PERSON", "PERS", "PEOPLE"),
    "ORG": ("ORG", "ORGANIZATION", "ORGANISATION", "ORGANIZATIONS"),
    "GPE": ("GPE", "LOC", "LOCATION", "PLACE", "PLACES"),
    "LOC": ("LOC", "LOCATION", "PLACE", "PLACES", "GPE"),
    "FAC": ("FAC", "FACILITY", "LOC", "LOCATION", "PLACE", "PLACES"),
    "NORP": ("NORP", "NATIONALITY", "GROUP", "MISC"),
    "EVENT": ("EVENT", "MISC"),
    "PRODUCT": ("PRODUCT", "MISC"),
    "WORK_OF_ART": ("WORK_OF_ART", "MISC"),
    "LAW": ("LAW", "MISC"),
    "LANGUAGE": ("LANGUAGE", "MISC"),
    "DATE": ("DATE", "TIME"),
    "TIME": ("TIME", "DATE"),
    "QUANTITY": ("QUANTITY", "CARDINAL", "NUMBER"),
    "CARDINAL": ("CARDINAL", "QUANTITY", "NUMBER"),
    "MONEY": ("MONEY", "QUANTITY"),
    "PERCENT": ("PERCENT", "QUANTITY"),
    "ORDINAL": ("ORDINAL",),
    "MISC": ("MISC",),
}


@dataclass(frozen=True, slots=True)
class InstalledPipeline:
    """A pipeline that can suggest entities: ``name`` is what ``spacy.load`` takes (a package
    name, or a folder's absolute path)."""

    name: str
    kind: str  # "package" or "folder"
    lang: str
    version: str
    labels: tuple[str, ...]
    title: str = ""

    def describe(self) -> str:
        what = self.title or self.name
        where = "package" if self.kind == "package" else f"folder {self.name}"
        shown = ", ".join(self.labels[:8]) + (" …" if len(self.labels) > 8 else "")
        return f"{what} {self.version} ({where}; {shown or 'no labels'})"


def _read_meta(folder: Path) -> dict[str, Any]:
    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SuggesterUnavailable(
            f"{meta_path} cannot be read as a spaCy pipeline's meta.json: {exc}"
        ) from exc
    if not isinstance(meta, dict):
        raise SuggesterUnavailable(f"{meta_path} is not a spaCy pipeline's meta.json")
    return meta


def _ner_components(folder: Path, meta: Mapping[str, Any]) -> list[str]:
    """Names of the components built by the ``ner`` factory (from ``config.cfg``)."""
    from spacy.util import load_config

    config_path = folder / "config.cfg"
    try:
        config = load_config(config_path, interpolate=False)
    except (OSError, ValueError) as exc:
        raise SuggesterUnavailable(f"{config_path} cannot be read: {exc}") from exc
    components = config.get("components", {})
    names = config.get("nlp", {}).get("pipeline", meta.get("pipeline", []))
    found = []
    for name in names:
        block = components.get(name, {})
        factory = block.get("factory")
        # A component copied from another pipeline names that pipeline, not its factory.
        if factory == "ner" or (factory is None and "source" in block and name == "ner"):
            found.append(name)
    return found


def _pipeline_folder(folder: Path) -> Path:
    """The folder that holds ``config.cfg``: the folder itself (``nlp.to_disk``) or, in an
    installed package, its ``<name>-<version>`` data folder."""
    if (folder / "config.cfg").is_file():
        return folder
    for child in sorted(folder.iterdir()):
        if child.is_dir() and (child / "config.cfg").is_file():
            return child
    raise SuggesterUnavailable(f"{folder} holds no spaCy pipeline (no config.cfg)")


def read_folder(
    path: str | Path, *, kind: str = "folder", name: str | None = None
) -> InstalledPipeline | None:
    """The pipeline saved in ``path`` when it has an entity recogniser, else ``None``.
    Raises :class:`SuggesterUnavailable` naming the file when it is not a spaCy pipeline."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise SuggesterUnavailable(f"{folder} is not a folder")
    data = _pipeline_folder(folder)
    meta = _read_meta(data)
    ner = _ner_components(data, meta)
    if not ner:
        return None
    declared = meta.get("labels") or {}
    labels: list[str] = []
    for component in ner:
        for label in declared.get(component, ()):
            if isinstance(label, str) and label not in labels:
                labels.append(label)
    return InstalledPipeline(
        name=name or str(folder.resolve()),
        kind=kind,
        lang=str(meta.get("lang", "")),
        version=str(meta.get("version", "")),
        labels=tuple(labels),
        title=f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}",
    )


def installed_packages() -> list[str]:
    """Names of the spaCy pipeline packages installed in this Python (no network)."""
    from spacy.util import get_installed_models

    return sorted(get_installed_models())


def _package(name: str) -> InstalledPipeline | None:
    from spacy.util import get_package_path

    return read_folder(get_package_path(name), kind="package", name=name)


def pipeline_info(name: str) -> InstalledPipeline:
    """The installed package or saved folder ``name``, which must have an entity recogniser;
    :class:`SuggesterUnavailable` says what is wrong otherwise."""
    folder = Path(name).expanduser()
    try:
        found = read_folder(folder) if folder.is_dir() else _package(name)
    except (ImportError, OSError, ValueError) as exc:
        raise SuggesterUnavailable(
            f"no spaCy pipeline {name!r} is installed here (neither a package of that name nor "
            "a folder saved with nlp.to_disk); nothing is downloaded"
        ) from exc
    if found is None:
        raise SuggesterUnavailable(f"the spaCy pipeline {name!r} has no ner component")
    return found


def find_pipelines(
    folders: Iterable[str | Path] = (),
    *,
    packages: Sequence[str] | None = None,
    problems: list[str] | None = None,
) -> list[InstalledPipeline]:
    """Every installed package and given folder holding a pipeline with an entity
    recogniser, packages first. One that cannot be read is skipped, its reason appended to
    ``problems`` when given."""
    found: list[InstalledPipeline] = []
    seen: set[str] = set()
    names = installed_packages() if packages is None else list(packages)
    candidates: list[tuple[str, str | Path]] = [("package", n) for n in names]
    candidates += [("folder", f) for f in folders]
    for kind, where in candidates:
        try:
            pipeline = _package(str(where)) if kind == "package" else read_folder(where)
        except (SuggesterUnavailable, OSError, ImportError, ValueError) as exc:
            if problems is not None:
                problems.append(f"{where}: {exc}")
            continue
        if pipeline is not None and pipeline.name not in seen:
            seen.add(pipeline.name)
            found.append(pipeline)
    return found


def default_mapping(labels: Iterable[str], schema: LabelSchema) -> dict[str, str]:
    """The pipeline's labels mapped to the schema's: the first of each label's synonyms the
    schema has; labels with none are left out (their entities are not suggested)."""
    known = {name.upper(): name for name in schema.entity_names}
    mapping: dict[str, str] = {}
    for label in labels:
        for candidate in SYNONYMS.get(label.upper(), (label.upper(),)):
            if candidate in known:
                mapping[label] = known[candidate]
                break
    return mapping


class SuggesterSettingStore(SettingStore, Protocol):
    """What choosing a pipeline does in its transaction (the storage ``Store`` is one)."""

    def delete_suggestions(
        self, *, suggester: str | None = None, document_ids: Sequence[int] | None = None
    ) -> int: ...


@dataclass(frozen=True, slots=True)
class PutSuggesters(SetSetting):
    """Store a whole ``suggesters`` value and forget what the installed pipeline suggested
    under the old one: stored suggestions are derived data, recomputed for the documents
    people open, while suggestions of a pipeline that was switched off (or replaced) would
    otherwise stay on screen. Its own inverse, so undo and redo do the same."""

    def apply(self, store: SuggesterSettingStore) -> Applied:  # type: ignore[override]
        old = store.get_setting(self.key)
        store.set_setting(self.key, self.value)
        store.delete_suggestions(suggester=INSTALLED)
        store.log("setting", self.annotator, None, {"key": self.key})
        return Applied(Changes(), PutSuggesters(self.key, old, self.annotator, self.name))


@dataclass(frozen=True, slots=True)
class ChoosePipeline:
    """Make ``pipeline`` (with ``labels``: pipeline label to project label) the project's
    installed-pipeline suggester and switch it on, or switch it off (``None``).

    One command in one transaction: the stored ``suggesters`` value is read inside it and
    only its ``installed`` entry changes (other suggesters' switches, and keys never written,
    stay as they are), and the installed pipeline's stored suggestions are forgotten (see
    :class:`PutSuggesters`); the inverse puts the whole old value back.
    """

    pipeline: str | None
    labels: Mapping[str, str] = field(default_factory=dict)
    annotator: str | None = None

    @property
    def name(self) -> str:
        return "Choose suggestion pipeline" if self.pipeline else "Stop suggesting from a pipeline"

    def value(self, current: Any) -> dict[str, Any]:
        """The new ``suggesters`` value made from ``current`` (checked like any stored one)."""
        SuggesterSettings.from_value(current)  # a damaged value is refused, not kept
        value = dict(current or {})
        entry = dict(value.get(INSTALLED) or {})
        entry.update(
            enabled=bool(self.pipeline),
            pipeline=self.pipeline or None,
            labels=dict(self.labels) if self.pipeline else {},
        )
        value[INSTALLED] = entry
        return value

    def apply(self, store: SuggesterSettingStore) -> Applied:
        value = self.value(store.get_setting(SETTINGS_KEY))
        return PutSuggesters(SETTINGS_KEY, value, self.annotator, self.name).apply(store)


def choose_pipeline(
    pipeline: str | None,
    labels: Mapping[str, str] | None = None,
    annotator: str | None = None,
) -> ChoosePipeline:
    """The command that sets the project's pipeline (see :class:`ChoosePipeline`)."""
    return ChoosePipeline(pipeline, dict(labels or {}), annotator)
