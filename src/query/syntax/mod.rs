//! Query syntax: text in, spanned AST out, and the AST printed back as text. Nothing here sees a
//! graph; names are looked up later, by [`crate::query::eval::resolve`].
//!
//! ```text
//! neighbors ENTITY [in|out|both] [via REL, ...] [depth N] [kind KIND] [limit N [offset M]]
//! path ENTITY to ENTITY [directed] [via REL, ...] [avoid ENTITY, ...] [min N] [max N]
//!      [all | shortest [K]] [limit K]
//! match PATTERN, ...        PATTERN = TERM REL TERM [as ?f], TERM = ENTITY | ?var, REL = rel | ^rel | ?var
//!       (REL may be a path: rel+, rel*, rel{n,m}, a|b, ^(a|b), (a|b)+; `via` takes a|b too)
//!       [, not|optional { PATTERN, ... [where COND] }] [where COND] [group by KEY, ... AGG, ...]
//!       [select ?var, ... | count] [order by KEY [asc|desc], ...] [limit N [offset M]]
//! why ENTITY REL ENTITY     show ENTITY     timeline [ENTITY] [from DATE] [to DATE] [limit N [offset M]]
//! entities [kind KIND] [matching TEXT]      relations | sources | stats
//! search TEXT [in quotes|names|notes] [mentioning ENTITY] [limit N]
//! ... at DATE               (any query: a time slice)
//! who REL ENTITY | what did ENTITY REL | when did ENTITY REL ENTITY | where is ENTITY
//!                           (questions, each read as the query that answers it)
//! help [TOPIC] | load FILE | reload | quit | exit | timing on|off
//! set format text|json|jsonl|tsv|csv|markdown | set at DATE|none | set pager on|off
//! set evidence footnotes|full|short|off
//! set limit memory SIZE     (SIZE = a number and KB, MB, GB or TB: 512MB)
//! export [dot|graphml|json|ntriples|cypher|csv|svg|png|pdf] FILE [force] [QUERY | focus ENTITY [depth N]]
//!                         (without a format, FILE's ending names it: z.png)
//! ```
//!
//! An entity is `"quoted"` (escapes `\"` and `\\`) or bare words up to the next keyword valid at
//! that place; in `match` patterns and as the subject of `why` a bare entity is one word (for `why`,
//! resolution splits the words again against the graph when that reading does not resolve).
//! Keywords are case-insensitive and `#` starts a comment outside quotes.

pub mod ast;
mod error;
mod grammar;
mod lexer;
mod match_clause;
mod match_grammar;
mod parse;
mod print;
mod question;
mod rel_path;
mod search;

pub use ast::*;
pub use error::ParseError;
pub use grammar::{memory_limit, SizeError, MAX_ITEMS, MAX_MEMORY_LIMIT, MIN_MEMORY_LIMIT};
pub use parse::parse_statement;
pub use print::{
    clipped, needs_quotes, quoted_string, relation_as_typed, relation_needs_quotes, size_text,
    SIZE_UNITS,
};

use parse::{expected_at_end, Expect};

/// Commands that make a [`Query`] (and may follow `export FORMAT FILE`).
pub const QUERY_COMMANDS: &[&str] = &[
    "neighbors",
    "neighbours",
    "path",
    "match",
    "why",
    "show",
    "timeline",
    "entities",
    "relations",
    "sources",
    "stats",
    "search",
    "changes",
    "conflicts",
];

/// Commands that change the session rather than ask the graph.
const SESSION_COMMANDS: &[&str] = &[
    "help", "load", "reload", "quit", "exit", "set", "timing", "export",
];

/// Words that may start a line: the query commands, then the session's.
pub const COMMANDS: &[&str] =
    &joined::<{ QUERY_COMMANDS.len() + SESSION_COMMANDS.len() }>(QUERY_COMMANDS, SESSION_COMMANDS);

/// `a` then `b`, as one array, so that one list of words is never written out twice.
const fn joined<const N: usize>(a: &[&'static str], b: &[&'static str]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < b.len() {
        out[i + j] = b[j];
        j += 1;
    }
    out
}

/// Words that end a bare entity name where they are valid; a name containing one must be quoted.
pub const KEYWORDS: &[&str] = &[
    "to",
    "in",
    "out",
    "both",
    "via",
    "depth",
    "kind",
    "directed",
    "avoid",
    "min",
    "max",
    "all",
    "shortest",
    "limit",
    "chronological",
    "at",
    "during",
    "reported",
    "from",
    "matching",
    "mentioning",
    "offset",
];

