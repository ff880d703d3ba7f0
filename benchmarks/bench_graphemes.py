"""Grapheme cluster boundaries on 50,000 characters of each script news arrives in.

For each script the run builds a 50,000-character text from generated words (seeded, so every
run measures the same text): Hindi and Bengali syllables with conjuncts (consonant, virama,
consonant), vowel signs and nasal marks; Arabic words with harakat and numbers behind
prepended marks (U+0600 ARABIC NUMBER SIGN, U+06DD END OF AYAH); Thai with preposed vowels,
tone marks and SARA AM and no spaces between words; English mixed with emoji (skin tones, flags,
ZWJ families and the newest sequences); accented Latin with some decomposed marks; and plain
ASCII. Then, in the same run:

* ``boundaries``: :func:`annotator.core.graphemes.grapheme_boundaries` over the whole text;
* ``interior``: :func:`annotator.core.graphemes.grapheme_interior_offsets` (what the tokenizer
  asks);
* ``snap x1000``: :func:`annotator.core.graphemes.snap_to_grapheme` both ways at 1,000 offsets
  spread over the text (what a selection asks);
* floor: ``re.findall("(?s).", text)``, one C-level match per code point, the least any
  per-character scan pays.

It also counts the offsets where the module disagrees with the ``regex`` package's ``\\X``
(the full, current UAX #29), when ``regex`` is installed.

With ``--compare FILE`` the same figures are printed for another implementation of the
module's interface (e.g. an older ``graphemes.py`` taken from git) in the same run.

    python benchmarks/bench_graphemes.py [--repeat 7] [--compare old_graphemes.py]
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import annotator.core.graphemes

SIZE = 50_000


def _indic(rng: random.Random, consonants: range, virama: str, signs: str, nasal: str) -> str:
    syllables = []
    for _ in range(rng.randint(1, 4)):
        syllable = chr(rng.choice(consonants))
        if rng.random() < 0.25:  # a conjunct: consonant + virama + consonant
            syllable += virama + chr(rng.choice(consonants))
        if rng.random() < 0.6:
            syllable += rng.choice(signs)
        if rng.random() < 0.1:
            syllable += nasal
        syllables.append(syllable)
    return "".join(syllables)


def hindi_word(rng: random.Random) -> str:
    signs = "\u093e\u093f\u0940\u0941\u0942\u0947\u0948\u094b\u094c"
    return _indic(rng, range(0x0915, 0x093A), "\u094d", signs, "\u0902")


def bengali_word(rng: random.Random) -> str:
    signs = "\u09be\u09bf\u09c0\u09c1\u09c2\u09c7\u09c8\u09cb\u09cc"
    consonants = [cp for cp in range(0x0995, 0x09BA) if cp not in (0x09A9, 0x09B1, 0x09B3)]
    return _indic(rng, consonants, "\u09cd", signs, "\u0982")  # type: ignore[arg-type]


def arabic_word(rng: random.Random) -> str:
    if rng.random() < 0.05:  # a number behind a prepended mark
        digits = "".join(chr(rng.randint(0x0660, 0x0669)) for _ in range(rng.randint(1, 4)))
        return rng.choice("\u0600\u06dd") + digits
    letters = []
    for _ in range(rng.randint(2, 7)):
        letter = chr(rng.randint(0x0627, 0x064A))
        if rng.random() < 0.3:
            letter += chr(rng.randint(0x064B, 0x0652))
        letters.append(letter)
    return "".join(letters)


def thai_word(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 6)):
        part = chr(rng.randint(0x0E01, 0x0E2E))
        roll = rng.random()
        if roll < 0.2:
            part = chr(rng.randint(0x0E40, 0x0E44)) + part  # preposed vowel: its own cluster
        elif roll < 0.4:
            part += chr(rng.choice((0x0E31, 0x0E34, 0x0E35, 0x0E36, 0x0E37, 0x0E38, 0x0E39)))
        elif roll < 0.5:
            part += "\u0e33"  # SARA AM
        if rng.random() < 0.3:
            part += chr(rng.randint(0x0E48, 0x0E4B))  # tone mark
        parts.append(part)
    return "".join(parts)


EMOJI = (
    "\U0001f600",
    "\U0001f44d\U0001f3fd",
    "\U0001f1fa\U0001f1e6",
    "\U0001f1ec\U0001f1e7",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u2764\ufe0f",
    "\U0001f426\u200d\U0001f525",  # phoenix (Emoji 15.1)
    "\U0001f6b6\u200d\u27a1\ufe0f",  # person walking facing right (Emoji 15.1)
    "\U0001fae9",  # face with bags under eyes (Emoji 16.0)
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland
)
LATIN = "the council said on monday that flood barriers river port ministry report".split()


def emoji_word(rng: random.Random) -> str:
    return rng.choice(EMOJI) if rng.random() < 0.3 else rng.choice(LATIN)


def accented_word(rng: random.Random) -> str:
    # Composed (NFC) letters, typographic quotes, dashes and currency; one word in fifty keeps a
    # combining accent that has no composed form.
    word = rng.choice(("café", "señora", "Zürich", "Łódź", "naïve", "São", "fiancée", "Ørsted"))
    roll = rng.random()
    if roll < 0.02:
        return word + "\u0301"
    if roll < 0.1:
        return "\u201c" + word + "\u201d"
    if roll < 0.15:
        return rng.choice(("\u2014", "12\u00a0\u20ac", "l\u2019"))
    return word


def ascii_word(rng: random.Random) -> str:
    return rng.choice(LATIN)


SCRIPTS: dict[str, tuple[Callable[[random.Random], str], str, str]] = {
    # name: (word maker, word separator, sentence end)
    "Hindi": (hindi_word, " ", "\u0964 "),
    "Bengali": (bengali_word, " ", "\u0964 "),
    "Arabic": (arabic_word, " ", ". "),
    "Thai": (thai_word, "", " "),
    "emoji + English": (emoji_word, " ", ".\n"),
    "accented Latin": (accented_word, " ", ".\n"),
    "ASCII": (ascii_word, " ", ".\n"),
}


def build(script: str, size: int = SIZE) -> str:
    make, separator, end = SCRIPTS[script]
    rng = random.Random(script)
    pieces: list[str] = []
    length = 0
    while length < size:
        sentence = separator.join(make(rng) for _ in range(rng.randint(4, 14))) + end
        pieces.append(sentence)
        length += len(sentence)
    text = "".join(pieces)
    # Cut at a boundary of the reference segmentation would need the module under test; cut at
    # a space instead (a boundary for every implementation) and pad with spaces.
    cut = text.rfind(" ", 0, size)
    return text[:cut].ljust(size)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    # CPU time of this process: the work is single-threaded, and on a shared machine wall time
    # mostly measures the neighbours.
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def reference_boundaries(text: str) -> list[int] | None:
    try:
        import regex
    except ImportError:
        return None
    bounds = [0]
    for cluster in regex.findall(r"\X", text):
        bounds.append(bounds[-1] + len(cluster))
    return bounds


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("compared_graphemes", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(name: str, module: ModuleType, repeat: int) -> None:
    print(f"\n{name}")
    print(
        f"{'script':<16} {'clusters':>8} {'floor':>8} {'boundaries':>11} {'ratio':>6} "
        f"{'interior':>9} {'snap x1000':>11} {'differ':>7}"
    )
    for script in SCRIPTS:
        text = build(script)
        offsets = list(range(0, len(text), len(text) // 1000))[:1000]

        def snap_all(text: str = text, offsets: list[int] = offsets) -> None:
            for offset in offsets:
                module.snap_to_grapheme(text, offset, "backward")
                module.snap_to_grapheme(text, offset, "forward")

        floor = best_of(repeat, lambda text=text: re.findall("(?s).", text))
        full = best_of(repeat, lambda text=text: module.grapheme_boundaries(text))
        interior = best_of(repeat, lambda text=text: module.grapheme_interior_offsets(text))
        snap = best_of(repeat, snap_all)
        ours = module.grapheme_boundaries(text)
        reference = reference_boundaries(text)
        differ = "n/a" if reference is None else f"{len(set(ours) ^ set(reference)):,}"
        print(
            f"{script:<16} {len(ours) - 1:>8,} {floor * 1e3:>6.1f}ms {full * 1e3:>9.1f}ms "
            f"{full / floor:>5.1f}x {interior * 1e3:>7.1f}ms {snap * 1e3:>9.1f}ms {differ:>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="best of this many runs")
    parser.add_argument("--compare", type=Path, help="another graphemes.py to measure too")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, best of {args.repeat}, {SIZE:,} characters")
    measure("annotator.core.graphemes", annotator.core.graphemes, args.repeat)
    if args.compare is not None:
        measure(str(args.compare), load(args.compare), args.repeat)


if __name__ == "__main__":
    main()
