"""Use cases of the label schema: create a project from a template, count label use, and make
the rename / merge / edit commands (run through :class:`AnnotationService` for undo)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from annotator.core.errors import StorageError
from annotator.core.relabel_commands import EditLabels, LabelStep, merge_label, rename_label
from annotator.core.schema import LabelSchema, template_schema, validate
from annotator.storage import project_contents, relabel
from annotator.storage.database import Database
from annotator.suggest import pipelines, registry
from annotator.suggest.seeds import NAME as SEEDS


def create_project(
    target: str | Path | None,
    template_key: str,
    *,
    seed_lists: bool = True,
    pipeline: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> LabelSchema:
    """Create the project at ``target`` (a path or URL; None: the default) with the
    template's schema as its first version, and the seed lists (well-known places,
    nationalities, organisations) on or off. With ``pipeline`` (an installed spaCy package or
    a saved folder with an entity recogniser), its entities are suggested from the start,
    their labels mapped by ``labels`` (pipeline label to project label), by default to the
    template's by :func:`~annotator.suggest.pipelines.default_mapping`. Refuses a project
    that already holds documents, terms or a schema."""
    schema = validate(template_schema(template_key))
    # Checked before anything is created: a pipeline that is not here is the user's typo.
    chosen = None if pipeline is None else pipelines.pipeline_info(pipeline)
    db = Database.open(target)
    try:
        with db.write() as store:
            found = {k: n for k, n in project_contents.contents(store).items() if n}
            if found:
                held = ", ".join(f"{n} {what}" for what, n in found.items())
                raise StorageError(
                    f"{db.display_url} is an existing project ({held}): open it with "
                    "File > Open project, or choose a new file or an empty database"
                )
            saved = store.save_schema(schema)
            settings = registry.settings_from(store)
            if not seed_lists:
                settings = settings.with_enabled(SEEDS, False)
            if chosen is not None:
                mapping = (
                    dict(labels)
                    if labels is not None
                    else pipelines.default_mapping(chosen.labels, saved)
                )
                settings = settings.with_options(
                    pipelines.INSTALLED, pipeline=chosen.name, labels=mapping
                ).with_enabled(pipelines.INSTALLED, True)
            if not seed_lists or chosen is not None:
                store.set_setting(registry.SETTINGS_KEY, settings.to_value())
            return saved
    finally:
        db.close()


def project_schema(db: Database) -> LabelSchema:
    """The project's label schema, its newest version."""
    with db.read() as store:
        return store.schema()


def label_usage(db: Database) -> dict[str, int]:
    with db.read() as store:
        return relabel.label_usage(store)


def rename(schema: LabelSchema, old: str, new: str) -> EditLabels:
    return rename_label(schema, old, new, relabel.REWRITER)


def merge(schema: LabelSchema, old: str, into: str) -> EditLabels:
    return merge_label(schema, old, into, relabel.REWRITER)


def edit(steps: Sequence[LabelStep], schema: LabelSchema, name: str = "Edit labels") -> EditLabels:
    """Everything the schema editor changed, as one undoable command."""
    return EditLabels(tuple(steps), validate(schema), relabel.REWRITER, name=name)
