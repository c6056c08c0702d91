//! `search`: ranked hits for words in quotes, notes and names, from the graph's word index.
//!
//! The index is built by the first search of a loaded graph, under the query's cancel token and
//! memory budget, and kept with the graph; a reload drops it with the graph it described.

use super::answer::Answer;
use super::{EvalError, Evaluator};
use crate::model::EntityId;
use crate::query::ast::{SearchField, SearchQuery};
use crate::query::syntax::size_text;
use crate::search_index::{self, words, BuildError, Field, SearchIndex, Text};

/// Hits shown when `limit` is not written: a screenful.
pub const DEFAULT_SEARCH_LIMIT: u32 = 20;

/// A `search` with its entity looked up and its words normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSearch {
    /// The words as written, for the answer's heading.
    pub text: String,
    /// The words as the index knows them, in order.
    pub terms: Vec<String>,
    pub fields: Vec<Field>,
    pub mentioning: Option<EntityId>,
    pub limit: u32,
}

impl ResolvedSearch {
    pub fn new(search: &SearchQuery, mentioning: Option<EntityId>) -> ResolvedSearch {
        let fields = match search.field.as_ref().map(|f| f.node) {
            None => Field::ALL.to_vec(),
            Some(SearchField::Quotes) => vec![Field::Quote],
            Some(SearchField::Notes) => vec![Field::Note],
            Some(SearchField::Names) => vec![Field::Name],
        };
        ResolvedSearch {
            text: search.text.node.clone(),
            terms: words::terms(&search.text.node),
            fields,
            mentioning,
            limit: search
                .limit
                .as_ref()
                .map_or(DEFAULT_SEARCH_LIMIT, |l| l.node),
        }
    }
}

/// One text that holds words searched for, with its score (in thousandths, so that answers
/// compare exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchHit {
    pub text: Text,
    pub score_milli: u64,
    /// The text holds the words side by side, in the order asked.
    pub phrase: bool,
}

impl SearchHit {
    /// `7.412`
    pub fn score_text(&self) -> String {
        format!("{}.{:03}", self.score_milli / 1000, self.score_milli % 1000)
    }
}

/// Runs a search: builds the index if this graph has none yet, then ranks the texts that pass
/// the time slice and `mentioning`. Entities' names pass the time slice, which has no hold on
/// them; with `mentioning`, only facts are searched.
pub(super) fn search(ev: &mut Evaluator<'_>, query: &ResolvedSearch) -> Result<Answer, EvalError> {
    let index = match index(ev) {
        Ok(index) => index,
        Err(BuildError::Cancelled) => return Err(EvalError::Cancelled),
        Err(BuildError::OverBudget { needed, limit }) => {
            return Ok(answer(
                query,
                Vec::new(),
                0,
                Some(over_budget(needed, limit)),
            ))
        }
        Err(BuildError::Unreadable) => {
            let note = "some quotes could not be read: the cache is damaged".to_string();
            return Ok(answer(query, Vec::new(), 0, Some(note)));
        }
    };
    let graph = ev.graph;
    let cancel = ev.cancel;
    let mut keep = |text: Text| match text {
        Text::Quote(f) | Text::Note(f) => {
            ev.holds(f)
                && query.mentioning.is_none_or(|e| {
                    let fact = graph.model.fact(f);
                    fact.subject == e || fact.object == e
                })
        }
        Text::Name(_) => query.mentioning.is_none(),
    };
    let found = index.search(
        &graph.model,
        &query.terms,
        &query.fields,
        &mut keep,
        &mut || cancel.is_cancelled(),
    );
    let Some(mut found) = found else {
        return Err(EvalError::Cancelled);
    };
    let total = found.len();
    search_index::rank(&mut found, query.limit as usize);
    let hits = found
        .into_iter()
        .map(|s| SearchHit {
            text: s.text,
            score_milli: (s.score * 1000.0).round() as u64,
            phrase: s.phrase,
        })
        .collect();
    Ok(answer(query, hits, total, None))
}

fn answer(
    query: &ResolvedSearch,
    hits: Vec<SearchHit>,
    total: usize,
    truncated: Option<String>,
) -> Answer {
    Answer::Search {
        text: query.text.clone(),
        terms: query.terms.clone(),
        hits,
        total,
        truncated,
    }
}

/// The graph's index, built now if no search has built it yet.
fn index<'g>(ev: &Evaluator<'g>) -> Result<&'g SearchIndex, BuildError> {
    let graph = ev.graph;
    if let Some(index) = graph.search_index() {
        return Ok(index);
    }
    let cancel = ev.cancel;
    let unreadable = || graph.model.all_words().unreadable().map_or(0, |(n, _)| n);
    let before = unreadable();
    let built = SearchIndex::build(&graph.model, ev.memory_limit(), &mut || {
        cancel.is_cancelled()
    })?;
    if unreadable() > before {
        return Err(BuildError::Unreadable);
    }
    Ok(graph.keep_search_index(built))
}

fn over_budget(needed: usize, limit: usize) -> String {
    let needed = if needed == usize::MAX {
        "more texts than it can number".to_string()
    } else {
        format!("at least {}MB", needed.div_ceil(1 << 20))
    };
    format!(
        "the word index of this graph needs {needed}, more than the memory limit of {}; `set limit memory` raises it",
        size_text(limit as u64)
    )
}
