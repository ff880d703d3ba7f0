"""Every export format: its name, what it is, where its files go, its writer and its check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.export import (
    brat,
    claimreview,
    claims_json,
    claims_tsv,
    conll,
    docbin,
    doccano,
    hf,
    labelstudio,
    native,
    prodigy,
    read_back,
)
from annotator.export.writing import ExportContext, Writer

FOLDER = "folder"


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    description: str
    #: The file suffix of an export without splits, or :data:`FOLDER`.
    suffix: str
    needs_tokens: bool
    writer: Callable[[Path, ExportContext], Writer]
    #: Reads one split's output (file or folder) back; returns what is wrong.
    check: Callable[[Path], list[str]]
    #: For folder formats: how a split is stored in the export folder (``".jsonl"``: as
    #: ``<split>.jsonl``; ``""``: as a sub-folder) and where an unsplit export's data goes.
    split_suffix: str = ""
    unsplit: str = ""
    #: Writes the files shared by all splits (labels, configuration) into the export folder.
    finish: Callable[[Path, ExportContext], None] | None = None
    #: Writes every annotator's annotations when none is named (see :mod:`.choosing`).
    lossless: bool = False
    #: Files ``finish`` writes at the top of the export folder.
    shared: tuple[str, ...] = ()
    #: For formats whose split is a folder: the names (glob patterns) of what is in it.
    members: tuple[str, ...] = ()
    #: For formats whose writers read their output back cheaply (``read_back()``, and
    #: ``ExportContext.built``; :mod:`annotator.export.read_back`): what is still checked of a
    #: split whose files read back as written from values found clean.
    check_written: Callable[[Path], list[str]] | None = None

    @property
    def is_folder(self) -> bool:
        return self.suffix == FOLDER

    def target(self, root: Path, split: str | None) -> Path:
        """Where the data of ``split`` (``None``: no splits) goes in an export at ``root``."""
        if self.is_folder:
            if split is None:
                return root / self.unsplit if self.unsplit else root
            return root / f"{split}{self.split_suffix}"
        return root if split is None else root / f"{split}{self.suffix}"


_ALL = (
    ExportFormat(
        native.FORMAT,
        "Annotator native JSONL (lossless; re-importable)",
        ".jsonl",
        False,
        native.NativeWriter,
        native.check,
        lossless=True,
    ),
    ExportFormat(
        prodigy.FORMAT,
        "spaCy/Prodigy JSONL (tokens, spans, relations)",
        ".jsonl",
        True,
        prodigy.ProdigyWriter,
        prodigy.check,
        check_written=read_back.nothing_more,
    ),
    ExportFormat(
        docbin.FORMAT,
        "spaCy DocBin shards (.spacy) for spacy train",
        FOLDER,
        True,
        docbin.DocBinWriter,
        docbin.check,
        members=(f"*{docbin.SUFFIX}",),
        check_written=read_back.nothing_more,
    ),
    ExportFormat(
        conll.FORMAT,
        "CoNLL IOB2 (token, entity tag, claim tag)",
        ".conll",
        True,
        conll.ConllWriter,
        conll.check,
        check_written=read_back.nothing_more,
    ),
    ExportFormat(
        hf.FORMAT,
        "Hugging Face token classification (JSONL + labels.json)",
        FOLDER,
        True,
        hf.HfWriter,
        hf.check,
        split_suffix=hf.SUFFIX,
        unsplit=hf.UNSPLIT + hf.SUFFIX,
        finish=hf.write_labels,
        shared=(hf.LABELS,),
        check_written=hf.check_written,
    ),
    ExportFormat(
        brat.FORMAT,
        "brat standoff (.txt + .ann, annotation.conf)",
        FOLDER,
        False,
        brat.BratWriter,
        brat.check,
        finish=brat.write_conf,
        shared=(brat.CONF,),
        members=brat.MEMBERS,
    ),
    ExportFormat(
        doccano.FORMAT,
        "doccano JSONL (entities and relations)",
        ".jsonl",
        False,
        doccano.DoccanoWriter,
        doccano.check,
    ),
    ExportFormat(
        labelstudio.FORMAT,
        "Label Studio JSON tasks",
        ".json",
        False,
        labelstudio.LabelStudioWriter,
        labelstudio.check,
    ),
    ExportFormat(
        claims_tsv.FORMAT,
        "CheckThat-style sentence TSV (claim 1/0)",
        ".tsv",
        True,
        claims_tsv.ClaimsTsvWriter,
        claims_tsv.check,
    ),
    ExportFormat(
        claims_json.FORMAT,
        "Claims with claimant, cue and sentence (JSONL)",
        ".jsonl",
        True,
        claims_json.ClaimsJsonWriter,
        claims_json.check,
    ),
    ExportFormat(
        claimreview.FORMAT,
        "schema.org ClaimReview skeletons, one per claim reported in several articles",
        ".jsonl",
        False,
        claimreview.ClaimReviewWriter,
        claimreview.check,
    ),
)

FORMATS: dict[str, ExportFormat] = {spec.name: spec for spec in _ALL}


def get(name: str) -> ExportFormat:
    spec = FORMATS.get(name)
    if spec is None:
        raise ValueError(f"unknown export format {name!r}; choose one of {', '.join(FORMATS)}")
    return spec
