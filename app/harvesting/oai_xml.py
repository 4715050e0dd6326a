"""The XML of OAI-PMH 2.0 responses (http://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm)
and of Dublin Core records (oai_dc), built with the standard library's ElementTree."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

ET.register_namespace("", OAI)
ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)
ET.register_namespace("xsi", XSI)


def datestamp(moment: datetime) -> str:
    """Return a UTC datestamp at the repository's granularity (YYYY-MM-DDThh:mm:ssZ)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(base_url: str, args: dict[str, str] | None, now: datetime) -> ET.Element:
    """Return <OAI-PMH> with responseDate and request (its attributes: the request's
    arguments, left out when they were bad, as the protocol says)."""
    root = ET.Element(f"{{{OAI}}}OAI-PMH", {f"{{{XSI}}}schemaLocation": f"{OAI} {OAI_SCHEMA}"})
    ET.SubElement(root, f"{{{OAI}}}responseDate").text = datestamp(now)
    request = ET.SubElement(root, f"{{{OAI}}}request", args or {})
    request.text = base_url
    return root


def child(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Append an element of the OAI namespace to `parent`."""
    element = ET.SubElement(parent, f"{{{OAI}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def header(parent: ET.Element, identifier: str, stamp: datetime, sets: list[str]) -> None:
    """Append a record's <header>."""
    element = child(parent, "header")
    child(element, "identifier", identifier)
    child(element, "datestamp", datestamp(stamp))
    for spec in sets:
        child(element, "setSpec", spec)


def dublin_core(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    """Append <metadata><oai_dc:dc> with one dc element per (name, value), in order."""
    metadata = child(parent, "metadata")
    dc = ET.SubElement(metadata, f"{{{OAI_DC}}}dc",
                       {f"{{{XSI}}}schemaLocation": f"{OAI_DC} {OAI_DC_SCHEMA}"})
    for name, value in fields:
        ET.SubElement(dc, f"{{{DC}}}{name}").text = xml_text(value)


# Characters XML 1.0 does not allow in a document (section 2.2, Char).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Return `value` without the control characters XML 1.0 forbids."""
    return _NOT_XML.sub("", value)


def serialize(root: ET.Element) -> bytes:
    """Return the document as UTF-8 bytes with an XML declaration."""
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
