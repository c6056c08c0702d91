//! Prints a syntax tree back as query text that parses to the same tree (the round-trip property).
//!
//! The canonical form writes `neighbors` (not `neighbours`), leaves out defaults (`both`, the single
//! shortest path), orders options as the grammar lists them, and quotes a name only when it was
//! quoted or a bare name would not parse back.

use super::ast::{
    Command, Direction, EntityRef, PathMode, PathQuery, Pattern, Query, Question, RelRef, RelTerm,
    SessionCommand, Shape, Spanned, Statement, Term,
};
use super::parse::is_one_of;
use super::Slot;
use std::borrow::Cow;
use std::fmt::{self, Display, Formatter, Write};

/// Whether `text` must be quoted to parse back as one name in `slot`: it is empty, starts with `?`
/// or `^`, has a space in a one-word slot or a word that ends names there, or holds `,` `"` `#`, a
/// control character or whitespace other than single spaces between words.
pub fn needs_quotes(text: &str, slot: Slot) -> bool {
    if slot == Slot::OneWord && text.contains(' ') {
        return true;
    }
    text.starts_with(['?', '^'])
        || text.split(' ').any(|w| {
            w.is_empty()
                || is_one_of(w, slot.stops())
                || w.chars()
                    .any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '#'))
        })
}

/// Writes `text` in double quotes, escaping `"` and `\`.
pub fn write_quoted(f: &mut impl Write, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

/// `text` in double quotes, escaped.
pub fn quoted_string(text: &str) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_quoted(&mut out, text);
    out
}

/// Characters of a name or token a message repeats, at most: the head and tail of anything longer.
const CLIP_HEAD: usize = 40;
const CLIP_TAIL: usize = 16;

/// `text` as a message may repeat it: whole if short, else its first 40 and last 16 characters
/// around `…`, so that a line of 50 MB read as one name gives an error of a few lines. O(1) in
/// the length of `text`.
pub fn clipped(text: &str) -> Cow<'_, str> {
    if text.len() <= CLIP_HEAD + CLIP_TAIL + 4 {
        return Cow::Borrowed(text);
    }
    let head = text
        .char_indices()
        .nth(CLIP_HEAD)
        .map_or(text.len(), |(i, _)| i);
    let tail = text
        .char_indices()
        .rev()
        .nth(CLIP_TAIL - 1)
        .map_or(0, |(i, _)| i);
    if tail <= head {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("{}…{}", &text[..head], &text[tail..]))
}

/// Units of `set limit memory`, largest first; each is 1024 of the next.
pub const SIZE_UNITS: [(&str, u64); 4] = [
    ("TB", 1 << 40),
    ("GB", 1 << 30),
    ("MB", 1 << 20),
    ("KB", 1 << 10),
];

/// A number of bytes as `set limit memory` takes it: in the largest unit that divides it exactly
/// (`512MB`, `1536KB`), in bytes (`100B`) if none does.
pub fn size_text(bytes: u64) -> String {
    SIZE_UNITS
        .iter()
        .find(|(_, unit)| bytes >= *unit && bytes % unit == 0)
        .map_or_else(
            || format!("{bytes}B"),
            |(name, unit)| format!("{}{name}", bytes / unit),
        )
}

pub(super) fn write_name(
    f: &mut Formatter<'_>,
    text: &str,
    quoted: bool,
    slot: Slot,
) -> fmt::Result {
    if quoted || needs_quotes(text, slot) {
        write_quoted(f, text)
    } else {
        f.write_str(text)
    }
}

fn entity(f: &mut Formatter<'_>, e: &EntityRef, slot: Slot) -> fmt::Result {
    write_name(f, &e.text, e.quoted, slot)
}

impl Display for RelRef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.inverse {
            f.write_char('^')?;
        }
        if relation_needs_quotes(&self.name) {
            write_quoted(f, &self.name)
        } else {
            f.write_str(&self.name)
        }
    }
}

/// A relation label as a query would type it: `^"Make statement"` for the label `^Make statement`.
pub fn relation_as_typed(label: &str) -> String {
    let (caret, name) = match label.strip_prefix('^') {
        Some(name) if !name.is_empty() => ("^", name),
        _ => ("", label),
    };
    if relation_needs_quotes(name) {
        format!("{caret}{}", quoted_string(name))
    } else {
        label.to_string()
    }
}

/// Whether a relation name must be quoted to be read back as one word (`"Make statement"`).
/// Keywords need no quotes: a relation's position takes any word.
pub fn relation_needs_quotes(name: &str) -> bool {
    name.is_empty()
        || name.starts_with(['?', '^'])
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '#'))
        || name.contains(super::rel_path::PATH_CHARS)
}

