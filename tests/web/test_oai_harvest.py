"""OAI-PMH 2.0 at /oai, harvested by a real client library (oaipmh-scythe, from PyPI) from the
app served on a loopback port, and the protocol's errors read from the raw responses."""
from __future__ import annotations

import threading
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import IdDoesNotExist, NoRecordsMatch
from werkzeug.serving import make_server

from practices.roles import Membership
from tests.factories import make_practice, practice_data
from tests.monitoring_data import clock, school  # noqa: F401 (fixture)
from tests.web.helpers import committed

# Window functions, date parts and JSON text differ between engines: run on both.
pytestmark = pytest.mark.postgres

OAI = "{http://www.openarchives.org/OAI/2.0/}"
PORTS = range(51700, 51800)  # this engineer's loopback ports


@pytest.fixture
def app_config(app_config):
    """Pages of three, so a harvest of the six public practices needs resumption tokens."""
    return {**app_config, "OAI_PAGE_SIZE": 3, "OAI_REPOSITORY_IDENTIFIER": "px.test"}


@pytest.fixture
def collection(app, clock):  # noqa: F811
    """Six public practices (FR: three esd in 2024, one intercultural in 2025; KE: two gced in
    2025), a draft and a practice of a suspended school: {title: id}."""

    def make(session):
        made = {}
        fr, ke = school(session, "Lycée Hugo", "FR"), school(session, "Nairobi School", "KE")
        specs = [("Jardin 1", fr, "esd", 2024), ("Jardin 2", fr, "esd", 2024),
                 ("Jardin 3", fr, "esd", 2024), ("Patrimoine", fr, "intercultural", 2025),
                 ("Amani 1", ke, "gced", 2025), ("Amani 2", ke, "gced", 2025)]
        for title, institution, theme, year in specs:
            clock(datetime(year, 3, 1, tzinfo=UTC))
            made[title] = make_practice(session, institution=institution,
                                        data=practice_data(title=title, themes=[theme])).id
        made["Brouillon"] = make_practice(session, status="draft", institution=fr,
                                          data=practice_data(title="Brouillon")).id
        gone = school(session, "École fermée", "FR")
        made["Suspendue"] = make_practice(session, institution=gone,
                                          data=practice_data(title="Suspendue")).id
        gone.membership = Membership.SUSPENDED
        return made

    return committed(app, make)


@pytest.fixture
def served(app, collection):
    """The app on the first free port of PORTS; return its /oai base URL."""
    for port in PORTS:
        try:
            server = make_server("127.0.0.1", port, app, threaded=True)
            break
        except (OSError, SystemExit):  # werkzeug exits when the port is taken
            continue
    else:
        pytest.fail("no free port in 51700-51799")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/oai"
    server.shutdown()
    thread.join()


@pytest.fixture
def scythe(served):
    with Scythe(served) as client:
        yield client


def test_identify_describes_the_repository(scythe, served):
    identify = scythe.identify()
    assert identify.repositoryName == "ASPnet Practice Exchange"
    assert identify.protocolVersion == "2.0"
    assert identify.baseURL == served
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.earliestDatestamp == "2024-03-01T00:00:00Z"


def test_list_records_harvests_every_public_practice_across_resumption_tokens(scythe,
                                                                             collection):
    records = list(scythe.list_records(metadata_prefix="oai_dc"))
    titles = sorted(r.metadata["title"][0] for r in records)
    assert titles == ["Amani 1", "Amani 2", "Jardin 1", "Jardin 2", "Jardin 3", "Patrimoine"]
    first = next(r for r in records if r.metadata["title"] == ["Jardin 1"])
    assert first.header.identifier == f"oai:px.test:practice/{collection['Jardin 1']}"
    assert first.header.setSpecs == ["theme:esd", "country:FR"]
    assert first.metadata["identifier"][0].endswith(f"/practices/{collection['Jardin 1']}")
    assert first.metadata["creator"] == ["Lycée Hugo"]
    assert first.metadata["language"] == ["en"]


def test_sets_select_by_thematic_area_and_country(scythe):
    esd = [r.metadata["title"][0] for r in scythe.list_records(set_="theme:esd")]
    assert sorted(esd) == ["Jardin 1", "Jardin 2", "Jardin 3"]
    kenya = [h.identifier for h in scythe.list_identifiers(set_="country:KE")]
    assert len(kenya) == 2
    specs = {s.setSpec for s in scythe.list_sets()}
    assert {"theme:esd", "theme:gced", "theme:intercultural", "country:FR",
            "country:KE"} <= specs


def test_from_and_until_select_by_date_of_last_change(scythe):
    recent = [h.identifier for h in scythe.list_identifiers(from_="2025-01-01")]
    assert len(recent) == 3
    older = [h.identifier for h in scythe.list_identifiers(until="2024-12-31")]
    assert len(older) == 3
    with pytest.raises(NoRecordsMatch):
        list(scythe.list_identifiers(from_="2026-01-01", until="2026-06-30"))


def test_get_record_and_metadata_formats(scythe, collection):
    record = scythe.get_record(f"oai:px.test:practice/{collection['Amani 2']}")
    assert record.metadata["title"] == ["Amani 2"]
    assert record.metadata["coverage"] == ["KE"]
    formats = [f.metadataPrefix for f in scythe.list_metadata_formats()]
    assert formats == ["oai_dc"]
    for hidden in ("Brouillon", "Suspendue"):
        with pytest.raises(IdDoesNotExist):
            scythe.get_record(f"oai:px.test:practice/{collection[hidden]}")


def error_code(client, query: str) -> str:
    response = client.get(f"/oai?{query}")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    return ET.fromstring(response.data).find(f"{OAI}error").get("code")


@pytest.mark.parametrize("query, code", [
    ("", "badVerb"),
    ("verb=Harvest", "badVerb"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&colour=red", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2025-01-01&until=2025-02-01T00:00:00Z",
     "badArgument"),
    ("verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&resumptionToken=not-a-token", "badResumptionToken"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=theme:cooking", "noRecordsMatch"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere:practice/1",
     "idDoesNotExist"),
    ("verb=Identify&verb=Identify", "badVerb"),
])  # fmt: skip
def test_protocol_errors_are_reported_as_the_specification_names_them(client, collection,
                                                                      query, code):
    assert error_code(client, query) == code


def test_harvesters_may_post_their_requests(csrf_client, collection):
    response = csrf_client.post("/oai", data={"verb": "ListIdentifiers",
                                              "metadataPrefix": "oai_dc", "set": "country:KE"})
    headers = ET.fromstring(response.data).find(f"{OAI}ListIdentifiers").findall(f"{OAI}header")
    assert len(headers) == 2
