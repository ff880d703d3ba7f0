"""A small spaCy pipeline with an entity recogniser, trained here on generated sentences and
saved with ``nlp.to_disk`` (nothing can be downloaded): what a user's installed pipeline is to
the app. Its labels are CoNLL's (PER, ORG, LOC, MISC), so mapping them to a project's schema
is not the identity."""

from __future__ import annotations

import random
from pathlib import Path

PERSONS = ("Petra Novak", "Ivan Horak", "Lena Marsh", "Tomas Berg", "Anna Kell")
ORGS = ("Sela Dockers", "Northwind Bank", "Harbour Council", "Delta Rail")
PLACES = ("Port Sela", "Brenna", "Kastel", "Marlow")
EVENTS = ("Harbour Festival", "Spring Regatta")
TEMPLATES = (
    "{PER} of the {ORG} spoke in {LOC} on Monday .",
    "In {LOC} , {PER} said the {ORG} would wait .",
    "The {ORG} hired {PER} last year .",
    "{PER} travelled from {LOC} to the {MISC} .",
    "Officials in {LOC} met {PER} after the {MISC} .",
)


def sentences(count: int, seed: int = 0) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """``count`` generated sentences with their entities (character offsets)."""
    rng = random.Random(seed)
    pools = {"PER": PERSONS, "ORG": ORGS, "LOC": PLACES, "MISC": EVENTS}
    result = []
    for _ in range(count):
        template = rng.choice(TEMPLATES)
        text = ""
        entities = []
        rest = template
        while "{" in rest:
            before, _, after = rest.partition("{")
            label, _, rest = after.partition("}")
            text += before
            name = rng.choice(pools[label])
            entities.append((len(text), len(text) + len(name), label))
            text += name
        text += rest
        result.append((text, entities))
    return result


def build_pipeline(path: Path, *, epochs: int = 12, name: str = "harbour_ner") -> Path:
    """Train a tiny ``ner`` on generated sentences and save it to ``path``."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in ("PER", "ORG", "LOC", "MISC"):
        ner.add_label(label)  # type: ignore[attr-defined]
    examples = []
    for text, entities in sentences(80):
        doc = nlp.make_doc(text)
        examples.append(Example.from_dict(doc, {"entities": entities}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    nlp.meta["name"] = name
    nlp.meta["version"] = "0.1.0"
    nlp.to_disk(path)
    return path
