//! The spanned syntax tree of one query line: what the user wrote, with names still as text.
//!
//! Every name, number, variable and date keeps its byte span in the line so that the resolver and the
//! evaluator can point back at it. Equality is plain derived equality (spans included); to compare
//! two trees by meaning only, as the round-trip test does, compare `a.without_spans()` with
//! `b.without_spans()` (see [`ClearSpans`]). Printing (`Display`) lives in `print.rs`.

pub use super::match_clause::*;
pub use super::rel_path::{Quantifier, RelPath, MAX_REPEAT};
use crate::date::{DatePoint, When};
use std::ops::Range;

/// Byte range in the parsed line.
pub type Span = Range<usize>;

/// `depth` of `neighbors` when none is written.
pub const DEFAULT_DEPTH: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Spanned<T> {
        Spanned { node, span }
    }
}

/// An entity as written: not yet looked up in any graph.
///
/// `quoted` records how the name was written; the printer keeps the quotes and adds them wherever a
/// bare name would not parse back (spaces in a one-word position, keywords, `,` `"` `#`, ...).
/// Bare names of several words are stored with single spaces between the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRef {
    pub text: String,
    pub quoted: bool,
    pub span: Span,
}

/// A relation name; `inverse` when written `^name` ("read backwards").
/// The span covers the `^` too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelRef {
    pub name: String,
    pub inverse: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Out,
    In,
    Both,
}

/// Subject or object of a `match` pattern. A variable's text excludes the `?`; its span includes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Entity(EntityRef),
    Var(Spanned<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelTerm {
    Rel(RelRef),
    Var(Spanned<String>),
    /// `located_in+`, `attacked|shelled`, ...: more than one plain relation.
    Path(RelPath),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub subject: Term,
    pub relation: RelTerm,
    pub object: Term,
    /// `... as ?f`: the variable that names the fact matched.
    pub fact: Option<Spanned<String>>,
}

/// Which paths `path` returns. `Shortest(None)` is the default: the single shortest path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathMode {
    Shortest(Option<Spanned<u32>>),
    All,
}

impl PathMode {
    /// How many shortest paths were asked for; `None` for `all`.
    pub fn shortest_k(&self) -> Option<u32> {
        match self {
            PathMode::Shortest(k) => Some(k.as_ref().map_or(1, |k| k.node)),
            PathMode::All => None,
        }
    }
}

/// `path A to B ...`: the query with the most options, passed whole from parser to printer and
/// resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathQuery {
    pub from: EntityRef,
    pub to: EntityRef,
    pub directed: bool,
    pub via: Vec<RelRef>,
    pub avoid: Vec<EntityRef>,
    /// `avoid via REL, ...`: relations no hop may use, either way round.
    pub avoid_via: Vec<RelRef>,
    /// `avoid kind KIND, ...`: kinds no entity between the ends may have.
    pub avoid_kinds: Vec<Spanned<String>>,
    /// `chronological`: each hop dated, none earlier than the one before.
    pub chronological: bool,
    pub min: Option<Spanned<u32>>,
    pub max: Option<Spanned<u32>>,
    pub mode: PathMode,
    pub limit: Option<Spanned<u32>>,
}

/// Where `search` looks for its words: `in quotes`, `in names` (names and aliases), `in notes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchField {
    Quotes,
    Names,
    Notes,
}

impl SearchField {
    pub const ALL: [SearchField; 3] = [SearchField::Quotes, SearchField::Names, SearchField::Notes];

    pub fn word(self) -> &'static str {
        match self {
            SearchField::Quotes => "quotes",
            SearchField::Names => "names",
            SearchField::Notes => "notes",
        }
    }
}

/// `search TEXT [in FIELD] [mentioning ENTITY] [limit N]`: the words of quotes, names and notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The words as written; the quotes around them are not kept (they only group the words).
    pub text: Spanned<String>,
    pub field: Option<Spanned<SearchField>>,
    /// Only facts with this entity as subject or object.
    pub mentioning: Option<EntityRef>,
    pub limit: Option<Spanned<u32>>,
}

