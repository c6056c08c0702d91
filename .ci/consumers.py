"""Loads factgraph's exports in the tools users move on to and checks they agree with factgraph.

Usage: consumers.py MODEL.json GRAPH.graphml GRAPH.nt BASE_IRI CSV_DIR
MODEL.json is factgraph's own JSON export of the same graph: the expected answer. CSV_DIR holds the
csv export (nodes.csv, edges.csv), loaded into Kuzu with the statements README.md gives.
"""
import json
import os
import sys
import tempfile
from urllib.parse import quote

import kuzu
import networkx
import rdflib

model_path, graphml_path, nt_path, base, csv_dir = sys.argv[1:6]
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

db = kuzu.Database(os.path.join(tempfile.mkdtemp(), "kuzu"))
kz = kuzu.Connection(db)
kz.execute(
    "CREATE NODE TABLE Entity(id STRING, name STRING, kind STRING, aliases STRING, tags STRING,"
    " label STRING, PRIMARY KEY(id))"
)
kz.execute(
    "CREATE REL TABLE Fact(FROM Entity TO Entity, relation STRING, fact INT64, date STRING,"
    " date_first STRING, date_last STRING, source STRING, quote STRING, reported_by STRING,"
    " note STRING)"
)
kz.execute(f"COPY Entity FROM '{csv_dir}/nodes.csv' (header=true, parallel=false)")
kz.execute(f"COPY Fact FROM '{csv_dir}/edges.csv' (header=true, parallel=false)")
kz_nodes = kz.execute("MATCH (n:Entity) RETURN count(n)").get_next()[0]
kz_edges = kz.execute("MATCH ()-[f:Fact]->() RETURN count(f)").get_next()[0]
assert (kz_nodes, kz_edges) == (len(entities), len(facts)), (kz_nodes, kz_edges)
result = kz.execute("MATCH ()-[f:Fact]->() RETURN f.quote")
quotes = []
while result.has_next():
    quotes.append(result.get_next()[0])
quotes.sort()
assert quotes == sorted(f["quote"] for f in facts), quotes

print(
    f"consumers: networkx read {len(entities)} nodes and {len(facts)} edges; "
    f"rdflib parsed {len(rdf)} triples; SPARQL neighbours of {checked} entities match factgraph; "
    f"Kuzu loaded the CSV with every quote intact"
)
