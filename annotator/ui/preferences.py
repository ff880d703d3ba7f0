"""Edit > Preferences: this user's choices on this computer.

Everything is applied when OK is pressed and nothing before: Cancel leaves the settings file,
the theme, the article font and the suggesters as they were. The annotator name and the
backup values cannot change an open project safely (annotations already carry the name; the
backup is taken while opening), so they take effect the next time a project is opened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import InputError
from annotator.core.setting_commands import (
    UNCERTAIN_FIRST_KEY,
    set_uncertain_first,
    uncertain_first,
)
from annotator.suggest.settings import SETTINGS_KEY, SuggesterSettings
from annotator.ui.plain import label, message_box
from annotator.ui.settings import (
    MAX_BACKUP_HOURS,
    MAX_BACKUP_KEEP,
    MAX_FONT_SIZE,
    MIN_FONT_SIZE,
    THEMES,
    Preferences,
    check_annotator_name,
    load_preferences,
    save_preferences,
)
from annotator.ui.theme import apply_theme

if TYPE_CHECKING:
    from annotator.ui.article_view import ArticleView
    from annotator.ui.context import WindowContext
    from annotator.ui.operations import Outcome
    from annotator.ui.pipeline_choice import PipelineChoice

#: Choices of a suggester's combo box, in order: follow the project, on, off.
FOLLOW, ON, OFF = 0, 1, 2
SUGGESTER_TEXT: Final = {
    "gazetteer": "Gazetteer (confirmed entities and term lists)",
    "seeds": "Seed lists (well-known places, nationalities, organisations)",
    "rules": "Rules (figures, dates, titles, organisations)",
    "claims": "Claim cues (reporting verbs, figures, hedges)",
    "model": "Model trained on this project",
    "installed": "Installed spaCy pipeline",
}
SUGGESTERS_NOTE: Final = (
    "These switches apply to you only, on this computer. 'Project setting' follows what the "
    "project turns on for everyone; On or Off overrides it for you. A suggester that cannot "
    "run here (no trained model yet, no installed pipeline) is skipped."
)
PIPELINE_NOTE: Final = (
    "A project setting, for everyone who works on it (Undo takes it back). A pipeline that is "
    "not installed on a computer suggests nothing there."
)
NAME_NOTE: Final = (
    "Stored with every annotation you make. A new name takes effect the next time a "
    "project is opened; your earlier work stays under the old name."
)
UNCERTAIN_NOTE: Final = (
    "For everyone in this project: the next document is the unfinished one whose stored "
    "suggestions have scores nearest 0.5 (documents without suggestions come after, in order). "
    "Undo (Ctrl+Z) turns a change back."
)
BACKUP_NOTE: Final = (
    "A copy of a project file is taken when it is opened and the newest copy is older than "
    "the interval (0: at every open). Used the next time a project is opened."
)


class PreferencesDialog(QDialog):
    """The dialog; :attr:`chosen` emits the new :class:`Preferences` once OK is confirmed."""

    chosen = Signal(object)

    def __init__(
        self,
        current: Preferences,
        project_suggesters: Mapping[str, bool],
        article_font: QFont,
        parent: QWidget | None = None,
        *,
        pipeline: PipelineChoice | None = None,
        uncertain_first: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.current = current
        #: The project's installed-pipeline choice (None: not offered, e.g. no schema yet).
        self.pipeline = pipeline
        layout = QVBoxLayout(self)
        # Two columns: one would be taller than a laptop screen with the project's pipeline.
        columns = QHBoxLayout()
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout.addLayout(columns)

        you = QGroupBox("You", self)
        form = QFormLayout(you)
        self.name = QLineEdit(current.annotator or "", self)
        self.name.setObjectName("preferences-name")
        form.addRow("Annotator name", self.name)
        form.addRow("", self._note(NAME_NOTE))
        left.addWidget(you)

        look = QGroupBox("Appearance", self)
        form = QFormLayout(look)
        self.theme = QComboBox(self)
        self.theme.setObjectName("preferences-theme")
        for theme in THEMES:
            self.theme.addItem(theme.capitalize(), theme)
        self.theme.setCurrentIndex(THEMES.index(current.theme))
        self.font_family = QFontComboBox(self)
        self.font_family.setObjectName("preferences-font")
        self.font_family.setCurrentFont(QFont(current.font_family or article_font.family()))
        self.font_size = QDoubleSpinBox(self)
        self.font_size.setObjectName("preferences-font-size")
        self.font_size.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.font_size.setDecimals(0)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(current.font_size or article_font.pointSizeF())
        # What was shown, to tell a choice from an untouched (rounded) default.
        self._shown_font = (self.font_family.currentFont().family(), self.font_size.value())
        form.addRow("Theme", self.theme)
        form.addRow("Article font", self.font_family)
        form.addRow("Article font size", self.font_size)
        form.addRow(
            "", self._note("Zoom (Ctrl+= / Ctrl+-) starts from this size; Ctrl+0 returns to it.")
        )
        left.addWidget(look)

        suggest = QGroupBox("Suggesters", self)
        form = QFormLayout(suggest)
        self.suggesters: dict[str, QComboBox] = {}
        for name, project_on in project_suggesters.items():
            combo = QComboBox(self)
            combo.setObjectName(f"preferences-suggester-{name}")
            combo.addItem(f"Project setting ({'on' if project_on else 'off'})")
            combo.addItem("On")
            combo.addItem("Off")
            override = current.suggesters.get(name)
            combo.setCurrentIndex(FOLLOW if override is None else ON if override else OFF)
            self.suggesters[name] = combo
            form.addRow(SUGGESTER_TEXT.get(name, name), combo)
        form.addRow(self._note(SUGGESTERS_NOTE))
        right.addWidget(suggest)

        if pipeline is not None:
            project = QGroupBox("Project: installed spaCy pipeline", self)
            box = QVBoxLayout(project)
            pipeline.setParent(project)
            box.addWidget(pipeline)
            box.addWidget(self._note(PIPELINE_NOTE))
            right.addWidget(project)

        project = QGroupBox("This project", self)
        form = QFormLayout(project)
        self.uncertain_first = QCheckBox(
            "Done, next: the document the suggesters are least sure about (for everyone)", self
        )
        self.uncertain_first.setObjectName("preferences-uncertain-first")
        self.uncertain_first.setChecked(uncertain_first)
        # The note as a tooltip: one more wrapped note would squeeze the suggester rows on a
        # laptop screen.
        self.uncertain_first.setToolTip(UNCERTAIN_NOTE)
        form.addRow(self.uncertain_first)
        left.addWidget(project)

        backup = QGroupBox("Automatic backups", self)
        form = QFormLayout(backup)
        self.backup_interval = QDoubleSpinBox(self)
        self.backup_interval.setObjectName("preferences-backup-interval")
        self.backup_interval.setRange(0, MAX_BACKUP_HOURS)
        self.backup_interval.setDecimals(1)
        self.backup_interval.setSuffix(" h")
        self.backup_interval.setValue(current.backup_interval_hours)
        self.backup_keep = QSpinBox(self)
        self.backup_keep.setObjectName("preferences-backup-keep")
        self.backup_keep.setRange(1, MAX_BACKUP_KEEP)
        self.backup_keep.setValue(current.backup_keep)
        form.addRow("Back up when the last copy is older than", self.backup_interval)
        form.addRow("Copies kept", self.backup_keep)
        form.addRow(self._note(BACKUP_NOTE))
        left.addWidget(backup)
        left.addStretch(1)
        right.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.confirm: QMessageBox | None = None
        # Qt opens a window at most two thirds of the screen high, which squeezed the suggester
        # rows on a 900-pixel screen: ask for the whole height where the screen has it.
        available = self.screen().availableGeometry().size()
        self.resize(self.sizeHint().boundedTo(available))

    def _note(self, text: str) -> QWidget:
        note = label(text, self)
        note.setWordWrap(True)
        note.setEnabled(False)  # drawn greyed: an explanation, not a value
        return note

    def preferences(self) -> Preferences:
        """What the dialog shows now; raises :class:`InputError` naming the bad field."""
        name = self.name.text()
        annotator = check_annotator_name(name) if name.strip() or self.current.annotator else None
        family = self.font_family.currentFont().family()
        size = self.font_size.value()
        suggesters = {
            name: combo.currentIndex() == ON
            for name, combo in self.suggesters.items()
            if combo.currentIndex() != FOLLOW
        }
        # A suggester this project does not know keeps the user's choice for other projects.
        for name, on in self.current.suggesters.items():
            if name not in self.suggesters:
                suggesters[name] = on
        return replace(
            self.current,
            annotator=annotator,
            theme=str(self.theme.currentData()),
            # Unchanged defaults stay unset, so a later change of the system font still shows.
            font_family=family
            if self.current.font_family or family != self._shown_font[0]
            else None,
            font_size=size if self.current.font_size or size != self._shown_font[1] else None,
            suggesters=suggesters,
            backup_interval_hours=self.backup_interval.value(),
            backup_keep=self.backup_keep.value(),
        )

    def accept(self) -> None:
        try:
            chosen = self.preferences()
        except InputError as exc:
            box = message_box(self, "Preferences", str(exc), QMessageBox.Icon.Warning)
            box.setObjectName("preferences-error")
            box.open()
            return
        old = self.current.annotator
        if old is not None and chosen.annotator != old:
            box = message_box(
                self,
                "Change annotator name",
                f"Change your annotator name from {old!r} to {chosen.annotator!r}?\n\n"
                "From the next time a project is opened, your new annotations are stored under "
                "the new name; what you did so far stays under the old one.",
                QMessageBox.Icon.Question,
            )
            box.setObjectName("confirm-name")
            box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            box.setDefaultButton(QMessageBox.StandardButton.No)
            box.accepted.connect(lambda: self._finish(chosen))
            self.confirm = box
            box.open()
            return
        self._finish(chosen)

    def _finish(self, chosen: Preferences) -> None:
        self.chosen.emit(chosen)
        super().accept()


def apply_preferences(ctx: WindowContext, article: ArticleView, preferences: Preferences) -> None:
    """Apply what can change in a running window: theme, article font, suggesters."""
    apply_theme(preferences.theme)
    article.set_base_font(preferences.font_family, preferences.font_size)
    ctx.suggestions.set_overrides(preferences.suggesters)
    ctx.workspace.hidden_suggesters = frozenset(
        name for name, on in preferences.suggesters.items() if not on
    )


def project_switches(value: SuggesterSettings) -> dict[str, bool]:
    return {config.name: config.enabled for config in value.configs}


def open_preferences(ctx: WindowContext, article: ArticleView) -> None:
    """Edit > Preferences…: read the project's suggester switches, then show the dialog.
    The pipeline choice is imported here: a new window applies the stored preferences
    (:func:`apply_startup`) without it."""
    from annotator.suggest.pipelines import INSTALLED, choose_pipeline
    from annotator.ui.pipeline_choice import PipelineChoice

    def read() -> tuple[SuggesterSettings, bool]:
        with ctx.db.read() as store:
            on = uncertain_first(store.get_setting(UNCERTAIN_FIRST_KEY))
        return ctx.suggestions.service.settings(), on

    def show(read: tuple[SuggesterSettings, bool]) -> None:
        settings, was_uncertain_first = read
        current = load_preferences(ctx.settings)
        schema = ctx.current_schema()
        choice = None
        if schema is not None:
            installed = settings.get(INSTALLED)
            chosen_name = installed.options.get("pipeline") if installed.enabled else None
            choice = PipelineChoice(
                schema,
                ctx.settings,
                chosen_name if isinstance(chosen_name, str) else None,
                installed.options.get("labels") or {},
            )
        dialog = PreferencesDialog(
            current,
            project_switches(settings),
            article.font(),
            ctx.widget,
            pipeline=choice,
            uncertain_first=was_uncertain_first,
        )
        dialog.setObjectName("preferences-dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a fresh one each time

        def chosen(preferences: Preferences) -> None:
            on = dialog.uncertain_first.isChecked()
            if on != was_uncertain_first:  # a project setting: one undoable command
                ctx.ops.run_op(set_uncertain_first(on, ctx.annotator), "project", edits_work=False)
            save_preferences(preferences, ctx.settings)
            apply_preferences(ctx, article, preferences)
            if choice is not None and choice.changed():
                # A project setting: one undoable command; after_command refreshes.
                command = choose_pipeline(choice.chosen_pipeline(), choice.mapping(), ctx.annotator)
                ctx.ops.run_op(command, "preferences", edits_work=False)
            document_id = ctx.current_document_id()
            if document_id is not None and preferences.suggesters != current.suggesters:
                ctx.open_document(document_id)  # without the hidden ones
                ctx.suggestions.refresh([document_id])
            notes: Sequence[str] = [
                text
                for changed, text in (
                    (preferences.annotator != current.annotator, "the new name"),
                    (
                        preferences.open_options() != current.open_options(),
                        "the backup settings",
                    ),
                )
                if changed
            ]
            if notes:
                ctx.status(
                    f"Preferences saved; {' and '.join(notes)} apply from the next project opened.",
                    10000,
                )
            else:
                ctx.status("Preferences saved.", 4000)

        dialog.chosen.connect(chosen)
        dialog.finished.connect(ctx.back_to_article)
        dialog.open()

    ctx.executor.submit(read, show)


def after_command(ctx: WindowContext, outcome: Outcome) -> None:
    """After a command, its undo or redo: when it changed which suggesters the project runs
    (an installed pipeline chosen), build them again and show the open document's
    suggestions from them."""
    if outcome.changes.setting != SETTINGS_KEY:
        return
    ctx.suggestions.invalidate()
    document_id = ctx.current_document_id()
    if document_id is not None:
        ctx.open_document(document_id)
        ctx.suggestions.refresh([document_id])


def apply_startup(ctx: WindowContext, article: ArticleView) -> Preferences:
    """The stored preferences applied to a new window (before its zoom is restored)."""
    preferences = load_preferences(ctx.settings)
    apply_preferences(ctx, article, preferences)
    return preferences


__all__ = [
    "PreferencesDialog",
    "after_command",
    "apply_preferences",
    "apply_startup",
    "open_preferences",
]