/// The body of a query, before its optional `at DATE`. Numbers that were not written are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Neighbors {
        entity: EntityRef,
        direction: Direction,
        via: Vec<RelRef>,
        /// `None` means [`DEFAULT_DEPTH`].
        depth: Option<Spanned<u32>>,
        kind: Option<Spanned<String>>,
        /// `limit N [offset M]`.
        page: Page,
    },
    Path(PathQuery),
    Match {
        patterns: Vec<Pattern>,
        /// `select ?x, ?y`: the variables to answer with (distinct over them); empty means all.
        select: Vec<Spanned<String>>,
        /// `count`: answer with the number of distinct rows instead of the rows.
        count: bool,
        /// Blocks, `where`, `group by`, `order by` and `limit`; default when none was written.
        clauses: Box<MatchClauses>,
    },
    Why {
        subject: EntityRef,
        relation: RelRef,
        object: EntityRef,
    },
    Show {
        entity: EntityRef,
    },
    Timeline {
        entity: Option<EntityRef>,
        from: Option<Spanned<DatePoint>>,
        to: Option<Spanned<DatePoint>>,
        /// `limit N [offset M]`.
        page: Page,
    },
    Entities {
        kind: Option<Spanned<String>>,
        matching: Option<Spanned<String>>,
    },
    /// `changes [ENTITY]`: transitions of state (who held what, from whom), in date order.
    Changes {
        entity: Option<EntityRef>,
        /// The command word, where an error about the graph (no state relations) points.
        word: Span,
    },
    /// `conflicts [ENTITY]`: facts that cannot all be true (see `query::eval::conflicts`).
    Conflicts {
        entity: Option<EntityRef>,
    },
    Relations,
    Sources,
    Stats,
    Search(SearchQuery),
}

/// The question word of a [`Question`]; `did` reads as `when`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asks {
    Who,
    What,
    When,
    Where,
}

impl Asks {
    pub fn word(self) -> &'static str {
        match self {
            Asks::Who => "who",
            Asks::What => "what",
            Asks::When => "when",
            Asks::Where => "where",
        }
    }
}

/// What a question asks for, by the shape of its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `who REL ENTITY`: the subjects of a relation.
    Subject { relation: RelRef, object: EntityRef },
    /// `what did ENTITY REL` (`does`, `do`): the objects of a relation.
    Object {
        subject: EntityRef,
        relation: RelRef,
    },
    /// `when did ENTITY REL ENTITY`, or `did ...`: the facts behind a claim.
    When {
        subject: EntityRef,
        relation: RelRef,
        object: EntityRef,
    },
    /// `where is ENTITY` (`who is`, `what is`): the entity's card.
    Is { entity: EntityRef },
}

/// A question in one of a few fixed shapes (`who recaptured Tadmor`), kept as asked;
/// [`Question::query`] is the query that answers it. No other phrasing is guessed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The question word; its span is the span of the variable a `match` binds.
    pub asks: Spanned<Asks>,
    pub shape: Shape,
    pub at: Option<Spanned<When>>,
}

impl Question {
    /// The query that answers the question: `match ?who REL ENTITY`, `match ENTITY REL ?what`,
    /// `why ENTITY REL ENTITY` or `show ENTITY`.
    pub fn query(&self) -> Query {
        let var = || {
            Term::Var(Spanned::new(
                self.asks.node.word().to_string(),
                self.asks.span.clone(),
            ))
        };
        let pattern = |subject, relation: &RelRef, object| Command::Match {
            patterns: vec![Pattern {
                subject,
                relation: RelTerm::Rel(relation.clone()),
                object,
                fact: None,
            }],
            select: Vec::new(),
            count: false,
            clauses: Box::default(),
        };
        let command = match &self.shape {
            Shape::Subject { relation, object } => {
                pattern(var(), relation, Term::Entity(object.clone()))
            }
            Shape::Object { subject, relation } => {
                pattern(Term::Entity(subject.clone()), relation, var())
            }
            Shape::When {
                subject,
                relation,
                object,
            } => Command::Why {
                subject: subject.clone(),
                relation: relation.clone(),
                object: object.clone(),
            },
            Shape::Is { entity } => Command::Show {
                entity: entity.clone(),
            },
        };
        Query {
            at: self.at.clone(),
            ..Query::timeless(command)
        }
    }
}

