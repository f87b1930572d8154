"""Name combinations of the demo tenant: (given name, surname, display style) per locale.

Each combination carries its pre-serialized JSON pieces, so listing a generated user is
string concatenation rather than serialization.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import orjson

from .names import LOCALES

#: displayName styles: as entered at sign-up, B2C keeps whatever users typed.
VARIANTS = ("std", "std2", "lower", "initial")
#: The fixed text of the default-set JSON around a combination's values: ``json_head`` is
#: HEAD[0] + display + HEAD[1] + given + HEAD[2], ``json_mid`` is MID[0] + surname + MID[1].
HEAD = ('{"businessPhones":[],"displayName":', ',"givenName":', ',"jobTitle":null,"mail":')
MID = (
    ',"mobilePhone":null,"officeLocation":null,"preferredLanguage":null,"surname":',
    ',"userPrincipalName":"',
)


@dataclass(frozen=True, slots=True)
class Combo:
    """One (given name, surname) combination of a locale, with pre-serialized JSON."""

    locale: str
    country: str
    given: str
    surname: str
    display: str
    local: str  # ascii e-mail local part before the number: "zoe.smith"
    user_base: str  # ascii userName before the number: "zoesmith"
    domains: tuple[str, ...]
    display_json: str
    given_json: str
    surname_json: str
    json_head: str  # default-set JSON up to the mail value
    json_mid: str  # from after mail up to the userPrincipalName value


def build_combos(rng: random.Random) -> list[Combo]:
    """Every combination of every locale, shuffled by ``rng``."""
    combos: list[Combo] = []
    for locale, (givens, surnames, order, sep, country, domains) in LOCALES.items():
        for g, ga, s, sa, variant in (
            (g, ga, s, sa, v) for g, ga in givens for s, sa in surnames for v in VARIANTS
        ):
            if order == "sg":
                if variant not in ("std", "std2"):
                    continue
                display = f"{s}{sep}{g}"
            elif variant == "lower":  # typed that way at sign-up
                display = f"{g} {s}".lower()
            elif variant == "initial":
                display = f"{g} {s[0]}."
            else:
                display = f"{g}{sep}{s}"
            dj, gj, sj = (orjson.dumps(x).decode() for x in (display, g, s))
            head = f"{HEAD[0]}{dj}{HEAD[1]}{gj}{HEAD[2]}"
            mid = f"{MID[0]}{sj}{MID[1]}"
            combos.append(
                Combo(
                    locale,
                    country,
                    g,
                    s,
                    display,
                    f"{ga}.{sa}",
                    f"{ga}{sa}",
                    domains,
                    dj,
                    gj,
                    sj,
                    head,
                    mid,
                )
            )
    rng.shuffle(combos)
    return combos
