"""The namespaces CCKG publishes and reuses, declared once."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

BASE = "https://w3id.org/cckg/"
CCKG = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
INFERRED_GRAPH = GRAPH["inferred"]

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: Prefixes bound in every graph CCKG writes and offered to every query it runs.
PREFIXES: dict[str, str] = {
    "cckg": str(CCKG),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "vann": str(VANN),
    "void": str(VOID),
    "dcat": str(DCAT),
}

