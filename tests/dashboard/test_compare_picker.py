"""/compare/'s picker without JavaScript: the quick picks are plain links (Sweden, the first county with
Sweden, its neighbours, similar counties, all counties), and the growth view always has Sweden's bar."""

import html as html_lib
import re

from tests.dashboard.test_views_compare import figure


def quick_picks(page: str) -> dict[str, str]:
    nav = re.search(r'<nav class="quick-picks".*?</nav>', page, re.S).group(0)
    return {html_lib.unescape(label): html_lib.unescape(href)
            for href, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_the_quick_picks_are_links_around_the_first_county(client, demo):
    page = client.get("/compare/", {"regions": "25,01", "from": "2016", "to": "2021"}).content.decode()
    picks = quick_picks(page)
    assert list(picks) == ["Lägg till Sverige", "Norrbotten och Sverige", "Grannlän till Norrbotten",
                           "Liknande län som Norrbotten", "Alla län"]
    assert "regions=25,00&" in picks["Norrbotten och Sverige"] and "from=2016&to=2021" in picks["Norrbotten och Sverige"]
    assert "regions=25,24,00&" in picks["Grannlän till Norrbotten"]
    similar = re.search(r"regions=([\d,]+)&", picks["Liknande län som Norrbotten"]).group(1).split(",")
    assert similar[0] == "25" and similar[-1] == "00" and len(similar) == 5 and "01" not in similar
    followed = client.get(picks["Grannlän till Norrbotten"]).content.decode()
    assert [t["name"] for t in figure(followed)["data"]] == ["Norrbotten", "Västerbotten", "Sverige"]


def test_a_pick_already_shown_is_not_offered(client, demo):
    picks = quick_picks(client.get("/compare/", {"regions": "25,00"}).content.decode())
    assert "Norrbotten och Sverige" not in picks and "Lägg till Sverige" not in picks


def test_sweden_is_the_reference_bar_of_the_growth_view_even_when_not_chosen(client, demo):
    page = client.get("/compare/", {"regions": "25,24", "view": "growth", "from": "2016", "to": "2021"}).content.decode()
    bars = figure(page)["data"][0]
    assert set(bars["y"]) == {"Norrbotten", "Västerbotten", "Sverige"}
    assert bars["marker"]["color"][bars["y"].index("Sverige")] == "#595959"