/// A query with its optional time clauses (`... at 2016-01`, `... during 2017`,
/// `... reported 2017-08-05`), written after the command in any order, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub command: Command,
    pub at: Option<Spanned<When>>,
    pub during: Option<Spanned<When>>,
    pub reported: Option<Spanned<When>>,
}

impl Query {
    /// A query with no time clauses.
    pub fn timeless(command: Command) -> Query {
        Query {
            command,
            at: None,
            during: None,
            reported: None,
        }
    }

    /// The time clauses as written, without their spans.
    pub fn scope(&self) -> crate::query::scope::TimeScope {
        crate::query::scope::TimeScope {
            at: self.at.as_ref().map(|a| a.node),
            during: self.during.as_ref().map(|d| d.node),
            reported: self.reported.as_ref().map(|r| r.node),
        }
    }
}

pub use crate::format::{AnswerFormat, Evidence, ExportFormat};

/// Commands that change the session rather than ask the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one value per input line; boxing the query would only make matching clumsier"
)]
pub enum SessionCommand {
    /// The topic is the rest of the line, words joined by single spaces.
    Help(Option<String>),
    Load(Spanned<String>),
    Reload,
    Quit,
    SetFormat(AnswerFormat),
    /// `set at none` clears the session's time slice.
    SetAt(Option<Spanned<When>>),
    /// `set during PERIOD`, `set during none`.
    SetDuring(Option<Spanned<When>>),
    /// `set reported DATE`, `set reported none`.
    SetReported(Option<Spanned<When>>),
    SetPager(bool),
    /// How text answers show the quotes behind their rows.
    SetEvidence(Evidence),
    /// `set limit memory 512MB`: the bytes a query may build beyond the graph.
    SetMemoryLimit(u64),
    Timing(bool),
    Export {
        format: ExportFormat,
        file: Spanned<String>,
        /// Replace an existing file (`export dot out.dot force`).
        force: bool,
        query: Option<Query>,
        /// An ego picture instead of a query's answer (`export ego.svg focus Homs depth 2`).
        focus: Option<Focus>,
    },
}

/// `focus ENTITY [depth N]` of `export`: the entity, what lies within N steps of it (1 when not
/// written), and the facts between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub entity: EntityRef,
    pub depth: Option<Spanned<u32>>,
}

/// One line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one value per input line; boxing the query would only make matching clumsier"
)]
pub enum Statement {
    Query(Query),
    Command(SessionCommand),
    Question(Question),
    /// A blank line or one holding only a comment.
    Empty,
}

/// Zeroes every span, so that trees can be compared by meaning (what the round-trip test needs).
pub trait ClearSpans: Clone {
    fn clear_spans(&mut self);

    fn without_spans(&self) -> Self {
        let mut copy = self.clone();
        copy.clear_spans();
        copy
    }
}

impl<T: Clone> ClearSpans for Spanned<T> {
    fn clear_spans(&mut self) {
        self.span = 0..0;
    }
}

impl ClearSpans for EntityRef {
    fn clear_spans(&mut self) {
        self.span = 0..0;
    }
}

impl ClearSpans for RelRef {
    fn clear_spans(&mut self) {
        self.span = 0..0;
    }
}

impl<T: ClearSpans> ClearSpans for Option<T> {
    fn clear_spans(&mut self) {
        if let Some(t) = self {
            t.clear_spans();
        }
    }
}

impl<T: ClearSpans> ClearSpans for Vec<T> {
    fn clear_spans(&mut self) {
        self.iter_mut().for_each(ClearSpans::clear_spans);
    }
}

impl ClearSpans for Term {
    fn clear_spans(&mut self) {
        match self {
            Term::Entity(e) => e.clear_spans(),
            Term::Var(v) => v.clear_spans(),
        }
    }
}

impl ClearSpans for RelTerm {
    fn clear_spans(&mut self) {
        match self {
            RelTerm::Rel(r) => r.clear_spans(),
            RelTerm::Var(v) => v.clear_spans(),
            RelTerm::Path(p) => p.clear_spans(),
        }
    }
}