/// Where a name stands in the grammar, which decides what may be written bare there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// One bare word: `match` terms, the subject of `why`, file names.
    OneWord,
    /// Bare words up to the first of these keywords (any case), which are valid right after it.
    Words(&'static [&'static str]),
}

impl Slot {
    pub const NEIGHBORS: Slot = Slot::Words(&[
        "in", "out", "both", "via", "depth", "kind", "limit", "offset", "at", "during", "reported",
    ]);
    pub const PATH_FROM: Slot = Slot::Words(&["to"]);
    /// The target of `path` and each name after `avoid`.
    pub const PATH_TO: Slot = Slot::Words(&[
        "directed",
        "via",
        "avoid",
        "min",
        "max",
        "all",
        "shortest",
        "limit",
        "chronological",
        "at",
        "during",
        "reported",
    ]);
    /// Each entity after `avoid`: as the target of `path`, and `kind` starts `avoid kind`.
    pub const AVOID: Slot = Slot::Words(&[
        "directed",
        "via",
        "avoid",
        "min",
        "max",
        "all",
        "shortest",
        "limit",
        "chronological",
        "kind",
        "at",
        "during",
        "reported",
    ]);
    /// The object of `why` and the entity of `show`.
    pub const LAST: Slot = Slot::Words(&["at", "during", "reported"]);
    pub const TIMELINE: Slot =
        Slot::Words(&["from", "to", "limit", "offset", "at", "during", "reported"]);
    pub const MATCHING: Slot = Slot::Words(&["kind", "at", "during", "reported"]);
    /// The words of `search`.
    pub const SEARCH: Slot =
        Slot::Words(&["in", "mentioning", "limit", "at", "during", "reported"]);
    /// The entity after `mentioning`.
    pub const MENTIONING: Slot = Slot::Words(&["in", "limit", "at", "during", "reported"]);

    /// The keywords that end a bare name here.
    pub const fn stops(self) -> &'static [&'static str] {
        match self {
            Slot::OneWord => &[],
            Slot::Words(stops) => stops,
        }
    }
}

/// Whether `word` is one of [`KEYWORDS`], in any case.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| word.eq_ignore_ascii_case(k))
}

/// Keywords (and commands, format names, `on`/`off`, ...) the grammar accepts where `prefix` ends,
/// narrowed to those starting with its last, unfinished word: what tab completion may offer.
///
/// ```
/// use factgraph::query::keywords_after;
/// assert_eq!(keywords_after("path Homs t"), vec!["to"]);
/// assert!(keywords_after("neighbors Homs ").contains(&"depth"));
/// ```
pub fn keywords_after(prefix: &str) -> Vec<&'static str> {
    let start = prefix
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || c == ',')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let (head, partial) = prefix.split_at(start);
    if partial.starts_with('"') {
        return Vec::new();
    }
    expected_at_end(head)
        .into_iter()
        .filter_map(|e| match e {
            Expect::Kw(k) => Some(k),
            Expect::Thing(_) => None,
        })
        .filter(|k| {
            k.get(..partial.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(partial))
        })
        .collect()
}

/// One thing the grammar accepts where a prefix ends: what tab completion should offer there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A keyword, command, format name, `on`/`off`, ...
    Keyword(&'static str),
    Entity,
    /// A relation name or inverse label (`^name` too).
    Relation,
    /// An entity kind, after `kind`.
    Kind,
    /// A file name, after `load` and `export FORMAT`.
    File,
}

/// Everything the grammar accepts where `head` ends (a prefix ending at a token boundary), so that
/// completion follows the parser instead of a second copy of the grammar.
///
/// ```
/// use factgraph::query::{expected_after, Expected};
/// assert!(expected_after("neighbors ").contains(&Expected::Entity));
/// assert!(expected_after("path Homs to Tadmor via ").contains(&Expected::Relation));
/// ```
pub fn expected_after(head: &str) -> Vec<Expected> {
    let mut out: Vec<Expected> = expected_at_end(head)
        .into_iter()
        .filter_map(|e| match e {
            Expect::Kw(k) => Some(Expected::Keyword(k)),
            // The parser's names for the things it expects (see `Parser::entity`, `relation`,
            // `word("a kind")` and `path_token`); a test keeps them in step.
            Expect::Thing("an entity name") => Some(Expected::Entity),
            Expect::Thing("a relation name") => Some(Expected::Relation),
            Expect::Thing("a kind") => Some(Expected::Kind),
            Expect::Thing("a file name") => Some(Expected::File),
            Expect::Thing(_) => None,
        })
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod tests;
