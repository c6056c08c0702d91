//! The forms of the language, one method per command, on top of the cursor in `parse.rs`.
//!
//! Options after an entity may come in any order but each at most once; the keywords a position
//! accepts (its "stops") are also what ends a bare multi-word name there.

use super::ast::Spanned;
use super::ast::{
    AnswerFormat, Command, Direction, EntityRef, Evidence, ExportFormat, Focus, PathMode,
    PathQuery, Pattern, Query, RelTerm, SessionCommand, Statement, Term,
};
use super::error::ParseError;
use super::match_clause::MatchClauses;
use super::parse::{is_one_of, Expect, PResult, Parser};
use super::print::{clipped, size_text};
use super::{Slot, COMMANDS, QUERY_COMMANDS, SIZE_UNITS};
use crate::date::When;
use crate::diagnostic::did_you_mean;

const NEIGHBORS_OPTIONS: &[&str] = &["in", "out", "both", "via", "depth", "kind"];
const PATH_OPTIONS: &[&str] = &[
    "directed",
    "via",
    "avoid",
    "min",
    "max",
    "all",
    "shortest",
    "limit",
    "chronological",
];

/// The clauses any query may end with, in any order, each once.
const TIME_CLAUSES: &[&str] = &["at", "during", "reported"];

const TIMELINE_OPTIONS: &[&str] = &["from", "to"];
const ENTITIES_OPTIONS: &[&str] = &["kind", "matching"];

/// The keywords a query command takes after its names (besides `at`, which any query takes last).
fn options_of(command: &str) -> &'static [&'static str] {
    match command {
        "neighbors" => NEIGHBORS_OPTIONS,
        "path" => PATH_OPTIONS,
        "timeline" => TIMELINE_OPTIONS,
        "entities" => ENTITIES_OPTIONS,
        "search" => super::search::OPTIONS,
        _ => &[],
    }
}

pub(crate) const MAX_DEPTH: u32 = 1000;
pub(crate) const MAX_HOPS: u32 = 1000;
pub(crate) const MAX_COUNT: u32 = 1_000_000;
/// Items a list may hold (patterns of `match`, variables of `select`, relations of `via`, entities
/// of `avoid`). A join of 200 patterns already answers rows of 800 values, and every list is
/// walked per step of the search, so longer lists only buy time and memory for nothing.
pub const MAX_ITEMS: usize = 1000;
/// `set limit memory` from a megabyte (less would stop the smallest join) to a terabyte.
pub const MIN_MEMORY_LIMIT: u64 = 1 << 20;
pub const MAX_MEMORY_LIMIT: u64 = 1 << 40;

/// Why a word is not a memory limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeError {
    NotASize,
    OutOfRange,
}

impl std::fmt::Display for SizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SizeError::NotASize => {
                f.write_str("expected a size such as 512MB: a number and KB, MB, GB or TB")
            }
            SizeError::OutOfRange => write!(f, "the memory limit must be {}", range_text()),
        }
    }
}

fn range_text() -> String {
    format!(
        "a size from {} to {}",
        size_text(MIN_MEMORY_LIMIT),
        size_text(MAX_MEMORY_LIMIT)
    )
}

/// Bytes of a memory limit written `512MB`: a number and one of KB, MB, GB, TB (any case, each
/// 1024 of the one before), from [`MIN_MEMORY_LIMIT`] to [`MAX_MEMORY_LIMIT`]. What
/// `set limit memory` and `--memory-limit` take.
pub fn memory_limit(word: &str) -> Result<u64, SizeError> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = word.split_at(digits);
    let unit = SIZE_UNITS
        .iter()
        .find(|(name, _)| unit.eq_ignore_ascii_case(name))
        .map(|&(_, unit)| unit);
    let (Some(unit), false) = (unit, number.is_empty()) else {
        return Err(SizeError::NotASize);
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .filter(|b| (MIN_MEMORY_LIMIT..=MAX_MEMORY_LIMIT).contains(b))
        .ok_or(SizeError::OutOfRange)
}

