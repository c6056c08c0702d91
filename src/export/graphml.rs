//! GraphML, for networkx (`read_graphml`), igraph and Gephi: one node per entity, one edge per fact,
//! every property a typed `<key>`.
//!
//! Lists (aliases, tags, reported_by) are joined with `; ` because GraphML has no list type. Node ids
//! are entity ids; edge ids are `fact<N>`.
//!
//! XML 1.0 cannot carry most control characters (not even as `&#1;`) nor U+FFFE and U+FFFF: each
//! is written with the reversible escape of [`super::escape`] (`␛u0001`), so distinct ids stay
//! distinct nodes. Text without these is written as it is.

use super::{escape, ExportOptions, Subgraph};
use crate::graph::KnowledgeGraph;
use std::io::{self, Write};

/// (id, for, name, type) of every attribute key, in the order they are written.
const KEYS: [(&str, &str, &str, &str); 14] = [
    ("d_label", "node", "label", "string"),
    ("d_name", "node", "name", "string"),
    ("d_kind", "node", "kind", "string"),
    ("d_aliases", "node", "aliases", "string"),
    ("d_tags", "node", "tags", "string"),
    ("e_relation", "edge", "relation", "string"),
    ("e_label", "edge", "label", "string"),
    ("e_date", "edge", "date", "string"),
    ("e_first", "edge", "date_first", "string"),
    ("e_last", "edge", "date_last", "string"),
    ("e_source", "edge", "source", "string"),
    ("e_quote", "edge", "quote", "string"),
    ("e_reported_by", "edge", "reported_by", "string"),
    ("e_fact", "edge", "fact", "int"),
];

/// Writes `sub` as a GraphML document. O(entities + facts).
pub fn write(
    graph: &KnowledgeGraph,
    sub: &Subgraph,
    _options: &ExportOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    let sub = sub.normalized(graph);
    let model = &graph.model;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, target, name, ty) in KEYS {
        writeln!(
            out,
            r#"  <key id="{id}" for="{target}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="factgraph" edgedefault="directed">"#)?;
    for &e in &sub.entities {
        let entity = model.entity(e);
        writeln!(out, r#"    <node id="{}">"#, xml(&entity.id))?;
        data(out, "d_label", &entity.name)?;
        data(out, "d_name", &entity.name)?;
        data(out, "d_kind", entity.kind.name())?;
        data(out, "d_aliases", &entity.aliases().join("; "))?;
        data(out, "d_tags", &entity.tags().join("; "))?;
        writeln!(out, "    </node>")?;
    }
    for &f in &sub.facts {
        let fact = model.fact(f);
        writeln!(
            out,
            r#"    <edge id="fact{}" source="{}" target="{}">"#,
            f.0,
            xml(&model.entity(fact.subject).id),
            xml(&model.entity(fact.object).id)
        )?;
        let relation = &model.relation(fact.relation).name;
        data(out, "e_relation", relation)?;
        data(out, "e_label", relation)?;
        if let Some(when) = fact.when {
            data(out, "e_date", &when.to_string())?;
            let span = when.interval();
            if let Some(first) = crate::date::iso_day(span.first) {
                data(out, "e_first", &first)?;
            }
            if let Some(last) = crate::date::iso_day(span.last) {
                data(out, "e_last", &last)?;
            }
        }
        data(out, "e_source", &model.source(fact.source).id)?;
        let words = model.words(f);
        data(out, "e_quote", words.quote)?;
        let reported: Vec<&str> = words
            .reported_by
            .iter()
            .map(|&r| model.entity(r).id.as_str())
            .collect();
        if !reported.is_empty() {
            data(out, "e_reported_by", &reported.join("; "))?;
        }
        data(out, "e_fact", &f.0.to_string())?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

fn data(out: &mut impl Write, key: &str, value: &str) -> io::Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    writeln!(out, r#"      <data key="{key}">{}</data>"#, xml(value))
}

/// Text safe in XML content and attribute values, reversibly: see the module doc.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // References keep these from being normalised away by XML parsers.
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", u32::from(c))),
            c if escape::is_escape(c) || !is_xml_char(c) => escape::push(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_xml_cannot_carry_stay_distinct_and_read_back() {
        let ids = [
            "a\u{0}b",
            "a\u{1}b",
            "a\u{fffd}b",
            "a\u{fffe}b",
            "a\u{241b}b",
            "a\u{241b}u0000b",
            "a\tb",
        ];
        let mut text = String::from(
            "(sources: [(id: \"s\", title: \"t\", publisher: \"p\", published: \"2017\")],\n\
             relations: [(name: \"r\")],\n entities: [\n",
        );
        for (i, id) in ids.iter().enumerate() {
            text.push_str("(id: ");
            let mut quoted = Vec::new();
            crate::import::write_ron_string(&mut quoted, id).unwrap();
            text.push_str(std::str::from_utf8(&quoted).unwrap());
            text.push_str(&format!(", name: \"e{i}\", kind: \"thing\"),\n"));
        }
        text.push_str("],\n facts: [])");
        let model =
            crate::validate::load(&[crate::fact_file::SourceText::new("ids.ron", text)], &[])
                .unwrap_or_else(|e| panic!("{}", crate::diagnostic::render_all(&e)));
        let graph = KnowledgeGraph::new(model);
        let mut out = Vec::new();
        write(
            &graph,
            &Subgraph::whole(&graph),
            &Default::default(),
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        let doc = roxmltree::Document::parse(&out).unwrap();
        let read: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("node"))
            .map(|n| escape::unescape(n.attribute("id").unwrap()).unwrap())
            .collect();
        assert_eq!(read, ids);
        // Text without what needs escaping is written as it is.
        assert_eq!(xml("Ḥims \u{fffd} ␀"), "Ḥims \u{fffd} ␀");
    }
}
