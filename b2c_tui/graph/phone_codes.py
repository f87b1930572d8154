"""Phone numbers the way Graph's authentication methods want them, and the ITU code table.

Graph wants ``+{country code} {subscriber number}`` with an optional ``x{extension}``, e.g.
``+1 2065555555`` or ``+44 2071234567x12``, and rejects anything else. B2C never adds the space
itself, so numbers imported as ``+447911123456`` cannot be saved back until fixed. They can be
repaired because the calling codes form a *prefix code*: no assigned code is the beginning of
another, so exactly one code (or none) matches the start of the digits.

The table lists every assigned code (geographic ones and the few global services such as
``+800``), as of ITU-T E.164 Annex (complement to Rec. E.164, 2024). Numbers in the North
American Numbering Plan (US, Canada, Caribbean, Pacific territories) share ``+1``; Russia and
Kazakhstan share ``+7``.
"""

from __future__ import annotations

import re

from .errors import ValidationError

# code name; code name; ...   (one zone per line; parsed once at import)
_TABLE = """
1 North America (NANP)
20 Egypt; 211 South Sudan; 212 Morocco; 213 Algeria; 216 Tunisia; 218 Libya
220 Gambia; 221 Senegal; 222 Mauritania; 223 Mali; 224 Guinea; 225 Côte d'Ivoire
226 Burkina Faso; 227 Niger; 228 Togo; 229 Benin; 230 Mauritius; 231 Liberia
232 Sierra Leone; 233 Ghana; 234 Nigeria; 235 Chad; 236 Central African Republic
237 Cameroon; 238 Cabo Verde; 239 São Tomé and Príncipe; 240 Equatorial Guinea
241 Gabon; 242 Congo; 243 DR Congo; 244 Angola; 245 Guinea-Bissau; 246 Diego Garcia
247 Ascension; 248 Seychelles; 249 Sudan; 250 Rwanda; 251 Ethiopia; 252 Somalia
253 Djibouti; 254 Kenya; 255 Tanzania; 256 Uganda; 257 Burundi; 258 Mozambique
260 Zambia; 261 Madagascar; 262 Réunion / Mayotte; 263 Zimbabwe; 264 Namibia
265 Malawi; 266 Lesotho; 267 Botswana; 268 Eswatini; 269 Comoros; 27 South Africa
290 Saint Helena / Tristan da Cunha; 291 Eritrea; 297 Aruba; 298 Faroe Islands
299 Greenland
30 Greece; 31 Netherlands; 32 Belgium; 33 France; 34 Spain; 350 Gibraltar; 351 Portugal
352 Luxembourg; 353 Ireland; 354 Iceland; 355 Albania; 356 Malta; 357 Cyprus
358 Finland / Åland; 359 Bulgaria; 36 Hungary; 370 Lithuania; 371 Latvia; 372 Estonia
373 Moldova; 374 Armenia; 375 Belarus; 376 Andorra; 377 Monaco; 378 San Marino
379 Vatican City; 380 Ukraine; 381 Serbia; 382 Montenegro; 383 Kosovo; 385 Croatia
386 Slovenia; 387 Bosnia and Herzegovina; 389 North Macedonia; 39 Italy / Vatican City
40 Romania; 41 Switzerland; 420 Czechia; 421 Slovakia; 423 Liechtenstein; 43 Austria
44 United Kingdom; 45 Denmark; 46 Sweden; 47 Norway; 48 Poland; 49 Germany
500 Falkland Islands; 501 Belize; 502 Guatemala; 503 El Salvador; 504 Honduras
505 Nicaragua; 506 Costa Rica; 507 Panama; 508 Saint Pierre and Miquelon; 509 Haiti
51 Peru; 52 Mexico; 53 Cuba; 54 Argentina; 55 Brazil; 56 Chile; 57 Colombia
58 Venezuela; 590 Guadeloupe / Saint Barthélemy / Saint Martin; 591 Bolivia; 592 Guyana
593 Ecuador; 594 French Guiana; 595 Paraguay; 596 Martinique; 597 Suriname; 598 Uruguay
599 Curaçao / Caribbean Netherlands
60 Malaysia; 61 Australia; 62 Indonesia; 63 Philippines; 64 New Zealand; 65 Singapore
66 Thailand; 670 Timor-Leste; 672 Norfolk Island / Australian Antarctic Territory
673 Brunei; 674 Nauru; 675 Papua New Guinea; 676 Tonga; 677 Solomon Islands
678 Vanuatu; 679 Fiji; 680 Palau; 681 Wallis and Futuna; 682 Cook Islands; 683 Niue
685 Samoa; 686 Kiribati; 687 New Caledonia; 688 Tuvalu; 689 French Polynesia
690 Tokelau; 691 Micronesia; 692 Marshall Islands
7 Russia / Kazakhstan
800 International Freephone; 808 International Shared Cost Service; 81 Japan
82 South Korea; 84 Vietnam; 850 North Korea; 852 Hong Kong; 853 Macao; 855 Cambodia
856 Laos; 86 China; 870 Inmarsat; 878 Universal Personal Telecommunications
880 Bangladesh; 881 Global Mobile Satellite System; 882 International Networks
883 International Networks; 886 Taiwan; 888 OCHA humanitarian telecommunications
90 Türkiye; 91 India; 92 Pakistan; 93 Afghanistan; 94 Sri Lanka; 95 Myanmar
960 Maldives; 961 Lebanon; 962 Jordan; 963 Syria; 964 Iraq; 965 Kuwait
966 Saudi Arabia; 967 Yemen; 968 Oman; 970 Palestine; 971 United Arab Emirates
972 Israel; 973 Bahrain; 974 Qatar; 975 Bhutan; 976 Mongolia; 977 Nepal
979 International Premium Rate Service; 98 Iran; 992 Tajikistan; 993 Turkmenistan
994 Azerbaijan; 995 Georgia; 996 Kyrgyzstan; 998 Uzbekistan
"""


