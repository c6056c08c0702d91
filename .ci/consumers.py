"""Loads factgraph's exports in the tools users move on to and checks they agree with factgraph.

Usage: consumers.py MODEL.json GRAPH.graphml GRAPH.nt BASE_IRI
MODEL.json is factgraph's own JSON export of the same graph: the expected answer.
"""
import json
import sys
from urllib.parse import quote

import networkx
import rdflib

model_path, graphml_path, nt_path, base = sys.argv[1:5]
with open(model_path, encoding="utf-8") as f:
    model = json.load(f)
entities = [e["id"] for e in model.get("entities", [])]
facts = model.get("facts", [])

g = networkx.read_graphml(graphml_path)
assert g.number_of_nodes() == len(entities), (g.number_of_nodes(), len(entities))
assert g.number_of_edges() == len(facts), (g.number_of_edges(), len(facts))
assert sorted(g.nodes) == sorted(entities)
for node, data in g.nodes(data=True):
    assert data.get("kind") in {"actor", "place", "event", "thing"}, (node, data)

rdf = rdflib.Graph()
rdf.parse(nt_path, format="nt")
checked = 0
for entity in entities:
    expected = sorted(
        {f["object"] for f in facts if f["subject"] == entity}
        | {f["subject"] for f in facts if f["object"] == entity}
    )
    # The documented IRI scheme: ids percent-encoded except RFC 3986's unreserved characters.
    iri = rdflib.URIRef(base + "entity/" + quote(entity, safe="-._~"))
    rows = rdf.query(
        """
        SELECT DISTINCT ?id WHERE {
          { ?me ?p ?n } UNION { ?n ?p ?me }
          FILTER(STRSTARTS(STR(?p), STR(?rel)))
          ?n ?idp ?id .
        }""",
        initBindings={
            "me": iri,
            "rel": rdflib.Literal(base + "relation/"),
            "idp": rdflib.URIRef(base + "vocab#id"),
        },
    )
    got = sorted(str(r[0]) for r in rows)
    assert got == expected, (entity, got, expected)
    checked += 1
assert checked > 0
print(
    f"consumers: networkx read {len(entities)} nodes and {len(facts)} edges; "
    f"rdflib parsed {len(rdf)} triples; SPARQL neighbours of {checked} entities match factgraph"
)
