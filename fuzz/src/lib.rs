//! Checks the fuzz targets share: what every parse error and every dot file must satisfy.

use factgraph::query::ParseError;

/// A parse error points inside the line, on character boundaries, says something, and renders.
pub fn check_parse_error(line: &str, error: &ParseError) {
    let span = &error.span;
    assert!(
        span.start <= span.end && span.end <= line.len(),
        "{span:?} outside {line:?}"
    );
    assert!(line.is_char_boundary(span.start) && line.is_char_boundary(span.end));
    assert!(!error.message.is_empty());
    let _ = error.to_diagnostic("fuzz", line).to_string();
}

/// Parses `dot` as a stricter reader than Graphviz would, and returns (nodes, edges) without the
/// legend; panics when it does not parse, is not ASCII, or an edge ends at an undeclared node.
/// A legend drawn as a row of colours is an HTML-like graph label, which this parser cannot read
/// (Graphviz can: CI renders such pictures); that one line is left out.
pub fn check_dot(dot: &str) -> (usize, usize) {
    assert!(dot.is_ascii(), "dot is not ASCII:\n{dot}");
    let without_html_legend: String = dot
        .lines()
        .filter(|l| !l.trim_start().starts_with("graph [label=<"))
        .map(|l| format!("{l}\n"))
        .collect();
    let ast = match dot_parser::ast::Graph::try_from(without_html_legend.as_str()) {
        Ok(ast) => ast,
        Err(e) => panic!("dot does not parse: {e:?}\n{dot}"),
    };
    let graph = dot_parser::canonical::Graph::from(ast);
    let legend = |id: &str| id.starts_with("\"&legend:");
    let nodes = graph.nodes.set.keys().filter(|k| !legend(k)).count();
    let mut edges = 0;
    for edge in graph.edges.set.iter().filter(|e| !legend(&e.from)) {
        assert!(
            graph.nodes.set.contains_key(&edge.from),
            "{}\n{dot}",
            edge.from
        );
        assert!(graph.nodes.set.contains_key(&edge.to), "{}\n{dot}", edge.to);
        edges += 1;
    }
    (nodes, edges)
}
