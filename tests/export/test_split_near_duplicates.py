"""A split never separates a syndicated copy from its original: near-duplicates found at
import go out in one split, whatever the seed and ratios, and the manifest lists them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.export.splitting import SplitSpec, assign, make_spec
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.storage.database import Database
from tests.syndication import corpus, write_jsonl

RATIOS = st.sampled_from(
    [
        {"train": 0.8, "dev": 0.1, "test": 0.1},
        {"train": 0.5, "test": 0.5},
        {"train": 0.34, "dev": 0.33, "test": 0.33},
        {"train": 0.9, "test": 0.1},
        {"a": 0.2, "b": 0.2, "c": 0.2, "d": 0.2, "e": 0.2},
    ]
)


@pytest.fixture(scope="module")
def syndicated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, dict[str, str]]:
    folder = tmp_path_factory.mktemp("syndicated")
    records, original_of = corpus(seed=21, originals=30, copies=24)
    db = Database.open(folder / "project.sqlite")
    summary = import_paths(db, [write_jsonl(folder / "all.jsonl", records)])
    assert summary.near_duplicates == 24
    return db, original_of


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31), ratios=RATIOS, by_source=st.booleans())
def test_a_seeded_split_never_separates_a_copy_from_its_original(
    syndicated: tuple[Database, dict[str, str]], seed: int, ratios: dict, by_source: bool
) -> None:
    db, original_of = syndicated
    spec = make_spec(ratios, seed=seed, group_by="source" if by_source else None)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        export(db, out, fmt="annotator", split=spec)
        manifest = orjson.loads((out / "manifest.json").read_bytes())
    split_of = {key: name for name, s in manifest["splits"].items() for key in s["ids"]}
    assert len(split_of) == 54
    for copy, original in original_of.items():
        assert split_of[copy] == split_of[original], (copy, original)
    listed = manifest["near_duplicate_groups"]
    for copy, original in original_of.items():
        (group,) = [g for g in listed if original in g["ids"]]
        assert copy in group["ids"]
        assert group["split"] == split_of[original]
    assert sum(len(g["ids"]) for g in listed) == len(set(original_of.values())) + 24


def _spec(ratios: dict[str, float], seed: int, by_source: bool) -> SplitSpec:
    return make_spec(ratios, seed=seed, group_by="source" if by_source else None)


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", None]), st.one_of(st.none(), st.integers(0, 9))),
        min_size=1,
        max_size=80,
    ),
    seed=st.integers(0, 2**31),
    ratios=RATIOS,
    by_source=st.booleans(),
)
def test_assign_deals_near_duplicates_and_sources_whole(
    data: list[tuple[str | None, int | None]], seed: int, ratios: dict, by_source: bool
) -> None:
    keys = [f"d{i}" for i in range(len(data))]
    sources = [source for source, _ in data]
    together = [None if group is None else f"g{group}" for _, group in data]
    where = assign(keys, sources if by_source else None, _spec(ratios, seed, by_source), together)
    assert all(0 <= w < len(ratios) for w in where)
    split_of_group: dict[str, int] = {}
    split_of_source: dict[str | None, int] = {}
    for i, group in enumerate(together):
        if group is not None:
            assert split_of_group.setdefault(group, where[i]) == where[i]
        if by_source:
            assert split_of_source.setdefault(sources[i], where[i]) == where[i]


def test_without_near_duplicates_the_split_is_as_before() -> None:
    keys = [f"d{i}" for i in range(50)]
    spec = _spec({"train": 0.8, "test": 0.2}, 3, False)
    assert assign(keys, None, spec, [None] * 50) == assign(keys, None, spec)
    assert sorted(assign(keys, None, spec)).count(1) == 10