fn list<T>(
    f: &mut Formatter<'_>,
    items: &[T],
    mut each: impl FnMut(&mut Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        each(f, item)?;
    }
    Ok(())
}

fn rels(f: &mut Formatter<'_>, via: &[RelRef]) -> fmt::Result {
    if via.is_empty() {
        return Ok(());
    }
    f.write_str(" via ")?;
    list(f, via, |f, r| write!(f, "{r}"))
}

fn number(f: &mut Formatter<'_>, keyword: &str, n: &Option<Spanned<u32>>) -> fmt::Result {
    match n {
        Some(n) => write!(f, " {keyword} {}", n.node),
        None => Ok(()),
    }
}

fn term(f: &mut Formatter<'_>, t: &Term) -> fmt::Result {
    match t {
        Term::Entity(e) => entity(f, e, Slot::OneWord),
        Term::Var(v) => write!(f, "?{}", v.node),
    }
}

impl Display for Pattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        term(f, &self.subject)?;
        match &self.relation {
            RelTerm::Rel(r) => write!(f, " {r} ")?,
            RelTerm::Var(v) => write!(f, " ?{} ", v.node)?,
            RelTerm::Path(p) => write!(f, " {p} ")?,
        }
        term(f, &self.object)?;
        match &self.fact {
            Some(v) => write!(f, " as ?{}", v.node),
            None => Ok(()),
        }
    }
}

impl Display for PathQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("path ")?;
        entity(f, &self.from, Slot::PATH_FROM)?;
        f.write_str(" to ")?;
        entity(f, &self.to, Slot::PATH_TO)?;
        if self.directed {
            f.write_str(" directed")?;
        }
        rels(f, &self.via)?;
        if !self.avoid.is_empty() {
            f.write_str(" avoid ")?;
            list(f, &self.avoid, |f, e| entity(f, e, Slot::AVOID))?;
        }
        if !self.avoid_via.is_empty() {
            f.write_str(" avoid via ")?;
            list(f, &self.avoid_via, |f, r| write!(f, "{r}"))?;
        }
        if !self.avoid_kinds.is_empty() {
            f.write_str(" avoid kind ")?;
            list(f, &self.avoid_kinds, |f, k| f.write_str(&k.node))?;
        }
        if self.chronological {
            f.write_str(" chronological")?;
        }
        number(f, "min", &self.min)?;
        number(f, "max", &self.max)?;
        match &self.mode {
            PathMode::All => f.write_str(" all")?,
            PathMode::Shortest(k) => number(f, "shortest", k)?,
        }
        number(f, "limit", &self.limit)
    }
}

impl Display for Command {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Command::Neighbors {
                entity: e,
                direction,
                via,
                depth,
                kind,
                page,
            } => {
                f.write_str("neighbors ")?;
                entity(f, e, Slot::NEIGHBORS)?;
                match direction {
                    Direction::Out => f.write_str(" out")?,
                    Direction::In => f.write_str(" in")?,
                    Direction::Both => {}
                }
                rels(f, via)?;
                number(f, "depth", depth)?;
                if let Some(kind) = kind {
                    write!(f, " kind {}", kind.node)?;
                }
                write!(f, "{page}")
            }
            Command::Path(path) => path.fmt(f),
            Command::Match {
                patterns,
                select,
                count,
                clauses,
            } => {
                f.write_str("match ")?;
                list(f, patterns, |f, p| write!(f, "{p}"))?;
                super::match_clause::write_blocks(f, clauses)?;
                if !select.is_empty() {
                    f.write_str(" select ")?;
                    list(f, select, |f, v| write!(f, "?{}", v.node))?;
                }
                if *count {
                    f.write_str(" count")?;
                }
                super::match_clause::write_tail(f, clauses)
            }
            Command::Why {
                subject,
                relation,
                object,
            } => {
                f.write_str("why ")?;
                entity(f, subject, Slot::OneWord)?;
                write!(f, " {relation} ")?;
                entity(f, object, Slot::LAST)
            }
            Command::Show { entity: e } => {
                f.write_str("show ")?;
                entity(f, e, Slot::LAST)
            }
            Command::Timeline {
                entity: e,
                from,
                to,
                page,
            } => {
                f.write_str("timeline")?;
                if let Some(e) = e {
                    f.write_char(' ')?;
                    entity(f, e, Slot::TIMELINE)?;
                }
                if let Some(from) = from {
                    write!(f, " from {}", from.node)?;
                }
                if let Some(to) = to {
                    write!(f, " to {}", to.node)?;
                }
                write!(f, "{page}")
            }
            Command::Changes { entity: e, .. } => {
                f.write_str("changes")?;
                if let Some(e) = e {
                    f.write_char(' ')?;
                    entity(f, e, Slot::LAST)?;
                }
                Ok(())
            }
            Command::Conflicts { entity: e } => {
                f.write_str("conflicts")?;
                if let Some(e) = e {
                    f.write_char(' ')?;
                    entity(f, e, Slot::LAST)?;
                }
                Ok(())
            }
            Command::Entities { kind, matching } => {
                f.write_str("entities")?;
                if let Some(kind) = kind {
                    write!(f, " kind {}", kind.node)?;
                }
                if let Some(text) = matching {
                    f.write_str(" matching ")?;
                    write_name(f, &text.node, false, Slot::MATCHING)?;
                }
                Ok(())
            }
            Command::Relations => f.write_str("relations"),
            Command::Sources => f.write_str("sources"),
            Command::Stats => f.write_str("stats"),
            Command::Search(search) => write!(f, "{search}"),
        }
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.command, self.scope())
    }
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

