"""The default scoring criteria: the five reasons the 2022 jury gave for Norrbotten (FACTS.md).

Stored per award year when the year is created, so a later change here never rewrites a closed round.
"""

from __future__ import annotations

from typing import TypedDict


class CriterionSpec(TypedDict):
    name_sv: str
    name_en: str
    description_sv: str
    description_en: str
    weight: float


DEFAULT_CRITERIA: tuple[CriterionSpec, ...] = (
    {
        "name_sv": "Expansion och förnyelse",
        "name_en": "Expansion and renewal",
        "description_sv": "Investeringar, nyetableringar och smart specialisering som leder till nya export- och "
        "investeringsprojekt.",
        "description_en": "Investments, new establishments and smart specialisation that lead to new export and "
        "investment projects.",
        "weight": 1,
    },
    {
        "name_sv": "Samverkan mellan främjaraktörer",
        "name_en": "Collaboration between promotion actors",
        "description_sv": "Hur väl regionens exportfrämjande aktörer arbetar tillsammans och hur många små och "
        "medelstora företag de når varje år.",
        "description_en": "How well the region's export-promotion actors work together and how many small and "
        "medium-sized firms they reach each year.",
        "weight": 1,
    },
    {
        "name_sv": "Exportutveckling",
        "name_en": "Export performance",
        "description_sv": "Utvecklingen av varuexportvärdet och antalet företag som deltar i regionala "
        "exportsamverkansinsatser.",
        "description_en": "Growth of the goods export value and the number of firms taking part in regional "
        "export-collaboration activities.",
        "weight": 1,
    },
    {
        "name_sv": "Strategiskt internationellt samarbete",
        "name_en": "Strategic international collaboration",
        "description_sv": "Samarbeten finansierade av EU och staten samt långsiktigt gränsöverskridande arbete med "
        "grannländerna.",
        "description_en": "Partnerships funded by the EU and the state, and long-term cross-border work with "
        "neighbouring countries.",
        "weight": 1,
    },
    {
        "name_sv": "Aktivt partnerskap",
        "name_en": "Active partnership",
        "description_sv": "Ett engagerat partnerskap som leder och driver den regionala och gränsöverskridande "
        "exportsamverkan.",
        "description_en": "An engaged partnership that leads and drives the regional and cross-border export "
        "collaboration.",
        "weight": 1,
    },
)
