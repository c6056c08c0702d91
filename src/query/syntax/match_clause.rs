//! The clauses of `match` beyond its patterns (blocks, `where`, `group by`, `order by`, `limit`):
//! their spanned syntax tree and its canonical printing, kept apart from the other commands' AST.
//!
//! Conditions are n-ary (`and` and `or` hold lists) so that a long chain is a flat list, and the
//! parser bounds nesting, so no tree built from a line is deeper than [`MAX_NESTING`].

use super::ast::{ClearSpans, EntityRef, Pattern, Span, Spanned};
use super::print::write_quoted;
use crate::date::When;
use std::fmt::{self, Display, Formatter};

/// Parentheses and `not`s a condition may nest: far beyond any question, and a bound on the
/// recursion of everything that walks a condition.
pub const MAX_NESTING: usize = 32;

/// Everything after the patterns of a `match`; `Default` is a plain match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatchClauses {
    /// `not { ... }` and `optional { ... }`, in the order written.
    pub blocks: Vec<Block>,
    pub filter: Option<Cond>,
    pub group: Option<GroupBy>,
    pub order: Vec<OrderKey>,
    pub limit: Option<Spanned<u32>>,
    pub offset: Option<Spanned<u32>>,
}

impl MatchClauses {
    /// Whether anything beyond patterns, `select` and `count` was written.
    pub fn is_plain(&self) -> bool {
        self == &MatchClauses::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Not,
    Optional,
}

impl BlockKind {
    pub fn word(self) -> &'static str {
        match self {
            BlockKind::Not => "not",
            BlockKind::Optional => "optional",
        }
    }
}

/// `not { PATTERNS [where COND] }` or `optional { ... }`; the span covers the keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub patterns: Vec<Pattern>,
    pub filter: Option<Cond>,
    pub span: Span,
}

/// What a variable's property names: of a fact (`?f.when`) or of an entity (`?x.kind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prop {
    When,
    Source,
    Quote,
    ReportedBy,
    Note,
    Relation,
    /// The Admiralty grade of the fact's source (`A` to `F`).
    Reliability,
    /// The Admiralty grade of the fact itself (`1` to `6`).
    Credibility,
    Kind,
    Name,
    Id,
    Tags,
    Aliases,
    /// `attr("population")`.
    Attr(String),
}

impl Prop {
    /// Property names as written after `.`, facts' first; `attr` takes its key in parentheses.
    pub const NAMES: &'static [&'static str] = &[
        "when",
        "source",
        "quote",
        "reported_by",
        "note",
        "relation",
        "reliability",
        "credibility",
        "kind",
        "name",
        "id",
        "tags",
        "aliases",
        "attr",
    ];

    /// The property named `word` (any case); `attr` is read with its key by the parser.
    pub fn from_name(word: &str) -> Option<Prop> {
        Some(match word.to_ascii_lowercase().as_str() {
            "when" => Prop::When,
            "source" => Prop::Source,
            "quote" => Prop::Quote,
            "reported_by" => Prop::ReportedBy,
            "note" => Prop::Note,
            "relation" => Prop::Relation,
            "reliability" => Prop::Reliability,
            "credibility" => Prop::Credibility,
            "kind" => Prop::Kind,
            "name" => Prop::Name,
            "id" => Prop::Id,
            "tags" => Prop::Tags,
            "aliases" => Prop::Aliases,
            _ => return None,
        })
    }

    pub fn is_of_fact(&self) -> bool {
        matches!(
            self,
            Prop::When
                | Prop::Source
                | Prop::Quote
                | Prop::ReportedBy
                | Prop::Note
                | Prop::Relation
                | Prop::Reliability
                | Prop::Credibility
        )
    }
}

impl Display for Prop {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let name = match self {
            Prop::When => "when",
            Prop::Source => "source",
            Prop::Quote => "quote",
            Prop::ReportedBy => "reported_by",
            Prop::Note => "note",
            Prop::Relation => "relation",
            Prop::Reliability => "reliability",
            Prop::Credibility => "credibility",
            Prop::Kind => "kind",
            Prop::Name => "name",
            Prop::Id => "id",
            Prop::Tags => "tags",
            Prop::Aliases => "aliases",
            Prop::Attr(key) => {
                f.write_str("attr(")?;
                write_quoted(f, key)?;
                return f.write_str(")");
            }
        };
        f.write_str(name)
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Var(Spanned<String>),
    /// `?x.prop`; the property's span covers what follows the `.`.
    Prop {
        var: Spanned<String>,
        prop: Spanned<Prop>,
    },
    /// A bare word or a quoted text: an entity, relation, kind, text or number, as the other side
    /// of the comparison decides when names are resolved.
    Literal(EntityRef),
}

impl Operand {
    pub fn span(&self) -> Span {
        match self {
            Operand::Var(v) => v.span.clone(),
            Operand::Prop { var, prop } => var.span.start..prop.span.end,
            Operand::Literal(l) => l.span.clone(),
        }
    }

