//! The query language, in two halves that mirror the pipeline: `syntax` turns text into a spanned
//! AST and prints it back, and never sees a graph; `eval` resolves the AST's names against a graph
//! and answers it with the facts behind every row.
//!
//! ```text
//! query text --syntax::parse_statement--> Statement --eval::resolve--> Resolved
//!            --eval::Evaluator--> eval::answer::Answer
//! ```

pub mod eval;
pub mod scope;
pub mod syntax;

// The names the rest of the crate uses, so callers need not know which half holds what.
pub use eval::{answer, resolve};
pub use scope::TimeScope;
pub use syntax::*;
