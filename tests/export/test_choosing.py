"""Whose annotations go out: the rule in annotator.export.choosing."""

from __future__ import annotations

from annotator.core.model import DocumentState, Status
from annotator.export.choosing import CONFLICT, NOT_DONE, Choice, choose


def _states(**statuses: Status) -> list[DocumentState]:
    return [DocumentState(1, name, status) for name, status in statuses.items()]


DONE, WIP = Status.DONE, Status.IN_PROGRESS


def _choose(states, workers=(), *, annotator=None, include_all=False, lossless=False):  # type: ignore[no-untyped-def]
    return choose(states, workers, annotator=annotator, include_all=include_all, lossless=lossless)


def test_a_named_annotator_needs_their_own_done_unless_all() -> None:
    states = _states(ana=DONE, ben=WIP)
    assert _choose(states, annotator="ana") == Choice(True, "ana")
    assert _choose(states, annotator="ben").reason == NOT_DONE
    assert _choose(states, annotator="ben", include_all=True) == Choice(True, "ben")


def test_the_one_annotator_who_is_done() -> None:
    assert _choose(_states(ana=WIP, ben=DONE)) == Choice(True, "ben")


def test_several_done_is_a_conflict() -> None:
    choice = _choose(_states(ana=DONE, ben=DONE))
    assert (choice.include, choice.reason) == (False, CONFLICT)
    assert "ana, ben" in choice.message and "--annotator" in choice.message


def test_nobody_done() -> None:
    assert _choose(_states(ana=WIP)).reason == NOT_DONE
    assert _choose(_states(ana=WIP), {"ana"}, include_all=True) == Choice(True, "ana")
    assert _choose([], (), include_all=True) == Choice(True, None)
    assert _choose([], {"ana", "ben"}, include_all=True).reason == CONFLICT


def test_lossless_keeps_everyone() -> None:
    assert _choose(_states(ana=DONE, ben=DONE), lossless=True) == Choice(True, everyone=True)
    assert _choose(_states(ana=WIP), lossless=True).reason == NOT_DONE
    assert _choose([], lossless=True, include_all=True).include
