"""NUTS regions: the hierarchy (DEG03 -> DEG0 -> DEG -> DE) and where Thuringian towns belong.

Region ids are NUTS codes (a country's code is its NUTS-0 code; CORDIS already writes
``UK`` and ``EL`` as NUTS does). A code's parents are its prefixes, so the chain is
derived, not looked up. Sources often lack the NUTS code of a Thuringian organisation
but give its town: :func:`organisation_region` then looks the town up (NUTS 2021
districts); an organisation known to be Thuringian without a town gets ``DEG``.
"""

from __future__ import annotations

import re

from innograph.text import fold_words

NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
THURINGIA = "DEG"

_THURINGIAN_POSTCODE_PREFIXES = (
    "07",
    "98",
    "99",
    "046",
    "0655",
    "0656",
    "0657",
    *(f"36{n}" for n in range(40, 47)),
    *(f"37{n}" for n in range(30, 36)),
    "9651",
    "9652",
)

# Town (folded) -> NUTS-3 district, NUTS 2021.
_TOWNS: dict[str, str] = {
    "erfurt": "DEG01",
    "gera": "DEG02",
    "jena": "DEG03",
    "suhl": "DEG04",
    "weimar": "DEG05",
    "heilbad heiligenstadt": "DEG06",
    "leinefelde worbis": "DEG06",
    "nordhausen": "DEG07",
    "muhlhausen": "DEG09",
    "bad langensalza": "DEG09",
    "sondershausen": "DEG0A",
    "meiningen": "DEG0B",
    "schmalkalden": "DEG0B",
    "zella mehlis": "DEG0B",
    "gotha": "DEG0C",
    "schwarzhausen": "DEG0C",
    "sommerda": "DEG0D",
    "hildburghausen": "DEG0E",
    "ilmenau": "DEG0F",
    "arnstadt": "DEG0F",
    "apolda": "DEG0G",
    "sonneberg": "DEG0H",
    "rudolstadt": "DEG0I",
    "saalfeld": "DEG0I",
    "konigsee": "DEG0I",
    "eisenberg": "DEG0J",
    "hermsdorf": "DEG0J",
    "kahla": "DEG0J",
    "stadtroda": "DEG0J",
    "possneck": "DEG0K",
    "schleiz": "DEG0K",
    "triptis": "DEG0K",
    "greiz": "DEG0L",
    "altenburg": "DEG0M",
    "eisenach": "DEG0P",
    "bad salzungen": "DEG0P",
    "nohra": "DEG0G",
}

NAMES: dict[str, str] = {
    "DE": "Deutschland",
    "DEG": "Thüringen",
    "DEG0": "Thüringen",
    "DEG01": "Erfurt",
    "DEG02": "Gera",
    "DEG03": "Jena",
    "DEG04": "Suhl",
    "DEG05": "Weimar",
    "DEG06": "Eichsfeld",
    "DEG07": "Nordhausen",
    "DEG09": "Unstrut-Hainich-Kreis",
    "DEG0A": "Kyffhäuserkreis",
    "DEG0B": "Schmalkalden-Meiningen",
    "DEG0C": "Gotha",
    "DEG0D": "Sömmerda",
    "DEG0E": "Hildburghausen",
    "DEG0F": "Ilm-Kreis",
    "DEG0G": "Weimarer Land",
    "DEG0H": "Sonneberg",
    "DEG0I": "Saalfeld-Rudolstadt",
    "DEG0J": "Saale-Holzland-Kreis",
    "DEG0K": "Saale-Orla-Kreis",
    "DEG0L": "Greiz",
    "DEG0M": "Altenburger Land",
    "DEG0P": "Wartburgkreis",
}


def normalise_postcode(postcode: str | None, country: str | None) -> str | None:
    """German postcodes with their leading zero back (CORDIS 2023 extracts dropped it: 7745 -> 07745)."""
    if not postcode:
        return None
    code = postcode.strip()
    if country == "DE" and code.isdigit() and len(code) == 4:
        return "0" + code
    return code


def is_thuringian_postcode(postcode: str | None) -> bool:
    """Whether a (normalised) German postcode lies in Thuringia's ranges."""
    return bool(postcode) and len(postcode or "") == 5 and (postcode or "").startswith(_THURINGIAN_POSTCODE_PREFIXES)


def town_district(city: str | None) -> str | None:
    """The NUTS-3 district of a Thuringian town (first words of the city field, e.g. 'Jena-Lobeda')."""
    if not city:
        return None
    words = list(fold_words(city))
    for n in (3, 2, 1):
        hit = _TOWNS.get(" ".join(words[:n]))
        if hit:
            return hit
    return None


def organisation_region(
    *, country: str | None, nuts: str | None, city: str | None, postcode: str | None, thuringian: bool | None = None
) -> str | None:
    """The most specific NUTS code known for an organisation (None: only its country, if any).

    ``thuringian`` is what a source asserts (the slices' ``x_region``); when None, a
    German organisation counts as Thuringian if its NUTS code or postcode says so.
    """
    if nuts and len(nuts) >= 3:
        return nuts
    if country != "DE":
        return nuts
    if thuringian is None:
        thuringian = bool(nuts and nuts.startswith(THURINGIA)) or is_thuringian_postcode(postcode)
    if not thuringian:
        return nuts
    return town_district(city) or THURINGIA


def chain(code: str) -> list[str]:
    """A NUTS code and its parents, most specific first: DEG03 -> [DEG03, DEG0, DEG, DE]."""
    return [code[:n] for n in range(len(code), 1, -1)]
