"""NUTS regions: the hierarchy (DEG03 -> DEG0 -> DEG -> DE) and where towns belong.

Region ids are NUTS codes (a country's code is its NUTS-0 code; CORDIS already writes
``UK`` and ``EL`` as NUTS does). A code's parents are its prefixes, so the chain is
derived, not looked up. Sources often lack the NUTS code of an organisation but say which
German state it is in (the slices' ``x_region``: ``TH``, ``SX`` …, see :func:`state_of`) and
give its town: :func:`organisation_region` then looks the town up (NUTS 2021 districts of
Thuringia and of Saxony's larger towns); one known to be in a state without a known town gets
the state's code (``DEG``, ``DED``).
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

# German states (ISO 3166-2:DE codes, plus the ``SX`` some sources write for Saxony) -> NUTS-1.
_STATES: dict[str, str] = {
    "BW": "DE1",
    "BY": "DE2",
    "BE": "DE3",
    "BB": "DE4",
    "HB": "DE5",
    "HH": "DE6",
    "HE": "DE7",
    "MV": "DE8",
    "NI": "DE9",
    "NW": "DEA",
    "RP": "DEB",
    "SL": "DEC",
    "SN": "DED",
    "SX": "DED",
    "ST": "DEE",
    "SH": "DEF",
    "TH": "DEG",
}

# Town (folded) -> NUTS-3 district, NUTS 2021.
_TOWNS: dict[str, str] = {
    "dresden": "DED21",
    "chemnitz": "DED41",
    "leipzig": "DED51",
    "freiberg": "DED43",
    "mittweida": "DED43",
    "zwickau": "DED45",
    "plauen": "DED44",
    "gorlitz": "DED2D",
    "bautzen": "DED2C",
    "meissen": "DED2E",
    "pirna": "DED2F",
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
    "DED": "Sachsen",
    "DED2": "Dresden",
    "DED21": "Dresden",
    "DED4": "Chemnitz",
    "DED41": "Chemnitz",
    "DED5": "Leipzig",
    "DED51": "Leipzig",
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


def state_of(code: str | None) -> str:
    """The NUTS-1 code of a German state as a source names it (``TH`` -> ``DEG``); ``""`` when none or unknown.

    >>> state_of("TH"), state_of("sx"), state_of(""), state_of("XX")
    ('DEG', 'DED', '', '')
    """
    return _STATES.get((code or "").strip().upper(), "")


def organisation_region(
    *, country: str | None, nuts: str | None, city: str | None, postcode: str | None, state: str | None = None
) -> str | None:
    """The most specific NUTS code known for an organisation (None: only its country, if any).

    ``state`` is the NUTS-1 code of the German state a source asserts (the slices' ``x_region``,
    through :func:`state_of`); ``""`` asserts none. When None (the source says nothing), a German
    organisation counts as Thuringian if its NUTS code or postcode says so.

    >>> organisation_region(country="DE", nuts=None, city="Dresden", postcode=None, state="DED")
    'DED21'
    >>> organisation_region(country="DE", nuts=None, city="Jena", postcode="07745")
    'DEG03'
    >>> organisation_region(country="DE", nuts=None, city="Dresden", postcode=None, state="DEG")
    'DEG'
    """
    if nuts and len(nuts) >= 3:
        return nuts
    if country != "DE":
        return nuts
    if state is None:
        inferred = bool(nuts and nuts.startswith(THURINGIA)) or is_thuringian_postcode(postcode)
        state = THURINGIA if inferred else ""
    if not state:
        return nuts
    district = town_district(city)
    return district if district and district.startswith(state) else state


def chain(code: str) -> list[str]:
    """A NUTS code and its parents, most specific first: DEG03 -> [DEG03, DEG0, DEG, DE]."""
    return [code[:n] for n in range(len(code), 1, -1)]
