"""The six indicator codes of the statistics files: fixed, used by CLI, API and URLs.

Pure Python, shared by the importer and the seeding migration.
"""

from typing import NamedTuple


class IndicatorRow(NamedTuple):
    code: str
    name_sv: str
    name_en: str
    unit_sv: str
    unit_en: str
    decimals: int
    aliases: tuple[str, ...]


INDICATORS: tuple[IndicatorRow, ...] = (
    IndicatorRow(
        "goods_export_msek", "Varuexport", "Goods exports", "mnkr", "SEK million", 1,
        ("Varuexport, mnkr", "Varuexportvärde (mnkr)", "Varuexport mnkr", "Goods exports, SEK million"),
    ),
    IndicatorRow(
        "goods_export_per_capita_sek", "Varuexport per invånare", "Goods exports per inhabitant",
        "kr", "SEK", 0,
        ("Varuexport per invånare, kr", "Varuexport per invånare", "Export per capita (SEK)"),
    ),
    IndicatorRow(
        "services_export_msek", "Tjänsteexport", "Services exports", "mnkr", "SEK million", 1,
        ("Tjänsteexport, mnkr", "Tjänsteexport (mnkr)", "Services exports, SEK million"),
    ),
    IndicatorRow(
        "exporting_firms", "Antal exporterande företag", "Exporting firms", "företag", "firms", 0,
        ("Antal exporterande företag", "Exporterande företag", "Exporting firms"),
    ),
    IndicatorRow(
        "participating_firms", "Deltagande företag i regional exportsamverkan",
        "Firms in regional export collaboration", "företag", "firms", 0,
        ("Deltagande företag", "Deltagande företag i regional exportsamverkan", "Participating firms"),
    ),
    IndicatorRow(
        "population", "Folkmängd", "Population", "invånare", "inhabitants", 0,
        ("Folkmängd", "Invånare", "Befolkning", "Population"),
    ),
)

INDICATOR_CODES: tuple[str, ...] = tuple(i.code for i in INDICATORS)

FIRM_SIZES: tuple[str, ...] = ("all", "sme", "large")
