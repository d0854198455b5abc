"""The catalogue as DCAT (W3C Data Catalog Vocabulary): one list of statements written out as JSON-LD
and as Turtle, so both say exactly the same; and schema.org Dataset markup for a dataset page.

No blank nodes: distributions are named `<dataset page>#<format>`, versions by their download URL."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from smartcommune.places.models import Commune

from . import registry, versions

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class IRI:
    value: str


@dataclass(frozen=True)
class Literal:
    value: str
    language: str = ""
    datatype: str = ""  # a prefixed name, e.g. "xsd:dateTime"


def absolute(path: str) -> str:
    return iri_to_uri(f"{settings.SITE_URL}{path}")


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def _dt(moment: datetime) -> Literal:
    return Literal(moment.replace(microsecond=0).isoformat(), datatype="xsd:dateTime")


def statements(commune: Commune) -> list[tuple[str, str, object]]:
    """(subject IRI, predicate prefixed name, IRI | Literal) for the commune's whole catalogue."""
    catalogue = absolute(reverse("portal:dcat", args=[commune.code, "jsonld"]))
    home = absolute(reverse("portal:commune", args=[commune.code]))
    triples: list[tuple[str, str, object]] = [
        (catalogue, "rdf:type", IRI(PREFIXES["dcat"] + "Catalog")),
        (catalogue, "dct:title", Literal(f"Dữ liệu mở — {commune.name}", "vi")),
        (catalogue, "dct:description", Literal(f"Danh mục dữ liệu mở của {commune.name}.", "vi")),
        (catalogue, "dct:publisher", IRI(home)),
        (catalogue, "foaf:homepage", IRI(absolute(reverse("portal:opendata", args=[commune.code])))),
        (catalogue, "dct:language", IRI("http://id.loc.gov/vocabulary/iso639-1/vi")),
        (home, "rdf:type", IRI(PREFIXES["foaf"] + "Organization")),
        (home, "foaf:name", Literal(f"UBND {commune.name}", "vi")),
    ]
    for dataset in registry.all_datasets():
        page = absolute(reverse("portal:dataset", args=[commune.code, dataset.slug]))
        now = versions.current(dataset, commune)
        triples += [
            (catalogue, "dcat:dataset", IRI(page)),
            (page, "rdf:type", IRI(PREFIXES["dcat"] + "Dataset")),
            (page, "dct:identifier", Literal(f"{commune.code}/{dataset.slug}")),
            *[(page, "dct:title", Literal(_in(lang, dataset.title), lang)) for lang in ("vi", "en")],
            *[(page, "dct:description", Literal(_in(lang, dataset.description), lang)) for lang in ("vi", "en")],
            (page, "dct:modified", _dt(now.modified)),
            (page, "dct:license", IRI(dataset.licence_url)),
            (page, "dct:publisher", IRI(home)),
            (page, "dcat:landingPage", IRI(page)),
            (page, "dct:spatial", Literal(f"{commune.name}, {commune.province.full_name}", "vi")),
        ]
        triples += [(page, "dcat:keyword", Literal(k, "vi")) for k in dataset.keywords]
        if now.version:
            triples.append((page, "dcat:version", Literal(str(now.version))))
        for fmt in dataset.formats:
            url = absolute(reverse("portal:dataset_download", args=[commune.code, dataset.slug, fmt]))
            distribution = f"{page}#{fmt}"
            triples += [
                (page, "dcat:distribution", IRI(distribution)),
                (distribution, "rdf:type", IRI(PREFIXES["dcat"] + "Distribution")),
                (distribution, "dct:title", Literal(f"{dataset.slug}.{fmt}")),
                (distribution, "dcat:accessURL", IRI(page)),
                (distribution, "dcat:downloadURL", IRI(url)),
                (distribution, "dcat:mediaType", IRI(IANA + registry.MEDIA_TYPES[fmt])),
                (distribution, "dct:format", Literal(fmt.upper())),
                (distribution, "dct:license", IRI(dataset.licence_url)),
            ]
        for old in versions.history(commune, dataset.slug)[:20]:
            url = absolute(reverse("portal:dataset_version", args=[commune.code, dataset.slug, old.number, "json"]))
            triples += [
                (page, "dcat:hasVersion", IRI(url)),
                (url, "rdf:type", IRI(PREFIXES["dcat"] + "Distribution")),
                (url, "dcat:downloadURL", IRI(url)),
                (url, "dct:issued", _dt(old.created_at)),
                (url, "dcat:mediaType", IRI(IANA + "application/json")),
            ]
    return triples


