"""Two capitalised words joined by "and" or "&" that are one organisation's name ("Procter and
Gamble", "Marks & Spencer", "Johnson and Johnson"), told apart from two subjects ("Smith and
Jones said", "Army and Navy"). Shared by the rules (the ORG entity) and the claimants.

What the three words alone say is enough only for "&" (people and pairs of bodies are joined
by "and" in running text), the same word on both sides (two people of one name would be "the
Johnsons") and the names :data:`lexicon.AND_NAMES` lists; the claimants add a cue from the
sentence (a singular verb after the pair). When unsure, the words stay apart.
"""

from __future__ import annotations

from annotator.suggest import lexicon as lx

JOINERS = ("and", "&")


def may_join(word: str) -> bool:
    """Whether ``word`` can be one side of such a name: a capitalised word with lowercase
    letters that does not name something of its own (an organisation noun, a nationality, a
    title, a month or a sentence opener)."""
    return (
        word[:1].isupper()
        and word.replace("-", "").isalpha()
        and any(c.islower() for c in word)
        and word not in lx.ORG_HEADS
        and word not in lx.DEMONYMS
        and word not in lx.TITLE_HEADS
        and word not in lx.HONORIFICS_AND_RANKS
        and word not in lx.CAPITALISED_FUNCTION_WORDS
        and word not in lx.MONTHS
        and word not in lx.WEEKDAYS
    )


def one_name(first: str, joiner: str, second: str) -> bool:
    """Whether ``first joiner second`` is one name by its words alone (see the module)."""
    if joiner not in JOINERS or not (may_join(first) and may_join(second)):
        return False
    return joiner == "&" or first == second or (first, second) in lx.AND_NAMES