def _parse(table: str) -> dict[str, str]:
    codes: dict[str, str] = {}
    for line in table.strip().splitlines():
        for entry in line.split(";"):
            code, _, name = entry.strip().partition(" ")
            codes[code] = name
    return codes


COUNTRY_CALLING_CODES: dict[str, str] = _parse(_TABLE)
"""Calling code (digits, no ``+``) -> the country, territory or service it belongs to."""

#: Codes that do not belong to a place (freephone, satellite, international networks).
NON_GEOGRAPHIC_CODES = frozenset({"800", "808", "870", "878", "881", "882", "883", "888", "979"})


def split_calling_code(digits: str) -> tuple[str, str] | None:
    """Split ``"447911123456"`` into ``("44", "7911123456")``; ``None`` if no code matches.

    Only ASCII digits are accepted. Because the codes form a prefix code the answer is unique.
    """
    if not digits.isascii() or not digits.isdigit():
        return None
    for length in (1, 2, 3):
        code = digits[:length]
        if len(digits) > length and code in COUNTRY_CALLING_CODES:
            return code, digits[length:]
    return None


def country_for_code(code: str) -> str | None:
    """The name behind a calling code (``"44"`` -> ``"United Kingdom"``), or ``None``."""
    return COUNTRY_CALLING_CODES.get(code.lstrip("+"))


# -- validation and repair -------------------------------------------------------------------

FIELD = "phoneNumber"
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|;ext=)\s*([0-9]+)\s*$", re.I)
_FORMATTING = re.compile(r"[\s\-./()\u00a0]+")
_GRAPH_FORM = re.compile(r"\+([0-9]{1,3}) ([0-9]+)(?:x([0-9]+))?")
EXAMPLE = "+1 2065555555"


