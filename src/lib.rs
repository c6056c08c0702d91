//! factgraph: curated fact files about a news article become a graph you can question.
//!
//! Data flows one way, one type per stage:
//!
//! ```text
//! fact file (RON text)  -- fact_file -->  records with spans      (fast reader, ron as fallback)
//!                       -- validate  -->  model::Model            (ids resolved, dates parsed, every problem collected)
//!                       -- graph     -->  graph::KnowledgeGraph   (adjacency arrays petgraph can walk + name index)
//! query text            -- query (parse)   --> query::Statement   (spanned AST; knows no graph)
//!                       -- query::resolve  --> Resolved           (names looked up, did-you-mean)
//!                       -- query::eval     --> answer::Answer     (rows + the facts behind them)
//!                       -- render / export --> text, json, tsv, ..., dot, graphml, n-triples, ...
//! ```
//!
//! `session::Session::execute` is the one path for `query`, `run`, piped input and the `repl`;
//! `script` and `repl` are thin loops around it. `diagnostic` renders every error with its line,
//! column and caret; `date` is the nom grammar for dates in facts and queries; `load` and `cache`
//! find and cache fact files; `names` finds entities by id, name or alias; `adjacency` holds the
//! compact edge arrays that every traversal reads; `import` and `generate` bring in triple files
//! and synthetic graphs; `diff` compares two corpora for review; `starter` begins a fact file
//! for a new article, and `passage` finds a quote's place in its source's text. Every file
//! written goes through `output`, and `interrupt` is the one
//! signal handler, which removes unfinished files. `terminal` measures the terminal at the edge,
//! so that `render` takes its width as data and never asks.

#![forbid(unsafe_code)]

// Fact files to graph.
pub mod adjacency;
pub mod bundled;
pub mod cache;
pub mod date;
pub mod date_hint;
pub mod diagnostic;
pub mod fact_file;
pub mod folder;
pub mod format;
pub mod graph;
pub mod input;
pub mod load;
pub mod load_warnings;
pub mod model;
pub mod names;
pub mod passage;
pub mod search_index;
pub mod spelling;
pub mod validate;
pub mod visible;
pub mod vocabulary;

// Questions and answers.
pub mod continuation;
pub mod help;
pub mod query;
pub mod render;
pub mod repl;
pub mod script;
pub mod session;
pub mod terminal;

// Other formats and scale.
pub mod diff;
pub mod export;
pub mod generate;
pub mod import;
pub mod interrupt;
pub mod output;
pub mod starter;
