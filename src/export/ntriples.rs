//! N-Triples, for RDF stores (Oxigraph, Jena, rdflib): each fact as a direct triple, so SPARQL finds
//! neighbours as factgraph does, and as a fact node carrying its date, source and quote.
//!
//! IRI scheme, under a base `B` (`--base`, ending in `/` or `#`; `/` is added otherwise):
//! `B entity/ID`, `B relation/NAME`, `B fact/N` (N = the fact's index in load order),
//! `B source/ID`, and terms of our own under `B vocab#`. Ids and names are percent-encoded as
//! UTF-8 except for the unreserved characters `A-Z a-z 0-9 - . _ ~`.

use super::{ExportError, ExportOptions, Subgraph};
use crate::graph::KnowledgeGraph;
use crate::model::FactId;
use std::io::{self, Write};

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const XSD_DATE: &str = "http://www.w3.org/2001/XMLSchema#date";

/// Checks a base IRI and returns it ending in `/` or `#`.
pub fn base_iri(text: &str) -> Result<String, ExportError> {
    let bad = |why: &str| ExportError::BadBase {
        base: text.to_string(),
        why: why.to_string(),
    };
    let scheme_end = text
        .find(':')
        .ok_or_else(|| bad("it has no scheme (`https:`)"))?;
    let scheme = &text[..scheme_end];
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(bad("its scheme is not valid"));
    }
    if let Some(c) = text
        .chars()
        .find(|&c| c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\'))
    {
        return Err(bad(&format!("an IRI cannot contain {c:?}")));
    }
    let mut base = text.to_string();
    if !base.ends_with('/') && !base.ends_with('#') {
        base.push('/');
    }
    Ok(base)
}

/// Writes `sub` as N-Triples. O(entities + facts); the base is assumed checked by [`base_iri`].
pub fn write(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    options: &ExportOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    let sub = sub.normalized(graph);
    let model = &graph.model;
    let b = &options.base_iri;
    let vocab = |term: &str| format!("<{b}vocab#{term}>");
    let entity = |id: &str| format!("<{b}entity/{}>", pct(id));
    let relation = |name: &str| format!("<{b}relation/{}>", pct(name));
    let source = |id: &str| format!("<{b}source/{}>", pct(id));
    let (a, label) = (format!("<{RDF}type>"), format!("<{RDFS}label>"));

    for s in &model.sources {
        let me = source(&s.id);
        writeln!(out, "{me} {a} {} .", vocab("Source"))?;
        writeln!(out, "{me} <{DCTERMS}title> {} .", lit(&s.title))?;
        writeln!(out, "{me} <{DCTERMS}publisher> {} .", lit(&s.publisher))?;
        writeln!(
            out,
            "{me} <{DCTERMS}date> {} .",
            lit(&s.published.to_string())
        )?;
        if let Some(url) = &s.url {
            writeln!(out, "{me} {} {} .", vocab("url"), lit(url))?;
        }
    }
    for r in &model.relations {
        let me = relation(&r.name);
        writeln!(out, "{me} {a} <{RDF}Property> .")?;
        writeln!(out, "{me} {label} {} .", lit(&r.name))?;
        writeln!(
            out,
            "{me} {} {} .",
            vocab("inverseLabel"),
            lit(&r.inverse_label())
        )?;
        if let Some(broader) = r.broader {
            let parent = relation(&model.relation(broader).name);
            writeln!(out, "{me} <{RDFS}subPropertyOf> {parent} .")?;
        }
        if let Some(d) = &r.description {
            writeln!(out, "{me} <{RDFS}comment> {} .", lit(d))?;
        }
    }
    for &e in &sub.entities {
        let e = model.entity(e);
        let me = entity(&e.id);
        let kind = e.kind.name();
        let class = format!("{}{}", kind[..1].to_ascii_uppercase(), &kind[1..]);
        writeln!(out, "{me} {a} {} .", vocab(&class))?;
        writeln!(out, "{me} {} {} .", vocab("id"), lit(&e.id))?;
        writeln!(out, "{me} {label} {} .", lit(&e.name))?;
        for alias in e.aliases() {
            writeln!(out, "{me} <{SKOS}altLabel> {} .", lit(alias))?;
        }
        for tag in e.tags() {
            writeln!(out, "{me} {} {} .", vocab("tag"), lit(tag))?;
        }
    }
    for &f in &sub.facts {
        write_fact(graph, f, b, out)?;
    }
    Ok(())
}

fn write_fact(graph: &KnowledgeGraph, id: FactId, b: &str, out: &mut impl Write) -> io::Result<()> {
    let model = &graph.model;
    let f = model.fact(id);
    let subject = format!("<{b}entity/{}>", pct(&model.entity(f.subject).id));
    let object = format!("<{b}entity/{}>", pct(&model.entity(f.object).id));
    let predicate = format!("<{b}relation/{}>", pct(&model.relation(f.relation).name));
    let me = format!("<{b}fact/{}>", id.0);
    let vocab = |term: &str| format!("<{b}vocab#{term}>");
    writeln!(out, "{subject} {predicate} {object} .")?;
    writeln!(out, "{me} <{RDF}type> <{RDF}Statement> .")?;
    writeln!(out, "{me} <{RDF}subject> {subject} .")?;
    writeln!(out, "{me} <{RDF}predicate> {predicate} .")?;
    writeln!(out, "{me} <{RDF}object> {object} .")?;
    if let Some(when) = f.when {
        writeln!(out, "{me} {} {} .", vocab("date"), lit(&when.to_string()))?;
        let span = when.interval();
        for (term, day) in [("dateFirst", span.first), ("dateLast", span.last)] {
            if let Some(iso) = crate::date::iso_day(day) {
                writeln!(out, "{me} {} {}^^<{XSD_DATE}> .", vocab(term), lit(&iso))?;
            }
        }
    }
    let source = format!("<{b}source/{}>", pct(&model.source(f.source).id));
    writeln!(out, "{me} {} {source} .", vocab("source"))?;
    let words = model.words(id);
    writeln!(out, "{me} {} {} .", vocab("quote"), lit(words.quote))?;
    for &r in words.reported_by {
        let reporter = format!("<{b}entity/{}>", pct(&model.entity(r).id));
        writeln!(out, "{me} {} {reporter} .", vocab("reportedBy"))?;
    }
    if let Some(note) = words.note {
        writeln!(out, "{me} {} {} .", vocab("note"), lit(note))?;
    }
    Ok(())
}

/// Percent-encodes all but RFC 3986's unreserved characters, so any id makes a valid IRI.
pub fn pct(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A plain string literal, escaped as N-Triples requires.
pub fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