    /// The variable the operand reads, if any.
    pub fn var(&self) -> Option<&Spanned<String>> {
        match self {
            Operand::Var(v) | Operand::Prop { var: v, .. } => Some(v),
            Operand::Literal(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub const SYMBOLS: [(&'static str, CmpOp); 6] = [
        ("!=", CmpOp::Ne),
        ("<=", CmpOp::Le),
        (">=", CmpOp::Ge),
        ("=", CmpOp::Eq),
        ("<", CmpOp::Lt),
        (">", CmpOp::Gt),
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// Whether the operator needs an order, not only equality.
    pub fn is_ordering(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    Contains,
    Matches,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOp {
    During,
    Before,
    After,
}

impl DateOp {
    pub fn word(self) -> &'static str {
        match self {
            DateOp::During => "during",
            DateOp::Before => "before",
            DateOp::After => "after",
        }
    }
}

/// A `where` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Compare {
        left: Operand,
        op: Spanned<CmpOp>,
        right: Operand,
    },
    In {
        left: Operand,
        items: Vec<Operand>,
    },
    Text {
        left: Operand,
        op: Spanned<TextOp>,
        text: Spanned<String>,
    },
    Date {
        left: Operand,
        certainly: bool,
        op: Spanned<DateOp>,
        when: Spanned<When>,
    },
}

/// `group by KEYS AGGREGATES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBy {
    pub keys: Vec<Operand>,
    pub aggregates: Vec<Aggregate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AggFunc {
    Count,
    CountDistinct(Operand),
    Min(Operand),
    Max(Operand),
    Sample(Operand),
}

/// An aggregate and the variable that names its value (`count as ?n`); the span covers the
/// function word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    pub func: AggFunc,
    pub name: Spanned<String>,
    pub span: Span,
}

/// What `order by` sorts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderExpr {
    Operand(Operand),
    /// `count`: the rows of each group.
    Count(Span),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderKey {
    pub expr: OrderExpr,
    pub descending: bool,
}

/// `limit N [offset M]` of `neighbors` and `timeline`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub limit: Option<Spanned<u32>>,
    pub offset: Option<Spanned<u32>>,
}

impl Page {
    pub fn is_empty(&self) -> bool {
        self.limit.is_none() && self.offset.is_none()
    }
}

impl Display for Page {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(limit) = &self.limit {
            write!(f, " limit {}", limit.node)?;
        }
        if let Some(offset) = &self.offset {
            write!(f, " offset {}", offset.node)?;
        }
        Ok(())
    }
}

impl ClearSpans for Page {
    fn clear_spans(&mut self) {
        self.limit.clear_spans();
        self.offset.clear_spans();
    }
}

// ---- printing: the canonical text, which parses back to the same tree ----

fn list<T>(
    f: &mut Formatter<'_>,
    items: &[T],
    sep: &str,
    each: impl Fn(&mut Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        each(f, item)?;
    }
    Ok(())
}

impl Display for Operand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Var(v) => write!(f, "?{}", v.node),
            Operand::Prop { var, prop } => write!(f, "?{}.{}", var.node, prop.node),
            Operand::Literal(l) if l.quoted || literal_needs_quotes(&l.text) => {
                write_quoted(f, &l.text)
            }
            Operand::Literal(l) => f.write_str(&l.text),
        }
    }
}

/// Whether a bare literal would not read back as the same one word in a condition.
pub fn literal_needs_quotes(text: &str) -> bool {
    text.is_empty()
        || text.starts_with(['?', '^'])
        || super::match_grammar::is_condition_word(text)
        || text.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, ',' | '"' | '#' | '(' | ')' | '[' | ']' | '{' | '}')
                || matches!(c, '=' | '<' | '>' | '!')
        })
}

impl Display for Cond {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        // An inner `or` in an `and`, and any compound under `not`, is parenthesised; the rest
        // binds as written.
        let inner = |f: &mut Formatter<'_>, c: &Cond, parens: bool| {
            if parens {
                write!(f, "({c})")
            } else {
                write!(f, "{c}")
            }
        };
        match self {
            Cond::And(items) => list(f, items, " and ", |f, c| {
                inner(f, c, matches!(c, Cond::Or(_) | Cond::And(_)))
            }),
            Cond::Or(items) => list(f, items, " or ", |f, c| {
                inner(f, c, matches!(c, Cond::Or(_)))
            }),
            Cond::Not(c) => {
                f.write_str("not ")?;
                inner(f, c, matches!(**c, Cond::And(_) | Cond::Or(_)))
            }
            Cond::Compare { left, op, right } => write!(f, "{left} {} {right}", op.node.symbol()),
            Cond::In { left, items } => {
                write!(f, "{left} in [")?;
                list(f, items, ", ", |f, i| write!(f, "{i}"))?;
                f.write_str("]")
            }
            Cond::Text { left, op, text } => {
                let word = match op.node {
                    TextOp::Contains => "contains",
                    TextOp::Matches => "matches",
                };
                write!(f, "{left} {word} ")?;
                write_quoted(f, &text.node)
            }
            Cond::Date {
                left,
                certainly,
                op,
                when,
            } => {
                write!(f, "{left} ")?;
                if *certainly {
                    f.write_str("certainly ")?;
                }
                write!(f, "{} {}", op.node.word(), when.node)
            }
        }
    }
}

