"""Every action of the window in one table: menu, text, keys and the handler it calls.

The menus, the shortcuts, the label keys and the F1 table are all built from these rows, so
they cannot disagree. A handler is a dotted attribute path on the window (``"controller.accept"``)
and is looked up when the action fires, so the table holds no references to live objects.

"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

MENUS = ("File", "Edit", "Annotate", "Document", "Project", "Review", "View", "Help")


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One row of the table. ``keys`` are portable key sequences ("Ctrl+Z") or the name of a
    QKeySequence.StandardKey ("Quit")."""

    name: str
    menu: str
    text: str
    handler: str
    keys: tuple[str, ...] = ()
    separator_before: bool = False
    #: An on/off switch (shown with a check mark); its handler flips the state.
    checkable: bool = False


@dataclass(frozen=True, slots=True)
class KeyOnly:
    """A key the article view handles itself (no action): listed in F1 all the same."""

    menu: str
    text: str
    keys: str


def _a(name: str, menu: str, text: str, handler: str, *keys: str, sep: bool = False) -> ActionSpec:
    return ActionSpec(name, menu, text, handler, tuple(keys), sep)


ACTIONS: tuple[ActionSpec, ...] = (
    _a("new-project", "File", "&New project…", "new_project", "Ctrl+N"),
    _a("open-project", "File", "&Open project…", "open_project", "Ctrl+O"),
    _a("connect", "File", "Connect to &team database…", "connect_team_database"),
    _a("import", "File", "&Import…", "transfer.import_files", "Ctrl+I", sep=True),
    _a("export", "File", "&Export…", "transfer.export_file", "Ctrl+E"),
    _a("merge-project", "File", "&Merge project…", "merging.merge_project"),
    _a("quit", "File", "&Quit", "close", "Quit", sep=True),
    _a("undo", "Edit", "&Undo", "controller.undo", "Ctrl+Z"),
    _a("redo", "Edit", "&Redo", "controller.redo", "Ctrl+Shift+Z", "Ctrl+Y"),
    _a("search", "Edit", "&Search the corpus…", "search", "Ctrl+F"),
    _a("preferences", "Edit", "&Preferences…", "preferences", "Ctrl+,"),
    _a("guidelines-edit", "Project", "&Guidelines…", "edit_guidelines"),
    _a("labels", "Project", "&Labels…", "edit_labels"),
    _a("team", "Project", "&Team…", "team.show_team"),
    _a("claim", "Annotate", "Make &claim (selection or sentence)", "controller.make_claim", "C"),
    _a("link", "Annotate", "&Link claimant…", "controller.link_claimant", "L"),
    _a("pick", "Annotate", "Pick the claimant in the te&xt", "controller.pick_claimant", "Shift+L"),
    _a("cancel-pick", "Annotate", "Cancel picking", "controller.cancel_pick", "Escape"),
    _a("cue", "Annotate", "Set c&ue from selection", "controller.set_cue", "U"),
    _a("claim-type", "Annotate", "Next claim &type", "controller.cycle_claim_type", "T"),
    _a("hedged", "Annotate", "Toggle &hedged", "controller.toggle_hedged", "H"),
    _a("figures", "Annotate", "Edit claim &figures", "inspector.focus_figures", "Ctrl+Shift+F"),
    _a("accept", "Annotate", "&Accept suggestion", "controller.accept", "Return", "Enter"),
    _a(
        "accept-all",
        "Annotate",
        "Accept &all suggestions",
        "controller.accept_all",
        "Shift+Return",
        "Shift+Enter",
    ),
    _a(
        "label-all",
        "Annotate",
        "Label all &occurrences…",
        "controller.label_all_occurrences",
        "Ctrl+L",
    ),
    _a("reject", "Annotate", "&Reject or delete", "controller.reject_or_delete", "X", "Delete"),
    _a("next-item", "Annotate", "&Next item", "controller.focus_next", "Tab"),
    # One sequence only: on X11 a Shift+Tab press also matches "Backtab", and an action bound
    # to both is an "ambiguous shortcut overload" that Qt fires neither of.
    _a("previous-item", "Annotate", "&Previous item", "controller.focus_previous", "Shift+Tab"),
    _a(
        "same-claim",
        "Annotate",
        "Same claim &elsewhere",
        "claim_matches.focus_list",
        "Ctrl+Shift+E",
    ),
    _a("train", "Annotate", "Train the suggestion &model", "transfer.train_model"),
    _a("done", "Document", "&Done, next unfinished", "done_and_next", "Ctrl+Return", "Ctrl+Enter"),
    _a("skip", "Document", "&Skip…", "skip", "S"),
    # Like a browser's back and forward (and as in tabbed editors); no window manager takes
    # them. Ctrl+arrows stay with the caret: they move it by word, as in any editor.
    _a(
        "previous-document",
        "Document",
        "&Previous document",
        "previous_document",
        "Alt+Left",
        "Ctrl+PgUp",
    ),
    _a("next-document", "Document", "N&ext document", "next_document", "Alt+Right", "Ctrl+PgDown"),
    _a("zoom-in", "View", "Zoom &in", "article.zoom_in", "Ctrl+=", "Ctrl++"),
    _a("zoom-out", "View", "Zoom &out", "article.zoom_out", "Ctrl+-"),
    _a("zoom-reset", "View", "&Reset zoom", "article.reset_zoom", "Ctrl+0"),
    _a("overview", "View", "&Overview", "show_overview", "Ctrl+Shift+O"),
    _a("guidelines", "View", "&Guidelines", "guidelines.toggle", "F2"),
    _a("show-work", "View", "Show &work of…", "team.choose_shown_work", "Ctrl+Shift+W"),
    ActionSpec(
        "hide-copies",
        "View",
        "&Hide near-duplicate copies",
        "documents.toggle_copies",
        ("Ctrl+Shift+H",),
        separator_before=True,
        checkable=True,
    ),
    _a("agreement", "Review", "A&greement…", "open_agreement"),
    _a("adjudicate", "Review", "A&djudicate document…", "open_adjudication", "Ctrl+Shift+J"),
    _a("manual", "Help", "&Manual…", "show_manual"),
    _a("shortcuts", "Help", "&Keyboard shortcuts", "show_shortcuts", "F1"),
    _a("about", "Help", "&About Annotator", "about"),
)

