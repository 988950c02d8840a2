"""Denmark's 98 municipalities (kommuner) with their official codes and regions."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DomainError

HOVEDSTADEN = "Region Hovedstaden"
SJAELLAND = "Region Sjælland"
SYDDANMARK = "Region Syddanmark"
MIDTJYLLAND = "Region Midtjylland"
NORDJYLLAND = "Region Nordjylland"

REGIONS: tuple[str, ...] = (HOVEDSTADEN, SJAELLAND, SYDDANMARK, MIDTJYLLAND, NORDJYLLAND)


@dataclass(frozen=True)
class Municipality:
    code: str  # the official 3-digit kommunekode, e.g. "101"
    name: str
    region: str


# Ordered by code, as Danmarks Statistik lists them, which makes the table easy to check.
_BY_REGION: dict[str, tuple[tuple[str, str], ...]] = {
    HOVEDSTADEN: (
        ("101", "København"), ("147", "Frederiksberg"), ("151", "Ballerup"),
        ("153", "Brøndby"), ("155", "Dragør"), ("157", "Gentofte"), ("159", "Gladsaxe"),
        ("161", "Glostrup"), ("163", "Herlev"), ("165", "Albertslund"), ("167", "Hvidovre"),
        ("169", "Høje-Taastrup"), ("173", "Lyngby-Taarbæk"), ("175", "Rødovre"),
        ("183", "Ishøj"), ("185", "Tårnby"), ("187", "Vallensbæk"), ("190", "Furesø"),
        ("201", "Allerød"), ("210", "Fredensborg"), ("217", "Helsingør"), ("219", "Hillerød"),
        ("223", "Hørsholm"), ("230", "Rudersdal"), ("240", "Egedal"),
        ("250", "Frederikssund"), ("260", "Halsnæs"), ("270", "Gribskov"),
        ("400", "Bornholm"),
    ),
    SJAELLAND: (
        ("253", "Greve"), ("259", "Køge"), ("265", "Roskilde"), ("269", "Solrød"),
        ("306", "Odsherred"), ("316", "Holbæk"), ("320", "Faxe"), ("326", "Kalundborg"),
        ("329", "Ringsted"), ("330", "Slagelse"), ("336", "Stevns"), ("340", "Sorø"),
        ("350", "Lejre"), ("360", "Lolland"), ("370", "Næstved"), ("376", "Guldborgsund"),
        ("390", "Vordingborg"),
    ),
    SYDDANMARK: (
        ("410", "Middelfart"), ("420", "Assens"), ("430", "Faaborg-Midtfyn"),
        ("440", "Kerteminde"), ("450", "Nyborg"), ("461", "Odense"), ("479", "Svendborg"),
        ("480", "Nordfyns"), ("482", "Langeland"), ("492", "Ærø"), ("510", "Haderslev"),
        ("530", "Billund"), ("540", "Sønderborg"), ("550", "Tønder"), ("561", "Esbjerg"),
        ("563", "Fanø"), ("573", "Varde"), ("575", "Vejen"), ("580", "Aabenraa"),
        ("607", "Fredericia"), ("621", "Kolding"), ("630", "Vejle"),
    ),
    MIDTJYLLAND: (
        ("615", "Horsens"), ("657", "Herning"), ("661", "Holstebro"), ("665", "Lemvig"),
        ("671", "Struer"), ("706", "Syddjurs"), ("707", "Norddjurs"), ("710", "Favrskov"),
        ("727", "Odder"), ("730", "Randers"), ("740", "Silkeborg"), ("741", "Samsø"),
        ("746", "Skanderborg"), ("751", "Aarhus"), ("756", "Ikast-Brande"),
        ("760", "Ringkøbing-Skjern"), ("766", "Hedensted"), ("779", "Skive"),
        ("791", "Viborg"),
    ),
    NORDJYLLAND: (
        ("773", "Morsø"), ("787", "Thisted"), ("810", "Brønderslev"),
        ("813", "Frederikshavn"), ("820", "Vesthimmerlands"), ("825", "Læsø"),
        ("840", "Rebild"), ("846", "Mariagerfjord"), ("849", "Jammerbugt"),
        ("851", "Aalborg"), ("860", "Hjørring"),
    ),
}

# Danish order puts æ, ø, å after z, and "aa" counts as "å" (Retskrivningsordbogen),
# so Aabenraa, Aalborg and Aarhus come last, as in a Danish phone book.
_DANISH_LETTER_RANK = {"æ": 1, "ø": 2, "å": 3}


def danish_sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """A sort key giving Danish alphabetical order for names."""
    folded = text.casefold().replace("aa", "å")
    return tuple((_DANISH_LETTER_RANK.get(char, 0), ord(char)) for char in folded)


MUNICIPALITIES: tuple[Municipality, ...] = tuple(
    sorted(
        (
            Municipality(code=code, name=name, region=region)
            for region, rows in _BY_REGION.items()
            for code, name in rows
        ),
        key=lambda municipality: danish_sort_key(municipality.name),
    )
)

_BY_CODE = {municipality.code: municipality for municipality in MUNICIPALITIES}

MUNICIPALITY_CHOICES: list[tuple[str, str]] = [(m.code, m.name) for m in MUNICIPALITIES]


def municipality_by_code(code: str | None) -> Municipality | None:
    """Look up a municipality; the 4-digit form with a leading zero ("0101") also works."""
    code = (code or "").strip()
    if len(code) == 4 and code.startswith("0"):
        code = code[1:]
    return _BY_CODE.get(code)


def region_for(code: str | None) -> str:
    """The region a municipality lies in, or DomainError for an unknown code."""
    municipality = municipality_by_code(code)
    if municipality is None:
        raise DomainError("Vælg en kommune fra listen")
    return municipality.region
