"""NIST SP 1500-103 Cast Vote Records (Common Data Format) in XML, as Unisyn and others export them.

The XML is parsed with defusedxml (a DTD, an entity or an external reference is refused:
a ballot file has no use for them and they are how XML bombs and file disclosure work),
then rebuilt as the dict shape the JSON rendering has, and ``cdf`` reads it from there.
The rebuilding: namespaces are dropped, the ``ObjectId`` attribute becomes ``@id`` (and
``xsi:type`` ``@type``), elements the schema lets repeat become lists, other elements with
children or attributes become dicts, and leaves become their text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree

import defusedxml
import defusedxml.ElementTree as SafeTree

from frombelow.tally.ballots import Ballots
from frombelow.tally.formats import cdf
from frombelow.tally.formats.source import Source, excerpt

NAME = "cdf-xml"
SUFFIXES = (".xml",)

# Elements the CDF schema lets occur more than once under their parent.
REPEATED = frozenset(
    {
        "CVR",
        "CVRSnapshot",
        "CVRContest",
        "CVRContestSelection",
        "SelectionPosition",
        "CVRWriteIn",
        "Election",
        "Candidate",
        "Contest",
        "ContestSelection",
        "CandidateIds",
        "PartyIds",
        "GpUnit",
        "Party",
        "ReportingDevice",
        "ReportGeneratingDeviceIds",
        "BallotImage",
        "Code",
        "Annotation",
    }
)
_ATTRIBUTES = {"ObjectId": "@id", "type": "@type"}


def sniff(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n").startswith("<") and "CastVoteRecordReport" in head


def parse(source: Source) -> ElementTree.Element:
    """The document's root element; a broken, hostile or non-XML file is a BallotFileError."""
    try:
        return SafeTree.fromstring(source.data, forbid_dtd=True)
    except ElementTree.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise source.error(line, f"not well-formed XML: {reason} (column {column + 1})") from None
    except defusedxml.DTDForbidden:
        raise source.error(None, "the XML declares a DTD; ballot files may not (it is how XML bombs work)") from None
    except defusedxml.EntitiesForbidden:
        raise source.error(None, "the XML declares entities; ballot files may not (it is how XML bombs work)") from None
    except defusedxml.DefusedXmlException as error:
        raise source.error(None, f"the XML is refused: {error}") from None
    except LookupError as error:  # the declaration names an encoding Python does not know
        raise source.error(1, f"the XML declares an encoding nobody knows: {excerpt(str(error), 80)}") from None


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def as_dict(element: ElementTree.Element) -> Any:
    """The element rebuilt as the JSON rendering of CDF shapes it."""
    children = list(element)
    if not children and not element.attrib:
        return (element.text or "").strip()
    out: dict[str, Any] = {}
    for name, value in element.attrib.items():
        key = local(name)
        out[_ATTRIBUTES.get(key, "@" + key)] = value
    for child in children:
        key = local(child.tag)
        value = as_dict(child)
        if key in REPEATED:
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    return out


def read(
    source: Source,
    *,
    contest: str | None = None,
    candidates: Mapping[str, str] | None = None,
    undeclared_write_in_label: str | None = None,
    overvote_label: str | None = None,
    max_rankings: int | None = None,
    **_ignored: object,
) -> Ballots:
    """The ballots of one contest; the keywords read it as an RCTab config describes it (see ``cdf``)."""
    root = parse(source)
    if local(root.tag) != "CastVoteRecordReport":
        raise source.error(None, f"the root element is {local(root.tag)!r}, not a CastVoteRecordReport")
    try:
        report = as_dict(root)
    except RecursionError:
        raise source.error(None, "XML nested too deeply to be a cast vote record report") from None
    return cdf.ballots(
        source,
        report,
        contest,
        candidates=candidates,
        undeclared_write_in_label=undeclared_write_in_label,
        overvote_label=overvote_label,
        max_rankings=max_rankings,
    )