impl Display for Aggregate {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.func {
            AggFunc::Count => f.write_str("count")?,
            AggFunc::CountDistinct(o) => write!(f, "count distinct {o}")?,
            AggFunc::Min(o) => write!(f, "min({o})")?,
            AggFunc::Max(o) => write!(f, "max({o})")?,
            AggFunc::Sample(o) => write!(f, "sample {o}")?,
        }
        write!(f, " as ?{}", self.name.node)
    }
}

impl Display for Block {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {{ ", self.kind.word())?;
        list(f, &self.patterns, ", ", |f, p| write!(f, "{p}"))?;
        if let Some(filter) = &self.filter {
            write!(f, " where {filter}")?;
        }
        f.write_str(" }")
    }
}

/// The blocks of a match, each after `, `: what follows its patterns.
pub(crate) fn write_blocks(f: &mut Formatter<'_>, clauses: &MatchClauses) -> fmt::Result {
    for block in &clauses.blocks {
        write!(f, ", {block}")?;
    }
    if let Some(filter) = &clauses.filter {
        write!(f, " where {filter}")?;
    }
    if let Some(group) = &clauses.group {
        f.write_str(" group by ")?;
        list(f, &group.keys, ", ", |f, k| write!(f, "{k}"))?;
        if !group.aggregates.is_empty() {
            f.write_str(" ")?;
            list(f, &group.aggregates, ", ", |f, a| write!(f, "{a}"))?;
        }
    }
    Ok(())
}

/// `order by`, `limit` and `offset`: what follows `select` and `count`.
pub(crate) fn write_tail(f: &mut Formatter<'_>, clauses: &MatchClauses) -> fmt::Result {
    if !clauses.order.is_empty() {
        f.write_str(" order by ")?;
        list(f, &clauses.order, ", ", |f, k| {
            match &k.expr {
                OrderExpr::Operand(o) => write!(f, "{o}")?,
                OrderExpr::Count(_) => f.write_str("count")?,
            }
            if k.descending {
                f.write_str(" desc")?;
            }
            Ok(())
        })?;
    }
    let page = Page {
        limit: clauses.limit.clone(),
        offset: clauses.offset.clone(),
    };
    write!(f, "{page}")
}

// ---- spans cleared, for comparing trees by meaning ----

impl ClearSpans for Operand {
    fn clear_spans(&mut self) {
        match self {
            Operand::Var(v) => v.clear_spans(),
            Operand::Prop { var, prop } => {
                var.clear_spans();
                prop.clear_spans();
            }
            Operand::Literal(l) => l.clear_spans(),
        }
    }
}

impl ClearSpans for Cond {
    fn clear_spans(&mut self) {
        match self {
            Cond::And(items) | Cond::Or(items) => items.clear_spans(),
            Cond::Not(c) => c.clear_spans(),
            Cond::Compare { left, op, right } => {
                left.clear_spans();
                op.clear_spans();
                right.clear_spans();
            }
            Cond::In { left, items } => {
                left.clear_spans();
                items.clear_spans();
            }
            Cond::Text { left, op, text } => {
                left.clear_spans();
                op.clear_spans();
                text.clear_spans();
            }
            Cond::Date { left, op, when, .. } => {
                left.clear_spans();
                op.clear_spans();
                when.clear_spans();
            }
        }
    }
}

impl ClearSpans for Aggregate {
    fn clear_spans(&mut self) {
        self.span = 0..0;
        self.name.clear_spans();
        match &mut self.func {
            AggFunc::Count => {}
            AggFunc::CountDistinct(o) | AggFunc::Min(o) | AggFunc::Max(o) | AggFunc::Sample(o) => {
                o.clear_spans()
            }
        }
    }
}

impl ClearSpans for Block {
    fn clear_spans(&mut self) {
        self.span = 0..0;
        self.patterns.clear_spans();
        self.filter.clear_spans();
    }
}

impl ClearSpans for OrderKey {
    fn clear_spans(&mut self) {
        match &mut self.expr {
            OrderExpr::Operand(o) => o.clear_spans(),
            OrderExpr::Count(span) => *span = 0..0,
        }
    }
}

impl ClearSpans for MatchClauses {
    fn clear_spans(&mut self) {
        self.blocks.clear_spans();
        self.filter.clear_spans();
        if let Some(group) = &mut self.group {
            group.keys.clear_spans();
            group.aggregates.clear_spans();
        }
        self.order.clear_spans();
        self.limit.clear_spans();
        self.offset.clear_spans();
    }
}