# JSON-LD ----------------------------------------------------------------------------------------


def _jsonld_object(obj):
    if isinstance(obj, IRI):
        return {"@id": obj.value}
    value: dict = {"@value": obj.value}
    if obj.language:
        value["@language"] = obj.language
    if obj.datatype:
        value["@type"] = obj.datatype
    return value


def to_jsonld(triples) -> dict:
    nodes: dict[str, dict] = {}
    for subject, predicate, obj in triples:
        node = nodes.setdefault(subject, {"@id": subject})
        if predicate == "rdf:type":
            kind = obj.value
            for prefix, base in PREFIXES.items():
                if kind.startswith(base):
                    kind = f"{prefix}:{kind[len(base) :]}"
            node.setdefault("@type", []).append(kind)
            continue
        node.setdefault(predicate, []).append(_jsonld_object(obj))
    return {"@context": {k: v for k, v in PREFIXES.items() if k != "rdf"}, "@graph": list(nodes.values())}


# Turtle -----------------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _turtle_literal(obj: Literal) -> str:
    text = "".join(_ESCAPES.get(ch, ch) for ch in obj.value)
    if obj.language:
        return f'"{text}"@{obj.language}'
    if obj.datatype:
        return f'"{text}"^^{obj.datatype}'
    return f'"{text}"'


def _turtle_iri(value: str) -> str:
    if any(ch in value for ch in '<>"{}|^`\\ '):
        raise ValueError(f"not a valid IRI for Turtle: {value!r}")
    return f"<{value}>"


def to_turtle(triples) -> str:
    lines = [f"@prefix {p}: <{base}> ." for p, base in PREFIXES.items()]
    lines.append("")
    by_subject: dict[str, list[tuple[str, object]]] = {}
    for subject, predicate, obj in triples:
        by_subject.setdefault(subject, []).append((predicate, obj))
    for subject, pairs in by_subject.items():
        parts = []
        for predicate, obj in pairs:
            rendered = _turtle_iri(obj.value) if isinstance(obj, IRI) else _turtle_literal(obj)
            parts.append(f"    {'a' if predicate == 'rdf:type' else predicate} {rendered}")
        lines.append(_turtle_iri(subject) + "\n" + " ;\n".join(parts) + " .\n")
    return "\n".join(lines)


# schema.org -------------------------------------------------------------------------------------


def schema_org(commune: Commune, current: versions.Current) -> str:
    """schema.org Dataset markup for a dataset page, ready for a <script type="application/ld+json">."""
    dataset = current.dataset
    page = absolute(reverse("portal:dataset", args=[commune.code, dataset.slug]))
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": page,
        "url": page,
        "name": str(dataset.title),
        "description": str(dataset.description),
        "identifier": f"{commune.code}/{dataset.slug}",
        "license": dataset.licence_url,
        "isAccessibleForFree": True,
        "dateModified": current.modified.replace(microsecond=0).isoformat(),
        "keywords": list(dataset.keywords),
        "spatialCoverage": {"@type": "Place", "name": f"{commune.name}, {commune.province.full_name}"},
        "creator": {"@type": "GovernmentOrganization", "name": f"UBND {commune.name}"},
        "variableMeasured": [
            {"@type": "PropertyValue", "name": c.name, "description": str(c.description), "unitText": str(c.unit)}
            for c in dataset.columns
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": registry.MEDIA_TYPES[fmt],
                "contentUrl": absolute(reverse("portal:dataset_download", args=[commune.code, dataset.slug, fmt])),
            }
            for fmt in dataset.formats
        ],
    }
    if current.version:
        data["version"] = str(current.version)
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
