use super::*;
use crate::graph::KnowledgeGraph;
use crate::load::GraphSpec;

fn bundled() -> KnowledgeGraph {
    GraphSpec::new(Vec::new()).load(&[]).unwrap()
}

fn index(graph: &KnowledgeGraph) -> SearchIndex {
    SearchIndex::build(&graph.model, usize::MAX, &mut || false).unwrap()
}

fn found(graph: &KnowledgeGraph, query: &str, fields: &[Field], limit: usize) -> Vec<Scored> {
    let mut hits = index(graph)
        .search(
            &graph.model,
            &words::terms(query),
            fields,
            &mut |_| true,
            &mut || false,
        )
        .unwrap();
    rank(&mut hits, limit);
    hits
}

#[test]
fn every_quote_holding_the_phrase_ranks_before_quotes_holding_its_words_apart() {
    let graph = bundled();
    let hits = found(&graph, "withdrew from", &[Field::Quote], usize::MAX);
    let model = &graph.model;
    let holding: Vec<Text> = (0..model.facts().len() as u32)
        .map(FactId)
        .filter(|&f| model.quote(f).to_lowercase().contains("withdrew from"))
        .map(Text::Quote)
        .collect();
    assert!(!holding.is_empty());
    let phrases: Vec<Text> = hits
        .iter()
        .take_while(|h| h.phrase)
        .map(|h| h.text)
        .collect();
    let mut sorted = phrases.clone();
    sorted.sort();
    assert_eq!(
        sorted, holding,
        "the phrase hits are exactly the quotes holding it"
    );
    assert!(hits.len() > phrases.len(), "quotes with only `from` follow");
    assert!(hits.iter().skip(phrases.len()).all(|h| !h.phrase));
}

#[test]
fn fields_restrict_where_words_are_looked_for() {
    let graph = bundled();
    let names = found(&graph, "sukhna", &[Field::Name], usize::MAX);
    assert!(!names.is_empty());
    assert!(names.iter().all(|h| h.text.field() == Field::Name));
    let all = found(&graph, "sukhna", &Field::ALL, usize::MAX);
    assert!(all.len() > names.len());
}

#[test]
fn rank_keeps_the_best_limit_in_order() {
    let graph = bundled();
    let all = found(&graph, "Al Sukhna ISIL", &Field::ALL, usize::MAX);
    let top = found(&graph, "Al Sukhna ISIL", &Field::ALL, 3);
    assert_eq!(top, all[..3]);
}

#[test]
fn a_build_over_the_budget_or_cancelled_stops() {
    let graph = bundled();
    assert!(matches!(
        SearchIndex::build(&graph.model, 1000, &mut || false),
        Err(BuildError::OverBudget { limit: 1000, .. })
    ));
    assert_eq!(
        SearchIndex::build(&graph.model, usize::MAX, &mut || true).err(),
        Some(BuildError::Cancelled)
    );
}

#[test]
fn marks_join_neighbouring_words_into_one() {
    let text = "ISIL fighters withdrew from city of Al Sukhna, from here";
    let terms = words::terms("withdrew from sukhna");
    let marked: Vec<&str> = marks(text, &terms).into_iter().map(|r| &text[r]).collect();
    assert_eq!(marked, vec!["withdrew from", "Sukhna", "from"]);
}
