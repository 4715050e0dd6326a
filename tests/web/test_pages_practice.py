"""The practice page: content, facts, tags, licence, similar practices; only public ones."""
from __future__ import annotations

from tests.web.html_page import accessibility_problems, parse

SCHOOL = {
    "name": "Lycée Jean Moulin",
    "city": "Lyon",
    "country": "FR",
    "sector": "public",
    "locality": "urban",
}


def facts(doc) -> dict[str, str]:
    """Return the "About this practice" list as {term: description text}."""
    dl = doc.one("dl", class_="facts")
    terms = dl.find_all("dt")
    return {t.text: d.text for t, d in zip(terms, dl.find_all("dd"), strict=True)}


def test_practice_page_shows_the_content_and_its_facts(client, add_practice):
    practice_id = add_practice(
        title="Un potager au lycée",
        summary="Les élèves cultivent des légumes.",
        body="Nous avons construit des **bacs**.\n\n## Résultats\n\n- moins de déchets",
        language="fr",
        country="FR",
        institution=SCHOOL,
        themes=["esd", "gced"],
        pillars=[2],
        levels=["secondary"],
        emerging_issues=["climate"],
        sdg_targets=["4.7", "12.5"],
        year=2021,
        source_url="https://lycee.example.org/potager",
        license="cc-by-sa-4.0",
    )

    doc = parse(client.get(f"/practices/{practice_id}").data)

    assert doc.one("h1").text == "Un potager au lycée"
    body = doc.one("div", class_="practice-body")
    assert body.one("strong").text == "bacs" and body.one("h2").text == "Résultats"
    about = facts(doc)
    assert about["School"].startswith("Lycée Jean Moulin, Lyon, France")
    assert "Public · Urban" in about["School"]
    assert about["Language"] == "French"
    assert about["Started"] == "2021"
    assert about["Thematic areas"] == (
        "Peace through Global Citizenship Education Education for Sustainable Development"
    )
    assert about["Action pillars"] == "Pillar 2: Capacity building through pilot projects"
    assert about["Emerging issues"] == "Climate"
    assert about["SDG targets"] == (
        "Target 4.7 (Quality education) Target 12.5 (Responsible consumption and production)"
    )
    assert doc.one("a", rel="license").text == "CC-BY-SA-4.0"
    assert doc.one("a", href="https://lycee.example.org/potager")["rel"] == "nofollow ugc noopener"
    assert accessibility_problems(doc) == []


def test_tags_link_to_the_search_filtered_by_them(client, add_practice):
    practice_id = add_practice(themes=["intercultural"], sdg_targets=["4.7"], country="KE")

    doc = parse(client.get(f"/practices/{practice_id}").data)

    hrefs = {a.text: a["href"] for a in doc.one("dl", class_="facts").find_all("a")}
    assert hrefs["Intercultural learning and cultural diversity & heritage"] == (
        "/search?theme=intercultural"
    )
    assert hrefs["Target 4.7 (Quality education)"] == "/search?sdg_target=4.7"
    assert hrefs["Kenya"] == "/search?country=KE"


def test_a_practice_without_licence_says_to_ask_before_reuse(client, add_practice):
    doc = parse(client.get(f"/practices/{add_practice()}").data)

    assert facts(doc)["Licence"] == "Not stated: ask the school before reusing the text."


def test_a_practice_under_review_is_not_found(client, add_practice):
    practice_id = add_practice(status="submitted", title="Not public yet")

    response = client.get(f"/practices/{practice_id}")

    assert response.status_code == 404
    doc = parse(response.data)
    assert doc.one("h1").text == "Page not found"
    assert "Not public yet" not in doc.one("main").text


def test_an_unknown_practice_is_not_found(client):
    assert client.get("/practices/999").status_code == 404


def test_text_of_the_school_is_escaped_and_scripts_are_removed(client, add_practice):
    practice_id = add_practice(
        title="<b>Bold</b> title", body="Text <script>alert(1)</script> [x](javascript:alert(1))"
    )

    doc = parse(client.get(f"/practices/{practice_id}").data)

    assert doc.one("h1").text == "<b>Bold</b> title"
    assert doc.find("script") is None
    assert all(not a.get("href", "").startswith("javascript") for a in doc.find_all("a"))


def test_an_arabic_practice_reads_right_to_left_inside_the_english_page(client, add_practice):
    practice_id = add_practice(
        title="حديقة المدرسة", summary="يزرع التلاميذ الخضروات.", body="نص **الممارسة**.",
        language="ar", country="EG",
    )

    doc = parse(client.get(f"/practices/{practice_id}").data)

    assert (doc.one("html")["lang"], doc.one("html")["dir"]) == ("en", "ltr")
    texts = (doc.one("h1"), doc.one("p", class_="lead"), doc.one("div", class_="practice-body"))
    for element in texts:
        assert (element["lang"], element["dir"]) == ("ar", "rtl")
    assert facts(doc)["Language"] == "Arabic"


def test_similar_practices_are_listed_and_can_be_limited_to_other_languages(client, add_practice):
    garden = "School garden: pupils grow vegetables, compost and sell salad."
    practice_id = add_practice(title="Our garden", body=garden, language="en", country="GB")
    add_practice(title="Another garden", body=garden, language="en", country="IE")
    add_practice(title="Un jardin", body=garden, language="fr", country="FR")
    add_practice(status="submitted", title="Garden under review", body=garden, language="de")

    everything = parse(client.get(f"/practices/{practice_id}").data)
    abroad = parse(client.get(f"/practices/{practice_id}?other_languages=1").data)

    def similar_titles(doc):
        return {h.text for h in doc.one("section", id="similar").find_all("h3")}

    assert similar_titles(everything) == {"Another garden", "Un jardin"}
    assert similar_titles(abroad) == {"Un jardin"}
    box = abroad.one("input", id="other-languages")
    assert box.get("checked") is not None
    label = abroad.one("label", for_="other-languages").text
    assert label == "practices in other languages (not English)"


def test_similar_practices_can_be_limited_to_other_countries(client, add_practice):
    body = "Peer mediators resolve playground conflicts at lunchtime."
    practice_id = add_practice(title="Mediators", body=body, language="en", country="GB")
    add_practice(title="British mediators", body=body, language="en", country="GB")
    add_practice(title="Kenyan mediators", body=body, language="en", country="KE")

    doc = parse(client.get(f"/practices/{practice_id}?other_countries=1").data)

    form = doc.one("form", class_="similar-options")
    assert form.get("method") == "get" and form["action"].endswith("#similar")
    titles = {h.text for h in doc.one("section", id="similar").find_all("h3")}
    assert titles == {"Kenyan mediators"}