impl Display for SessionCommand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SessionCommand::Help(None) => f.write_str("help"),
            SessionCommand::Help(Some(topic)) => write!(f, "help {topic}"),
            SessionCommand::Load(file) => {
                f.write_str("load ")?;
                write_name(f, &file.node, false, Slot::OneWord)
            }
            SessionCommand::Reload => f.write_str("reload"),
            SessionCommand::Quit => f.write_str("quit"),
            SessionCommand::SetFormat(format) => write!(f, "set format {}", format.name()),
            SessionCommand::SetAt(None) => f.write_str("set at none"),
            SessionCommand::SetAt(Some(at)) => write!(f, "set at {}", at.node),
            SessionCommand::SetDuring(None) => f.write_str("set during none"),
            SessionCommand::SetDuring(Some(period)) => write!(f, "set during {}", period.node),
            SessionCommand::SetReported(None) => f.write_str("set reported none"),
            SessionCommand::SetReported(Some(date)) => write!(f, "set reported {}", date.node),
            SessionCommand::SetPager(on) => write!(f, "set pager {}", on_off(*on)),
            SessionCommand::SetEvidence(evidence) => write!(f, "set evidence {}", evidence.name()),
            SessionCommand::SetMemoryLimit(bytes) => {
                write!(f, "set limit memory {}", size_text(*bytes))
            }
            SessionCommand::Timing(on) => write!(f, "timing {}", on_off(*on)),
            SessionCommand::Export {
                format,
                file,
                force,
                query,
                focus,
            } => {
                write!(f, "export {} ", format.name())?;
                write_name(f, &file.node, false, Slot::OneWord)?;
                if *force {
                    f.write_str(" force")?;
                }
                if let Some(focus) = focus {
                    f.write_str(" focus ")?;
                    entity(f, &focus.entity, Slot::NEIGHBORS)?;
                    if let Some(depth) = &focus.depth {
                        write!(f, " depth {}", depth.node)?;
                    }
                }
                match query {
                    Some(q) => write!(f, " {q}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// The canonical phrasing: `did` as `when did`, `does` and `do` as `did`.
impl Display for Question {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let asks = self.asks.node.word();
        match &self.shape {
            Shape::Subject { relation, object } => {
                write!(f, "{asks} {relation} ")?;
                entity(f, object, Slot::LAST)?;
            }
            Shape::Object { subject, relation } => {
                write!(f, "{asks} did ")?;
                entity(f, subject, Slot::LAST)?;
                write!(f, " {relation}")?;
            }
            Shape::When {
                subject,
                relation,
                object,
            } => {
                write!(f, "{asks} did ")?;
                entity(f, subject, Slot::OneWord)?;
                write!(f, " {relation} ")?;
                entity(f, object, Slot::LAST)?;
            }
            Shape::Is { entity: e } => {
                write!(f, "{asks} is ")?;
                entity(f, e, Slot::LAST)?;
            }
        }
        match &self.at {
            Some(at) => write!(f, " at {}", at.node),
            None => Ok(()),
        }
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Query(q) => write!(f, "{q}"),
            Statement::Command(c) => write!(f, "{c}"),
            Statement::Question(q) => write!(f, "{q}"),
            Statement::Empty => Ok(()),
        }
    }
}