impl Parser<'_> {
    pub fn statement(&mut self) -> PResult<Statement> {
        for c in COMMANDS {
            self.expect(Expect::Kw(c));
        }
        let Some(word) = self.peek().map(|t| t.word()) else {
            return Ok(Statement::Empty);
        };
        if word.is_some_and(super::question::is_question_word) {
            return self.question().map(Statement::Question);
        }
        let Some(word) = word.filter(|w| is_one_of(w, COMMANDS)) else {
            return Err(self.unknown_command());
        };
        if is_one_of(word, QUERY_COMMANDS) {
            return self.query().map(Statement::Query);
        }
        let keyword = word.to_ascii_lowercase();
        self.bump();
        let context = format!(" after `{keyword}`");
        let command = match keyword.as_str() {
            "help" => {
                let mut words = Vec::new();
                while let Some(w) = self.peek_word() {
                    words.push(w);
                    self.bump();
                }
                self.expect(Expect::Thing("a help topic"));
                SessionCommand::Help((!words.is_empty()).then(|| words.join(" ")))
            }
            "load" => SessionCommand::Load(self.path_token(&context)?),
            "reload" => SessionCommand::Reload,
            "set" => self.set()?,
            "timing" => SessionCommand::Timing(self.on_off(&context)?),
            "export" => return self.export().map(Statement::Command),
            _ => SessionCommand::Quit,
        };
        self.end(&context)?;
        Ok(Statement::Command(command))
    }

    fn on_off(&mut self, context: &str) -> PResult<bool> {
        match self.eat_any(&["on", "off"]) {
            Some((k, _)) => Ok(k == "on"),
            None => Err(self.unexpected(context)),
        }
    }

    fn set(&mut self) -> PResult<SessionCommand> {
        let Some((setting, _)) = self.eat_any(&[
            "format", "at", "during", "reported", "pager", "evidence", "limit",
        ]) else {
            return Err(self.unexpected(" after `set`"));
        };
        Ok(match setting {
            "format" => {
                let names = AnswerFormat::ALL.map(AnswerFormat::name);
                let Some((name, _)) = self.eat_any(&names) else {
                    return Err(self.unexpected(" after `set format`"));
                };
                // `eat_any` only returns one of `names`.
                let format = AnswerFormat::from_name(name).unwrap_or(AnswerFormat::Text);
                SessionCommand::SetFormat(format)
            }
            "at" => SessionCommand::SetAt(self.when_or_none("set at")?),
            "during" => SessionCommand::SetDuring(self.when_or_none("set during")?),
            "reported" => SessionCommand::SetReported(self.when_or_none("set reported")?),
            "evidence" => {
                let names = Evidence::ALL.map(Evidence::name);
                let Some((name, _)) = self.eat_any(&names) else {
                    return Err(self.unexpected(" after `set evidence`"));
                };
                // `eat_any` only returns one of `names`.
                SessionCommand::SetEvidence(Evidence::from_name(name).unwrap_or_default())
            }
            "limit" => {
                if self.eat_kw("memory").is_none() {
                    return Err(self.unexpected(" after `set limit`"));
                }
                SessionCommand::SetMemoryLimit(self.size(" after `set limit memory`")?)
            }
            _ => SessionCommand::SetPager(self.on_off(" after `set pager`")?),
        })
    }

    /// A memory limit such as `512MB` (see [`memory_limit`]).
    fn size(&mut self, context: &str) -> PResult<u64> {
        self.expect(Expect::Thing("a size such as 512MB"));
        let Some(word) = self.peek_word() else {
            return Err(self.unexpected(context));
        };
        match memory_limit(word) {
            Ok(bytes) => {
                self.bump();
                Ok(bytes)
            }
            Err(SizeError::NotASize) => Err(self.unexpected(context).suggest(Some(
                "write a number and a unit: KB, MB, GB or TB".to_string(),
            ))),
            Err(e @ SizeError::OutOfRange) => {
                Err(ParseError::new(self.span(), e.to_string()).expecting(range_text()))
            }
        }
    }

    fn export(&mut self) -> PResult<SessionCommand> {
        let names = ExportFormat::ALL.map(ExportFormat::name);
        // `eat_any` only returns one of `names`.
        let given = self
            .eat_any(&names)
            .map(|(name, _)| ExportFormat::from_name(name).unwrap_or(ExportFormat::Dot));
        let file = match given {
            Some(_) => self.path_token(" after the format of `export`")?,
            None => self.path_token(" after `export`")?,
        };
        let format = match given {
            Some(format) => format,
            None => export_format_of(&file)?,
        };
        let force = self.eat_kw("force").is_some();
        if self.eat_kw("focus").is_some() {
            let focus = self.focus()?;
            return Ok(SessionCommand::Export {
                format,
                file,
                force,
                query: None,
                focus: Some(focus),
            });
        }
        for c in QUERY_COMMANDS {
            self.expect(Expect::Kw(c));
        }
        self.expect(Expect::Thing("end of query"));
        let query = match self.peek_word() {
            None if self.peek().is_none() => None,
            Some(w) if is_one_of(w, QUERY_COMMANDS) => Some(self.query()?),
            _ => return Err(self.unexpected(" after the file of `export`")),
        };
        Ok(SessionCommand::Export {
            format,
            file,
            force,
            query,
            focus: None,
        })
    }

    /// `focus ENTITY [depth N]`, after `export FILE`; the name is read as `neighbors` reads it.
    fn focus(&mut self) -> PResult<Focus> {
        let entity = self.entity(Slot::NEIGHBORS, " after `focus`")?;
        let depth = match self.eat_kw("depth") {
            Some(_) => Some(self.number("depth", 1, MAX_DEPTH)?),
            None => None,
        };
        self.expect(Expect::Thing("end of query"));
        if self.peek().is_some() {
            return Err(self.unexpected(" after the entity of `focus`"));
        }
        Ok(Focus { entity, depth })
    }

    /// A query from its command word to the end of the line, with its optional `at DATE`.
    pub fn query(&mut self) -> PResult<Query> {
        let keyword = self.peek_word().unwrap_or("").to_ascii_lowercase();
        self.bump();
        let command = match keyword.as_str() {
            "neighbors" | "neighbours" => self.neighbors()?,
            "path" => self.path()?,
            "match" => self.match_patterns()?,
            "why" => {
                let subject = self.entity(Slot::OneWord, " after `why`")?;
                let relation = self.relation(" after the subject of `why`")?;
                let object = self.entity(Slot::LAST, " after the relation of `why`")?;
                Command::Why {
                    subject,
                    relation,
                    object,
                }
            }
            "show" => Command::Show {
                entity: self.entity(Slot::LAST, " after `show`")?,
            },
            "timeline" => self.timeline()?,
            "changes" => self.changes()?,
            "conflicts" => Command::Conflicts {
                entity: self.optional_entity(" after `conflicts`")?,
            },
            "entities" => self.entities()?,
            "relations" => Command::Relations,
            "sources" => Command::Sources,
            "search" => self.search()?,
            _ => Command::Stats,
        };
        let mut query = Query::timeless(command);
        loop {
            // Only the clauses not yet written are expected; one written twice is refused.
            let unused: Vec<&'static str> = TIME_CLAUSES
                .iter()
                .copied()
                .filter(|c| match *c {
                    "at" => query.at.is_none(),
                    "during" => query.during.is_none(),
                    _ => query.reported.is_none(),
                })
                .collect();
            if let Some(word) = self.peek_word().filter(|w| is_one_of(w, TIME_CLAUSES)) {
                if !is_one_of(word, &unused) {
                    let word = word.to_ascii_lowercase();
                    return Err(
                        ParseError::new(self.span(), format!("`{word}` is written twice")).suggest(
                            Some(
                                "a query takes each of `at`, `during` and `reported` once"
                                    .to_string(),
                            ),
                        ),
                    );
                }
            }
            // `count` may also follow the time clauses, as people say it: `match ... during
            // 2018-09 count`; it prints back before them.
            if let Command::Match {
                count: count @ false,
                clauses,
                select,
                ..
            } = &mut query.command
            {
                if clauses.group.is_none()
                    && clauses.order.is_empty()
                    && clauses.limit.is_none()
                    && select.is_empty()
                    && self.eat_kw("count").is_some()
                {
                    *count = true;
                    continue;
                }
            }
            let Some((clause, _)) = self.eat_any(&unused) else {
                break;
            };
            let when = Some(self.when(clause)?);
            match clause {
                "at" => query.at = when,
                "during" => query.during = when,
                _ => query.reported = when,
            }
        }
        let timed = query.at.is_some() || query.during.is_some() || query.reported.is_some();
        self.end("")
            .map_err(|e| self.out_of_place(e, &keyword, timed))?;
        Ok(query)
    }

    /// A date after `keyword`, or `none` to clear a setting.
    fn when_or_none(&mut self, keyword: &str) -> PResult<Option<Spanned<When>>> {
        self.expect(Expect::Kw("none"));
        match self.eat_kw("none") {
            Some(_) => Ok(None),
            None => Ok(Some(self.when(keyword)?)),
        }
    }

    /// A keyword where the query ends (`timeline ... via captured`, `... at 2017 via near`): say
    /// why it cannot stand there, rather than leave a bare list of what could.
    fn out_of_place(&self, mut error: ParseError, command: &str, after_at: bool) -> ParseError {
        let stray = self.peek_word().filter(|w| super::is_keyword(w));
        if let (Some(word), None) = (stray, &error.suggestion) {
            let word = word.to_ascii_lowercase();
            let command = if command == "neighbours" {
                "neighbors"
            } else {
                command
            };
            error.suggestion = Some(if after_at && is_one_of(&word, options_of(command)) {
                format!("`at`, `during` and `reported` end a query: put `{word}` and what follows it before them")
            } else {
                format!("`{word}` is not an option of `{command}`; `help {command}` shows what it takes")
            });
        }
        error
    }

    fn neighbors(&mut self) -> PResult<Command> {
        let entity = self.entity(Slot::NEIGHBORS, " after `neighbors`")?;
        let (mut direction, mut via, mut depth, mut kind) = (None, None, None, None);
        while let Some((keyword, span)) = self.eat_any(NEIGHBORS_OPTIONS) {
            match keyword {
                "via" if via.is_some() => return Err(Self::twice(span, "`via`")),
                "via" => via = Some(self.relations("via")?),
                "depth" if depth.is_some() => return Err(Self::twice(span, "`depth`")),
                "depth" => depth = Some(self.number("depth", 1, MAX_DEPTH)?),
                "kind" if kind.is_some() => return Err(Self::twice(span, "`kind`")),
                "kind" => kind = Some(self.word("a kind", " after `kind`")?),
                _ if direction.is_some() => return Err(Self::twice(span, "a direction")),
                "in" => direction = Some(Direction::In),
                "out" => direction = Some(Direction::Out),
                _ => direction = Some(Direction::Both),
            }
        }
        Ok(Command::Neighbors {
            entity,
            direction: direction.unwrap_or(Direction::Both),
            via: via.unwrap_or_default(),
            depth,
            kind,
            page: self.page()?,
        })
    }

    fn path(&mut self) -> PResult<Command> {
        let first = self.pos;
        let from = self.entity(Slot::PATH_FROM, " after `path`")?;
        if self.eat_kw("to").is_none() {
            return Err(self.missing_to(first, &from.text));
        }
        let to = self.entity(Slot::PATH_TO, " after `to`")?;
        let (mut directed, mut chronological) = (false, false);
        let (mut via, mut avoid, mut min, mut max) = (None, None, None, None);
        let (mut avoid_via, mut avoid_kinds) = (None, None);
        let (mut mode, mut limit) = (None, None);
        while let Some((keyword, span)) = self.eat_any(PATH_OPTIONS) {
            match keyword {
                "directed" if directed => return Err(Self::twice(span, "`directed`")),
                "directed" => directed = true,
                "via" if via.is_some() => return Err(Self::twice(span, "`via`")),
                "via" => via = Some(self.relations("via")?),
                "chronological" if chronological => {
                    return Err(Self::twice(span, "`chronological`"))
                }
                "chronological" => chronological = true,
                "avoid" => {
                    self.expect(Expect::Kw("via"));
                    self.expect(Expect::Kw("kind"));
                    if self.is_kw("via") {
                        let via_span = self.span();
                        self.bump();
                        if avoid_via.is_some() {
                            return Err(Self::twice(span.start..via_span.end, "`avoid via`"));
                        }
                        avoid_via = Some(self.relations("avoid via")?);
                    } else if self.at_avoid_kind() {
                        let kind_span = self.span();
                        self.bump();
                        if avoid_kinds.is_some() {
                            return Err(Self::twice(span.start..kind_span.end, "`avoid kind`"));
                        }
                        let mut kinds = vec![self.word("a kind", " after `avoid kind`")?];
                        while self.eat_comma() {
                            self.room_for(kinds.len(), "`avoid kind` takes", "kinds")?;
                            kinds.push(self.word("a kind", " after `,`")?);
                        }
                        avoid_kinds = Some(kinds);
                    } else if avoid.is_some() {
                        return Err(Self::twice(span, "`avoid`"));
                    } else {
                        let mut names = vec![self.entity(Slot::AVOID, " after `avoid`")?];
                        while self.eat_comma() {
                            self.room_for(names.len(), "`avoid` takes", "entities")?;
                            names.push(self.entity(Slot::AVOID, " after `,`")?);
                        }
                        avoid = Some(names);
                    }
                }
                "min" if min.is_some() => return Err(Self::twice(span, "`min`")),
                "min" => min = Some(self.number("min", 1, MAX_HOPS)?),
                "max" if max.is_some() => return Err(Self::twice(span, "`max`")),
                "max" => max = Some(self.number("max", 1, MAX_HOPS)?),
                "limit" if limit.is_some() => return Err(Self::twice(span, "`limit`")),
                "limit" => limit = Some(self.number("limit", 1, MAX_COUNT)?),
                _ if mode.is_some() => {
                    return Err(ParseError::new(
                        span,
                        format!("`{keyword}` conflicts with an earlier `all` or `shortest`"),
                    )
                    .suggest(Some("choose one of `all` and `shortest K`".to_string())))
                }
                "all" => mode = Some(PathMode::All),
                _ => {
                    let k = match self.peek_word() {
                        Some(w) if w.bytes().all(|b| b.is_ascii_digit()) => {
                            Some(self.number("shortest", 1, MAX_COUNT)?)
                        }
                        _ => None,
                    };
                    mode = Some(PathMode::Shortest(k));
                }
            }
        }
        if let (Some(lo), Some(hi)) = (&min, &max) {
            if lo.node > hi.node {
                return Err(ParseError::new(
                    hi.span.clone(),
                    format!("`max` ({}) is less than `min` ({})", hi.node, lo.node),
                )
                .expecting(format!("a number from {} to {MAX_HOPS}", lo.node)));
            }
        }
        Ok(Command::Path(PathQuery {
            from,
            to,
            directed,
            via: via.unwrap_or_default(),
            avoid: avoid.unwrap_or_default(),
            avoid_via: avoid_via.unwrap_or_default(),
            avoid_kinds: avoid_kinds.unwrap_or_default(),
            chronological,
            min,
            max,
            mode: mode.unwrap_or(PathMode::Shortest(None)),
            limit,
        }))
    }

    fn is_kw(&self, keyword: &str) -> bool {
        self.peek_word()
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    }

    /// `avoid kind K`: an entity named `kind` is quoted there (`kind` ends names after `avoid`).
    fn at_avoid_kind(&self) -> bool {
        self.is_kw("kind")
    }

    /// No `to` after the first entity of `path`. A bare name swallows every word up to `to`, so a
    /// misspelled `to` ends up inside it: point at that word rather than at the end of the line.
    fn missing_to(&self, first: usize, name: &str) -> ParseError {
        let context = " after the first entity of `path`";
        let inside = self.toks.get(first + 1..self.pos).unwrap_or(&[]);
        let typo = inside.iter().find(|t| {
            t.word()
                .is_some_and(|w| !did_you_mean(w, ["to"]).is_empty())
        });
        match typo {
            Some(t) => ParseError::new(t.span.clone(), format!("expected `to`{context}"))
                .expecting("`to`")
                .suggest(Some(format!(
                    "did you mean `to`? (`{}` was read as part of the name `{}`)",
                    clipped(t.word().unwrap_or("")),
                    clipped(name)
                ))),
            None => self.unexpected(context),
        }
    }

    fn match_patterns(&mut self) -> PResult<Command> {
        let mut patterns = Vec::new();
        let mut clauses = MatchClauses::default();
        loop {
            if self.at_block() {
                self.room_for(clauses.blocks.len(), "a `match` takes", "blocks")?;
                clauses.blocks.push(self.block()?);
            } else {
                self.room_for(patterns.len(), "a `match` takes", "patterns")?;
                patterns.push(self.pattern()?);
            }
            if !self.eat_comma() {
                break;
            }
        }
        if patterns.is_empty() {
            let span = clauses.blocks.first().map_or(0..0, |b| b.span.clone());
            return Err(
                ParseError::new(span, "a `match` needs a pattern outside its blocks")
                    .expecting("a pattern"),
            );
        }
        self.match_clauses(&mut clauses)?;
        let mut select = Vec::new();
        self.expect(Expect::Kw("select"));
        if self.eat_kw("select").is_some() {
            select.push(self.var()?);
            while self.eat_comma() {
                self.room_for(select.len(), "`select` takes", "variables")?;
                select.push(self.var()?);
            }
        }
        self.expect(Expect::Kw("count"));
        let count = self.eat_kw("count").is_some();
        self.match_tail(&mut clauses)?;
        if let Some(word) = self.peek_word().filter(|w| !is_one_of(w, TIME_CLAUSES)) {
            for clause in TIME_CLAUSES {
                self.expect(Expect::Kw(clause));
            }
            self.expect(Expect::Thing("end of query"));
            let mut error = self.unexpected("");
            if let (Some(Term::Entity(e)), None) =
                (patterns.last().map(|p| &p.object), &error.suggestion)
            {
                let joined = format!("{} {word}", e.text);
                error.suggestion = Some(format!(
                    "names in `match` patterns are one word unless quoted: {}",
                    clipped(&super::print::quoted_string(&joined))
                ));
            }
            return Err(error);
        }
        Ok(Command::Match {
            patterns,
            select,
            count,
            clauses: Box::new(clauses),
        })
    }

    pub(crate) fn pattern(&mut self) -> PResult<Pattern> {
        let subject = self.term(" at the start of a `match` pattern")?;
        let relation = match self.peek_word() {
            Some(w) if w.starts_with('?') => RelTerm::Var(self.var()?),
            _ => {
                self.expect(Expect::Thing("a variable"));
                self.rel_term(" after the subject of a `match` pattern")?
            }
        };
        let object = self.term(" after the relation of a `match` pattern")?;
        let fact = match self.eat_kw("as") {
            Some(_) => Some(self.var()?),
            None => None,
        };
        Ok(Pattern {
            subject,
            relation,
            object,
            fact,
        })
    }

    fn term(&mut self, context: &str) -> PResult<Term> {
        match self.peek_word() {
            Some(w) if w.starts_with('?') => Ok(Term::Var(self.var()?)),
            _ => {
                self.expect(Expect::Thing("a variable"));
                Ok(Term::Entity(self.entity(Slot::OneWord, context)?))
            }
        }
    }

    fn timeline(&mut self) -> PResult<Command> {
        const STOPS: &[&str] = Slot::TIMELINE.stops();
        let named = match self.peek_word() {
            Some(w) => !is_one_of(w, STOPS),
            None => self.peek().is_some(),
        };
        self.expect(Expect::Thing("an entity name"));
        let entity = match named {
            true => Some(self.entity(Slot::TIMELINE, " after `timeline`")?),
            false => None,
        };
        let (mut from, mut to) = (None, None);
        while let Some((keyword, span)) = self.eat_any(TIMELINE_OPTIONS) {
            match keyword {
                "from" if from.is_some() => return Err(Self::twice(span, "`from`")),
                "from" => from = Some(self.point("from", STOPS)?),
                _ if to.is_some() => return Err(Self::twice(span, "`to`")),
                _ => to = Some(self.point("to", STOPS)?),
            }
        }
        // A reversed range holds no day: say so rather than answer with nothing.
        if let (Some(first), Some(last)) = (&from, &to) {
            if first.node.first_day() > last.node.last_day() {
                return Err(ParseError::new(
                    last.span.clone(),
                    format!(
                        "this range ends ({}) before it starts ({})",
                        last.node, first.node
                    ),
                )
                .expecting(format!("a date from {} on", first.node)));
            }
        }
        let page = self.page()?;
        Ok(Command::Timeline {
            entity,
            from,
            to,
            page,
        })
    }

    /// `changes [ENTITY]`: the entity is optional, so a time clause may follow the word at once.
    fn changes(&mut self) -> PResult<Command> {
        let word = self
            .pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0..0, |t| t.span.clone());
        let entity = self.optional_entity(" after `changes`")?;
        Ok(Command::Changes { entity, word })
    }

    /// The entity a command may name last (`changes`, `conflicts`): absent when the line ends or
    /// a time clause follows at once.
    fn optional_entity(&mut self, after: &str) -> PResult<Option<EntityRef>> {
        let named = match self.peek_word() {
            Some(w) => !is_one_of(w, Slot::LAST.stops()),
            None => self.peek().is_some(),
        };
        self.expect(Expect::Thing("an entity name"));
        match named {
            true => Ok(Some(self.entity(Slot::LAST, after)?)),
            false => Ok(None),
        }
    }

    fn entities(&mut self) -> PResult<Command> {
        let (mut kind, mut matching) = (None, None);
        while let Some((keyword, span)) = self.eat_any(ENTITIES_OPTIONS) {
            match keyword {
                "kind" if kind.is_some() => return Err(Self::twice(span, "`kind`")),
                "kind" => kind = Some(self.word("a kind", " after `kind`")?),
                _ if matching.is_some() => return Err(Self::twice(span, "`matching`")),
                _ => {
                    let text = self.entity(Slot::MATCHING, " after `matching`")?;
                    matching = Some(super::ast::Spanned::new(text.text, text.span));
                }
            }
        }
        Ok(Command::Entities { kind, matching })
    }
}

/// The format `export FILE` means by the file's name (`z.png`); without one it must be written.
fn export_format_of(file: &super::ast::Spanned<String>) -> PResult<ExportFormat> {
    ExportFormat::from_file_name(&file.node).ok_or_else(|| {
        ParseError::new(
            file.span.clone(),
            format!(
                "cannot tell the export format from the name `{}`",
                file.node
            ),
        )
        .expecting(format!(
            "a name ending in {}",
            ExportFormat::extension_list()
        ))
        .suggest(Some(format!(
            "or write the format first: export {} {}",
            ExportFormat::choices(),
            file.node
        )))
    })
}