def _parts(number: str) -> tuple[str, str, str, bool]:
    """(calling code, subscriber digits, extension, whether the code stood apart) or raise."""
    text = number.strip()
    ext_match = _EXTENSION.search(text)
    ext = ext_match.group(1) if ext_match else ""
    main = text[: ext_match.start()] if ext_match else text
    if main.startswith("00"):
        raise ValidationError(
            f"Write the international prefix as '+', not '00' (e.g. {EXAMPLE}).",
            field=FIELD, suggestion=_repair("+" + main[2:], ext))
    if not main.startswith("+"):
        raise ValidationError(
            f"Start the number with + and the country code, then a space (e.g. {EXAMPLE}).",
            field=FIELD)
    main = main[1:].replace("(0)", "")
    lead = re.match(r"[0-9]*", main)
    lead_run = lead.group(0) if lead else ""
    digits = _FORMATTING.sub("", main)
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            "A phone number may only hold digits after the country code (spaces, dashes and "
            f"brackets are removed), then an optional x and extension: {EXAMPLE}x123.",
            field=FIELD)
    split = split_calling_code(digits)
    if split is None:
        raise ValidationError(
            f"+{digits} does not start with a country calling code (e.g. +1, +44, +353).",
            field=FIELD)
    code, subscriber = split
    return code, subscriber, ext, lead_run == code


def _check_length(code: str, subscriber: str) -> None:
    if code == "1" and len(subscriber) != 10:
        raise ValidationError(
            "Numbers in +1 (North America) have 10 digits after the country code.", field=FIELD)
    if len(subscriber) < 4 or len(code) + len(subscriber) > 15:
        raise ValidationError(
            "A phone number has 4 to 14 digits after the country code (15 in all).", field=FIELD)


def _repair(number: str, ext: str = "") -> str | None:
    try:
        code, subscriber, found_ext, _apart = _parts(number)
        _check_length(code, subscriber)
    except ValidationError:
        return None
    ext = ext or found_ext
    return f"+{code} {subscriber}" + (f"x{ext}" if ext else "")


def validate_phone(number: str) -> str:
    """Return the number in Graph's form, or raise :class:`ValidationError` (field
    ``phoneNumber``).

    Spaces, dashes, dots, brackets and a ``(0)`` trunk marker are tidied away and ``ext. 12``
    becomes ``x12``. A number whose country code is not set apart (``+12065555555``) is refused
    with the repaired form in ``suggestion``, so a person confirms the split.
    """
    if not isinstance(number, str) or not number.strip():
        raise ValidationError(f"A phone number is required, e.g. {EXAMPLE}.", field=FIELD)
    code, subscriber, ext, apart = _parts(number)
    _check_length(code, subscriber)
    if not apart:
        fixed = f"+{code} {subscriber}" + (f"x{ext}" if ext else "")
        raise ValidationError(
            f"Graph needs a space after the country code: {fixed!r}.", field=FIELD,
            suggestion=fixed)
    return f"+{code} {subscriber}" + (f"x{ext}" if ext else "")


def suggest_phone_fix(number: str) -> str | None:
    """The number rewritten in Graph's form (``+12065555555`` -> ``+1 2065555555``), or ``None``
    when it is already right or cannot be repaired safely (no country code, unknown code)."""
    if not isinstance(number, str) or not number.strip():
        return None
    text = number.strip()
    fixed = _repair("+" + text[2:] if text.startswith("00") else text)
    return fixed if fixed is not None and fixed != number else None


def is_graph_phone(number: str) -> bool:
    """True when Graph would accept the number exactly as written."""
    match = _GRAPH_FORM.fullmatch(number) if isinstance(number, str) else None
    if not match or match.group(1) not in COUNTRY_CALLING_CODES:
        return False
    try:
        _check_length(match.group(1), match.group(2))
    except ValidationError:
        return False
    return True


def phone_needs_fix(number: str | None) -> bool:
    """True when a stored number is not in Graph's form (whether or not a fix can be
    suggested); empty values need nothing."""
    if not number:
        return False
    return not is_graph_phone(number)
