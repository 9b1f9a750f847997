"""Message texts in English and Swedish; line, column and file name are added by Problem.format."""

from stats.indicators import INDICATOR_CODES

_CODES = ", ".join(INDICATOR_CODES)

MESSAGES: dict[str, tuple[str, str]] = {
    "unreadable_binary": (
        "not a readable table: the file looks like binary data, not CSV/TSV text or an .xlsx spreadsheet",
        "ingen läsbar tabell: filen ser ut att innehålla binärdata, inte CSV/TSV-text eller ett .xlsx-kalkylark",
    ),
    "unreadable_xls": (
        "old Excel .xls files cannot be read: save the file as .xlsx or CSV",
        "gamla Excel-filer (.xls) kan inte läsas: spara filen som .xlsx eller CSV",
    ),
    "unreadable_zip": (
        "not a readable .xlsx spreadsheet ({detail}): save the file as .xlsx or CSV",
        "inget läsbart .xlsx-kalkylark ({detail}): spara filen som .xlsx eller CSV",
    ),
    "unreadable_no_header": (
        "not a readable table: no header row found. A long table needs the "
        "columns Region (or Län) and År (or Year); a wide table needs a region column followed by "
        "year columns (2020, 2021, …)",
        "ingen läsbar tabell: ingen rubrikrad hittades. En lång tabell "
        "behöver kolumnerna Län (eller Region) och År; en bred tabell behöver en regionkolumn följd "
        "av årskolumner (2020, 2021, …)",
    ),
    "unreadable_parse": (
        "the table could not be read ({detail})",
        "tabellen kunde inte läsas ({detail})",
    ),
    "unreadable_internal": (
        "the file could not be read (internal error: {detail})",
        "filen kunde inte läsas (internt fel: {detail})",
    ),
    "empty_file": ("the file is empty", "filen är tom"),
    "empty_table": (
        "the table has a header but no data rows",
        "tabellen har en rubrikrad men inga datarader",
    ),
    "empty_regions": (
        "no rows for counties (län) or the whole country",
        "inga rader för län eller riket",
    ),
    "unknown_sheet": (
        'no sheet named "{sheet}"; the workbook has: {sheets}',
        'det finns inget blad som heter "{sheet}"; arbetsboken har: {sheets}',
    ),
    "unknown_region": (
        'unknown region "{value}"; closest known: {suggestions}',
        'okänd region "{value}"; närmast kända: {suggestions}',
    ),
    "region_missing": ("the region is missing", "regionen saknas"),
    "region_conflict": (
        '"{value}": code {code} is {code_name}, but the name says {name}',
        '"{value}": koden {code} är {code_name}, men namnet anger {name}',
    ),
    "skipped_rows": (
        'skipped {n} rows for municipalities or former counties (e.g. "{example}"); '
        "only counties (län) and the whole country are imported",
        'hoppade över {n} rader för kommuner eller före detta län (t.ex. "{example}"); '
        "bara län och riket importeras",
    ),
    "bad_year": ('"{value}" is not a year', '"{value}" är inget årtal'),
    "year_range": (
        '"{value}" is not a year from {low} to {high}',
        '"{value}" är inget årtal mellan {low} och {high}',
    ),
    "year_missing": ("the year is missing", "årtal saknas"),
    "not_a_number": ('"{value}" is not a number', '"{value}" är inget tal'),
    "negative_value": (
        "negative value {value}: values cannot be negative",
        "negativt värde {value}: värden kan inte vara negativa",
    ),
    "unknown_firm_size": (
        'unknown firm size "{value}"; use {choices}',
        'okänd företagsstorlek "{value}"; använd {choices}',
    ),
    "duplicate_row": (
        "lines {first} and {second}: the same region, year and indicator twice ({what})",
        "rad {first} och {second}: samma region, år och indikator två gånger ({what})",
    ),
    "duplicate_column": (
        'columns "{first}" and "{second}" both hold {what}',
        'kolumnerna "{first}" och "{second}" innehåller båda {what}',
    ),
    "wide_without_indicator": (
        "this wide table (one column per year) does not say which indicator it holds: add a title "
        'line above the table that names it (e.g. "Folkmängd efter region och år"), or choose the '
        'indicator on upload (form field "Indicator", or --indicator CODE on the command line). '
        f"Codes: {_CODES}",
        "den breda tabellen (en kolumn per år) anger inte vilken indikator den innehåller: lägg till "
        'en rubrikrad ovanför tabellen som namnger den (t.ex. "Folkmängd efter region och år"), eller '
        'välj indikator vid uppladdningen (formulärfältet "Indikator", eller --indicator KOD på '
        f"kommandoraden). Koder: {_CODES}",
    ),
    "no_indicator_columns": (
        "no indicator column found: the header needs at least one of {names}",
        "ingen indikatorkolumn hittades: rubrikraden behöver minst en av {names}",
    ),
    "unknown_columns": (
        "ignored columns that are not known indicators: {columns}",
        "kolumner som inte är kända indikatorer ignorerades: {columns}",
    ),
    "unknown_indicator": (
        f'unknown indicator "{{value}}"; use one of {_CODES}',
        f'okänd indikator "{{value}}"; använd någon av {_CODES}',
    ),
    "bad_firm_size_argument": (
        'unknown firm size "{value}"; use all, sme or large',
        'okänd företagsstorlek "{value}"; använd all, sme eller large',
    ),
    "indicator_conflict": (
        "the title names {title} but {given} was chosen on upload; the file is read as {given}",
        "rubriken anger {title} men {given} valdes vid uppladdningen; filen läses som {given}",
    ),
    "firm_size_conflict": (
        "the title names firm size {title} but {given} was chosen on upload; the file is read as {given}",
        "rubriken anger företagsstorlek {title} men {given} valdes vid uppladdningen; filen läses som {given}",
    ),
    "too_many_fields": (
        "the line has {n} fields but the header has {width}",
        "raden har {n} fält men rubrikraden har {width}",
    ),
    "per_capita_mismatch": (
        "{region} {year}{breakdown}: the given goods export per inhabitant {given} differs by {pct} % "
        "from {msek} mnkr / {population} inhabitants = {derived} (lines {lines})",
        "{region} {year}{breakdown}: angiven varuexport per invånare {given} avviker med {pct} % "
        "från {msek} mnkr / {population} invånare = {derived} (rad {lines})",
    ),
    "jump": (
        "{region}{breakdown}, {indicator}: {old} in {previous} → {new} in {year}, "
        "a rise of {pct} % (more than 300 %)",
        "{region}{breakdown}, {indicator}: {old} år {previous} → {new} år {year}, "
        "en ökning med {pct} % (mer än 300 %)",
    ),
    "mojibake": (
        'garbled characters in "{value}": the file was probably converted between encodings twice; '
        "save it again as UTF-8",
        'förvanskade tecken i "{value}": filen har troligen konverterats mellan teckenkodningar två '
        "gånger; spara den igen som UTF-8",
    ),
    "encoding_repaired": (
        '{n} lines were double-encoded (e.g. "Ã¤" for "ä") and have been repaired',
        '{n} rader var dubbelkodade (t.ex. "Ã¤" för "ä") och har rättats',
    ),
    "header_unreadable": (
        'the header row "{header}" cannot be read: {cells} is neither a year nor a known indicator. A wide '
        "table needs a region column followed by year columns (2020, 2021, …) or indicator-and-year columns "
        '("Folkmängd 2020"); a long table needs the columns Län (or Region) and År (or Year) and indicator columns',
        'rubrikraden "{header}" kan inte läsas: {cells} är varken ett årtal eller en känd indikator. En bred '
        "tabell behöver en regionkolumn följd av årskolumner (2020, 2021, …) eller kolumner med indikator och år "
        '("Folkmängd 2020"); en lång tabell behöver kolumnerna Län (eller Region) och År samt indikatorkolumner',
    ),
    "header_without_years": (
        'the header row "{header}" cannot be read: it has no year. A wide table needs year columns '
        "(2020, 2021, …); a long table needs a column År (or Year)",
        'rubrikraden "{header}" kan inte läsas: den har inget årtal. En bred tabell behöver årskolumner '
        "(2020, 2021, …); en lång tabell behöver en kolumn År",
    ),
    "header_without_region": (
        'the header row "{header}" has no region column: name it Län or Region',
        'rubrikraden "{header}" har ingen regionkolumn: kalla den Län eller Region',
    ),
    "periods_not_yearly": (
        'the periods are {kind} ("{example}"), not years: only yearly figures are kept; choose years '
        "in the statistics database",
        'perioderna är {kind} ("{example}"), inte år: bara årsvärden lagras; välj år i statistikdatabasen',
    ),
    "year_marker": (
        'years with footnote markers ({examples}) are read as the years; see the footnotes of the table',
        'årtal med fotnotstecken ({examples}) läses som årtalen; se tabellens fotnoter',
    ),
    "dimension_without_total": (
        '{name}: {values} — no total; choose "totalt" in the statistics database '
        "(one category is never stored as the whole)",
        '{name}: {values} — ingen totalsumma; välj "totalt" i statistikdatabasen '
        "(en kategori lagras aldrig som helheten)",
    ),
    "dimension_total_kept": (
        '{name}: kept the total "{total}" and skipped {n} rows of other categories ({values})',
        '{name}: behöll totalen "{total}" och hoppade över {n} rader med andra kategorier ({values})',
    ),
    "dimension_summed": (
        "{name}: {values} summed into one total, as the statistics database does when the variable "
        "is left out (it may be eliminated)",
        "{name}: {values} summerades till en total, som statistikdatabasen gör när variabeln "
        "utelämnas (den får elimineras)",
    ),
    "municipalities_only": (
        'the file holds municipalities only (or former counties; e.g. "{example}"), no rows for counties (län) '
        "or the whole country: export the table by county (län) from the statistics database",
        'filen innehåller bara kommuner (eller före detta län; t.ex. "{example}"), inga rader för län eller riket: '
        "hämta tabellen per län från statistikdatabasen",
    ),
    "px_unreadable": (
        "not a readable PX file: {detail}",
        "ingen läsbar PX-fil: {detail}",
    ),
    "px_no_region": (
        "the PX file has no region variable (among {names}): a table by county (län) is needed",
        "PX-filen har ingen regionvariabel (bland {names}): en tabell per län behövs",
    ),
    "px_no_time": (
        "the PX file has no time variable (among {names}): a table by year is needed",
        "PX-filen har ingen tidsvariabel (bland {names}): en tabell per år behövs",
    ),
    "not_jsonstat": (
        "not JSON-stat 2.0 ({detail}): upload the statistics database's JSON-stat answer, CSV, PX or .xlsx",
        "inte JSON-stat 2.0 ({detail}): ladda upp statistikdatabasens JSON-stat-svar, CSV, PX eller .xlsx",
    ),
    "unknown_contents": (
        'ignored table contents that are not known indicators: {names}',
        'tabellinnehåll som inte är kända indikatorer ignorerades: {names}',
    ),
    "too_large_unpacked": (
        "the spreadsheet unpacks to {size} MB; at most {limit} MB is read: save a smaller table or a CSV",
        "kalkylarket packas upp till {size} MB; högst {limit} MB läses: spara en mindre tabell eller en CSV",
    ),
    "too_many_columns": (
        "the line has more than {limit} columns: no statistics table is that wide",
        "raden har mer än {limit} kolumner: ingen statistiktabell är så bred",
    ),
    "too_many_rows": (
        "the table has more than {limit} rows: split the file",
        "tabellen har mer än {limit} rader: dela upp filen",
    ),
    "too_many_cells": (
        "the table has more than {limit} cells: split the file",
        "tabellen har mer än {limit} celler: dela upp filen",
    ),
    "formula_without_value": (
        'the formula "{formula}" has no saved value: open the file in a spreadsheet program, let it '
        "calculate and save it again (or paste the values)",
        'formeln "{formula}" har inget sparat värde: öppna filen i ett kalkylprogram, låt det räkna '
        "och spara igen (eller klistra in värdena)",
    ),
    "text_too_long": (
        '"{value}" is {n} characters long; at most {limit} are stored',
        '"{value}" är {n} tecken lång; högst {limit} lagras',
    ),
    "also_on": (
        "{message} (also lines {lines})",
        "{message} (även rad {lines})",
    ),
    "also_on_more": (
        "{message} (also lines {lines} … and {n} more)",
        "{message} (även rad {lines} … och {n} till)",
    ),
    "more_kinds": ("… and {n} more lines of other problems", "… och {n} rader till med andra problem"),
    "more": ("… and {n} more of the same kind ({code})", "… och {n} till av samma slag ({code})"),
}


PERIOD_KINDS = {"monthly": ("monthly", "månader"), "quarterly": ("quarterly", "kvartal"),
                "quarterly or monthly": ("quarterly or monthly", "kvartal eller månader")}


def period_name(kind: str, lang: str) -> str:
    english, swedish = PERIOD_KINDS.get(kind, (kind, kind))
    return swedish if lang == "sv" else english


def message(key: str, lang: str, **values: object) -> str:
    english, swedish = MESSAGES[key]
    return (swedish if lang == "sv" else english).format(**values)