impl ClearSpans for Pattern {
    fn clear_spans(&mut self) {
        self.subject.clear_spans();
        self.relation.clear_spans();
        self.object.clear_spans();
        self.fact.clear_spans();
    }
}

impl ClearSpans for PathQuery {
    fn clear_spans(&mut self) {
        self.from.clear_spans();
        self.to.clear_spans();
        self.via.clear_spans();
        self.avoid.clear_spans();
        self.avoid_via.clear_spans();
        self.avoid_kinds.clear_spans();
        self.min.clear_spans();
        self.max.clear_spans();
        self.limit.clear_spans();
        if let PathMode::Shortest(k) = &mut self.mode {
            k.clear_spans();
        }
    }
}

impl ClearSpans for Command {
    fn clear_spans(&mut self) {
        match self {
            Command::Neighbors {
                entity,
                via,
                depth,
                kind,
                page,
                ..
            } => {
                entity.clear_spans();
                via.clear_spans();
                depth.clear_spans();
                kind.clear_spans();
                page.clear_spans();
            }
            Command::Path(path) => path.clear_spans(),
            Command::Match {
                patterns,
                select,
                clauses,
                ..
            } => {
                patterns.clear_spans();
                select.clear_spans();
                clauses.clear_spans();
            }
            Command::Why {
                subject,
                relation,
                object,
            } => {
                subject.clear_spans();
                relation.clear_spans();
                object.clear_spans();
            }
            Command::Show { entity } => entity.clear_spans(),
            Command::Timeline {
                entity,
                from,
                to,
                page,
            } => {
                entity.clear_spans();
                from.clear_spans();
                to.clear_spans();
                page.clear_spans();
            }
            Command::Entities { kind, matching } => {
                kind.clear_spans();
                matching.clear_spans();
            }
            Command::Changes { entity, word } => {
                entity.clear_spans();
                *word = Span::default();
            }
            Command::Conflicts { entity } => entity.clear_spans(),
            Command::Relations | Command::Sources | Command::Stats => {}
            Command::Search(search) => {
                search.text.clear_spans();
                search.field.clear_spans();
                search.mentioning.clear_spans();
                search.limit.clear_spans();
            }
        }
    }
}

impl ClearSpans for Query {
    fn clear_spans(&mut self) {
        self.command.clear_spans();
        self.at.clear_spans();
        self.during.clear_spans();
        self.reported.clear_spans();
    }
}

impl ClearSpans for SessionCommand {
    fn clear_spans(&mut self) {
        match self {
            SessionCommand::Load(file) => file.clear_spans(),
            SessionCommand::SetAt(when)
            | SessionCommand::SetDuring(when)
            | SessionCommand::SetReported(when) => when.clear_spans(),
            SessionCommand::Export {
                file, query, focus, ..
            } => {
                file.clear_spans();
                query.clear_spans();
                if let Some(focus) = focus {
                    focus.entity.clear_spans();
                    focus.depth.clear_spans();
                }
            }
            SessionCommand::Help(_)
            | SessionCommand::Reload
            | SessionCommand::Quit
            | SessionCommand::SetFormat(_)
            | SessionCommand::SetPager(_)
            | SessionCommand::SetEvidence(_)
            | SessionCommand::SetMemoryLimit(_)
            | SessionCommand::Timing(_) => {}
        }
    }
}

impl ClearSpans for Question {
    fn clear_spans(&mut self) {
        self.asks.clear_spans();
        self.at.clear_spans();
        match &mut self.shape {
            Shape::Subject { relation, object } => {
                relation.clear_spans();
                object.clear_spans();
            }
            Shape::Object { subject, relation } => {
                subject.clear_spans();
                relation.clear_spans();
            }
            Shape::When {
                subject,
                relation,
                object,
            } => {
                subject.clear_spans();
                relation.clear_spans();
                object.clear_spans();
            }
            Shape::Is { entity } => entity.clear_spans(),
        }
    }
}

impl ClearSpans for Statement {
    fn clear_spans(&mut self) {
        match self {
            Statement::Query(q) => q.clear_spans(),
            Statement::Command(c) => c.clear_spans(),
            Statement::Question(q) => q.clear_spans(),
            Statement::Empty => {}
        }
    }
}