#: Keys of the article view itself, for F1 (annotator.ui.article_view handles them).
VIEW_KEYS: tuple[KeyOnly, ...] = (
    KeyOnly("Text", "Move the caret by word", "Ctrl+Left, Ctrl+Right"),
    KeyOnly("Text", "Select (snaps to words)", "Shift+arrows, Shift+Home, Shift+End"),
    KeyOnly("Text", "Select by word", "Ctrl+Shift+Left, Ctrl+Shift+Right"),
    KeyOnly("Text", "Copy the selected text", "Ctrl+C"),
    KeyOnly("Text", "Focused span: end one word right / left", "Alt+], Alt+["),
    KeyOnly("Text", "Focused span: start one word left / right", "Ctrl+[, Ctrl+]"),
)


def _sequences(keys: Iterable[str]) -> list[QKeySequence]:
    result = []
    for key in keys:
        standard = getattr(QKeySequence.StandardKey, key, None)
        result.append(QKeySequence(standard) if standard is not None else QKeySequence(key))
    return result


def resolve(owner: object, path: str) -> Callable[[], Any]:
    """The callable at a dotted attribute path, looked up now."""
    target: Any = owner
    for part in path.split("."):
        target = getattr(target, part)
    return target  # type: ignore[no-any-return]


class ActionTable:
    """The window's QActions, built from :data:`ACTIONS` (and the label keys of the schema)."""

    def __init__(self, window: QWidget, menu_bar: QMenuBar, specs: Sequence[ActionSpec]) -> None:
        self._window = window
        self.menus: dict[str, QMenu] = {name: menu_bar.addMenu(f"&{name}") for name in MENUS}
        #: (menu, action) in menu order, label keys included: what F1 lists.
        self.rows: list[tuple[str, QAction]] = []
        self.by_name: dict[str, QAction] = {}
        self._label_actions: list[QAction] = []
        for spec in specs:
            if spec.separator_before:
                self.menus[spec.menu].addSeparator()
            action = self._add(spec.menu, spec.text, spec.keys, self._dispatch(spec.handler))
            action.setCheckable(spec.checkable)
            self.by_name[spec.name] = action

    def _dispatch(self, handler: str) -> Callable[[], None]:
        return lambda: resolve(self._window, handler)()

    def _add(self, menu: str, text: str, keys: Sequence[str], slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self._window)
        sequences = _sequences(keys)
        if sequences:
            action.setShortcuts(sequences)
        # The article view has focus most of the time: shortcuts belong to the whole window.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self._window.addAction(action)
        self.menus[menu].addAction(action)
        self.rows.append((menu, action))
        return action

    def insert_menu_after(self, name: str, menu: QMenu) -> None:
        """Put a submenu (File > Open recent) right after the named action."""
        action = self.by_name[name]
        owner = next(m for m in self.menus.values() if action in m.actions())
        actions = owner.actions()
        following = actions[actions.index(action) + 1] if action is not actions[-1] else None
        if following is None:
            owner.addMenu(menu)
        else:
            owner.insertMenu(following, menu)

    def set_label_keys(
        self, labels: Iterable[tuple[str, str]], apply: Callable[[str], Any]
    ) -> None:
        """One action per ``(label name, hotkey)`` of the schema, replacing the previous ones."""
        for action in self._label_actions:
            self._window.removeAction(action)
            self.menus["Annotate"].removeAction(action)
        self.rows = [(m, a) for m, a in self.rows if a not in self._label_actions]
        if not self._label_actions:
            self.menus["Annotate"].addSeparator()
        self._label_actions = [
            self._add("Annotate", f"Label {name}", (key,), lambda n=name: apply(n))
            for name, key in labels
        ]

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """``(menu, action, keys)`` for F1: every action with keys, then the view's own."""
        rows = [
            (
                menu,
                action.text().replace("&", ""),
                ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                ),
            )
            for menu, action in self.rows
            if action.shortcuts()
        ]
        return rows + [(k.menu, k.text, k.keys) for k in VIEW_KEYS]
