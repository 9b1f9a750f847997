"""The 21 Swedish counties (län) and the national total: the fixed reference data.

Pure Python, so the importer (no ORM) and the seeding migration share it.
"""

from typing import NamedTuple


class RegionRow(NamedTuple):
    code: str
    name: str
    official_name: str
    slug: str
    nuts_code: str


COUNTRY_CODE = "00"

REGIONS: tuple[RegionRow, ...] = (
    RegionRow("00", "Sverige", "Riket", "sverige", "SE"),
    RegionRow("01", "Stockholm", "Stockholms län", "stockholm", "SE110"),
    RegionRow("03", "Uppsala", "Uppsala län", "uppsala", "SE121"),
    RegionRow("04", "Södermanland", "Södermanlands län", "sodermanland", "SE122"),
    RegionRow("05", "Östergötland", "Östergötlands län", "ostergotland", "SE123"),
    RegionRow("06", "Jönköping", "Jönköpings län", "jonkoping", "SE211"),
    RegionRow("07", "Kronoberg", "Kronobergs län", "kronoberg", "SE212"),
    RegionRow("08", "Kalmar", "Kalmar län", "kalmar", "SE213"),
    RegionRow("09", "Gotland", "Gotlands län", "gotland", "SE214"),
    RegionRow("10", "Blekinge", "Blekinge län", "blekinge", "SE221"),
    RegionRow("12", "Skåne", "Skåne län", "skane", "SE224"),
    RegionRow("13", "Halland", "Hallands län", "halland", "SE231"),
    RegionRow("14", "Västra Götaland", "Västra Götalands län", "vastra-gotaland", "SE232"),
    RegionRow("17", "Värmland", "Värmlands län", "varmland", "SE311"),
    RegionRow("18", "Örebro", "Örebro län", "orebro", "SE124"),
    RegionRow("19", "Västmanland", "Västmanlands län", "vastmanland", "SE125"),
    RegionRow("20", "Dalarna", "Dalarnas län", "dalarna", "SE312"),
    RegionRow("21", "Gävleborg", "Gävleborgs län", "gavleborg", "SE313"),
    RegionRow("22", "Västernorrland", "Västernorrlands län", "vasternorrland", "SE321"),
    RegionRow("23", "Jämtland", "Jämtlands län", "jamtland", "SE322"),
    RegionRow("24", "Västerbotten", "Västerbottens län", "vasterbotten", "SE331"),
    RegionRow("25", "Norrbotten", "Norrbottens län", "norrbotten", "SE332"),
)

COUNTY_CODES: tuple[str, ...] = tuple(r.code for r in REGIONS if r.code != COUNTRY_CODE)
