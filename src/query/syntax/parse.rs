//! Turns one line of query text into a spanned [`Statement`], or says what was expected where.
//!
//! The language is flat (a command word, then options and lists), so the grammar is a cursor over
//! tokens rather than nested nom combinators (nom does the lexing): each position declares the
//! keywords it accepts, which both ends bare multi-word names and, when something else is found,
//! becomes the "expected ..." list of the error. Nothing nests, so no input makes the parser recurse.
//! The query forms live in `grammar.rs`; this file holds the entry points and the shared pieces
//! (names, relations, numbers, dates, errors).

use super::ast::{EntityRef, RelRef, Span, Spanned, Statement};
use super::error::ParseError;
use super::grammar::MAX_ITEMS;
use super::lexer::{is_number, is_var_name, lex, Tok, Token, MAX_TOKENS};
use super::print::{clipped, quoted_string};
use super::{is_keyword, Slot, COMMANDS};
use crate::date::{self, DateError};
use crate::diagnostic::{did_you_mean, suggestion_text};

/// Parses one line: a query, a session command, or nothing (blank or only a comment).
/// A single trailing line ending is ignored; any other control character is an error.
pub fn parse_statement(line: &str) -> Result<Statement, ParseError> {
    let line = line
        .strip_suffix('\n')
        .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
    let mut parser = Parser::new(line)?;
    let parsed = parser.statement();
    let Some(cut) = parser.cut else {
        return parsed;
    };
    // Only the tokens before the cut were read. An error that ends before the last of them is
    // the line's own (a list too long, a misspelled keyword); any other outcome only says the
    // line was cut, and the line is refused for its length.
    let last = parser.toks.last().map_or(0, |t| t.span.start);
    match parsed {
        Err(e) if e.span.end <= last => Err(e),
        _ => Err(ParseError::new(
            cut..cut + line[cut..].chars().next().map_or(0, char::len_utf8),
            format!("a query line holds at most {MAX_TOKENS} words, names and commas"),
        )
        .suggest(Some(
            "no query needs so many; split the work into several queries".to_string(),
        ))),
    }
}

/// What the parser looked for at the end of `head`: the keywords completion may offer there.
pub(crate) fn expected_at_end(head: &str) -> Vec<Expect> {
    let Ok(mut parser) = Parser::new(head) else {
        return Vec::new();
    };
    if parser.cut.is_some() {
        return Vec::new();
    }
    let _ = parser.statement();
    if parser.pos >= parser.toks.len() {
        parser.expected
    } else {
        Vec::new()
    }
}

/// One thing the grammar would accept at the current token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    Kw(&'static str),
    Thing(&'static str),
}

impl Expect {
    fn text(self) -> String {
        match self {
            Expect::Kw(k) => format!("`{k}`"),
            Expect::Thing(t) => t.to_string(),
        }
    }
}

pub(crate) type PResult<T> = Result<T, ParseError>;

pub(crate) struct Parser<'a> {
    pub line: &'a str,
    pub toks: Vec<Token<'a>>,
    /// Where the tokens past [`MAX_TOKENS`] start, when the line has more.
    pub cut: Option<usize>,
    pub pos: usize,
    /// Everything tested at `pos` so far; cleared whenever the cursor moves.
    pub expected: Vec<Expect>,
    /// Whether the tokens past the patterns of a `match` were split at brackets and operators.
    pub refined: bool,
}

pub(crate) fn is_one_of(word: &str, keywords: &[&str]) -> bool {
    keywords.iter().any(|k| word.eq_ignore_ascii_case(k))
}

impl<'a> Parser<'a> {
    pub fn new(line: &'a str) -> PResult<Parser<'a>> {
        let lexed = lex(line)?;
        Ok(Parser {
            line,
            toks: lexed.tokens,
            cut: lexed.cut,
            pos: 0,
            expected: Vec::new(),
            refined: false,
        })
    }

    pub fn peek(&self) -> Option<&Token<'a>> {
        self.toks.get(self.pos)
    }

    pub fn peek_word(&self) -> Option<&'a str> {
        match self.toks.get(self.pos)?.tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    pub fn bump(&mut self) {
        self.pos += 1;
        self.expected.clear();
    }

    pub fn expect(&mut self, e: Expect) {
        if !self.expected.contains(&e) {
            self.expected.push(e);
        }
    }

    /// The current token's span, or an empty span just after the last token.
    pub fn span(&self) -> Span {
        match self.peek() {
            Some(t) => t.span.clone(),
            None => {
                let end = self.toks.last().map_or(0, |t| t.span.end);
                end..end
            }
        }
    }

    /// Consumes `keyword` if it is next (any case).
    pub fn eat_kw(&mut self, keyword: &'static str) -> Option<Span> {
        self.eat_any(&[keyword]).map(|(_, span)| span)
    }

    /// Consumes whichever of `keywords` is next, returning it in its canonical spelling.
    pub fn eat_any(&mut self, keywords: &[&'static str]) -> Option<(&'static str, Span)> {
        for k in keywords {
            self.expect(Expect::Kw(k));
        }
        let word = self.peek_word()?;
        let found = keywords.iter().find(|k| word.eq_ignore_ascii_case(k))?;
        let span = self.span();
        self.bump();
        Some((found, span))
    }

    pub fn eat_comma(&mut self) -> bool {
        self.expect(Expect::Thing("`,`"));
        let comma = matches!(
            self.peek(),
            Some(Token {
                tok: Tok::Comma,
                ..
            })
        );
        if comma {
            self.bump();
        }
        comma
    }

    pub fn end(&mut self, context: &str) -> PResult<()> {
        self.expect(Expect::Thing("end of query"));
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.unexpected(context)),
        }
    }

    /// "expected <everything tested here><context>, found <token>", with a did-you-mean when the
    /// token is a misspelled keyword.
    pub fn unexpected(&self, context: &str) -> ParseError {
        let expected: Vec<String> = self.expected.iter().map(|e| e.text()).collect();
        let mut error = ParseError {
            span: self.span(),
            message: String::new(),
            expected,
            suggestion: None,
        };
        let list = error.expected_text().unwrap_or_else(|| "more".to_string());
        error.message = match self.peek() {
            Some(t) => format!("{list}{context}, found {}", t.describe(self.line)),
            None => format!("{list}{context}"),
        };
        if let Some(word) = self.peek_word() {
            let keywords = self.expected.iter().filter_map(|e| match e {
                Expect::Kw(k) => Some(*k),
                Expect::Thing(_) => None,
            });
            error.suggestion = suggestion_text(&did_you_mean(word, keywords));
        }
        error
    }

    /// An entity name: a quoted string, or bare words as `slot` allows, joined by single spaces.
    pub fn entity(&mut self, slot: Slot, context: &str) -> PResult<EntityRef> {
        let stops = slot.stops();
        self.expect(Expect::Thing("an entity name"));
        let Some(token) = self.peek() else {
            return Err(self.unexpected(context));
        };
        let span = token.span.clone();
        let word = match &token.tok {
            Tok::Word(w) => *w,
            Tok::Quoted(text) if text.is_empty() => {
                return Err(ParseError::new(span, "an entity name cannot be empty")
                    .expecting("an entity name"))
            }
            Tok::Quoted(text) => {
                let text = text.clone();
                self.bump();
                return Ok(EntityRef {
                    text,
                    quoted: true,
                    span,
                });
            }
            Tok::Comma => return Err(self.unexpected(context)),
        };
        let as_name = || {
            Some(format!(
                "to use `{}` as a name, quote it: {}",
                clipped(word),
                clipped(&quoted_string(word))
            ))
        };
        if word.starts_with('?') {
            return Err(ParseError::new(
                span,
                "variables such as `?x` can only stand in `match` patterns",
            )
            .expecting("an entity name")
            .suggest(as_name()));
        }
        if word.starts_with('^') {
            return Err(ParseError::new(
                span,
                "`^` marks an inverse relation and cannot start an entity name",
            )
            .expecting("an entity name")
            .suggest(as_name()));
        }
        if is_one_of(word, stops) {
            let mut error = self.unexpected(context);
            error.message = format!("expected an entity name{context}, found keyword `{word}`");
            error.expected = vec!["an entity name".to_string()];
            return Err(error.suggest(as_name()));
        }
        let mut words = vec![word];
        let mut end = span.end;
        self.bump();
        while let Some(Token {
            tok: Tok::Word(w),
            span,
        }) = self.peek().filter(|_| slot != Slot::OneWord)
        {
            if is_one_of(w, stops) {
                break;
            }
            words.push(w);
            end = span.end;
            self.bump();
        }
        Ok(EntityRef {
            text: words.join(" "),
            quoted: false,
            span: span.start..end,
        })
    }

    /// A relation name, `^name` for its inverse; quoted (`"Make statement"`, `^"Make statement"`)
    /// when it holds spaces or other characters a bare word cannot.
    pub fn relation(&mut self, context: &str) -> PResult<RelRef> {
        self.expect(Expect::Thing("a relation name"));
        if let Some(quoted) = self.quoted_relation(false)? {
            return Ok(quoted);
        }
        let Some(word) = self.peek_word() else {
            return Err(self.unexpected(context));
        };
        let span = self.span();
        if word == "^" {
            if let Some(quoted) = self.quoted_relation(true)? {
                return Ok(quoted);
            }
        }
        let (inverse, name) = match word.strip_prefix('^') {
            Some(name) => (true, name),
            None => (false, word),
        };
        if word.starts_with('?') {
            return Err(ParseError::new(
                span,
                "variables such as `?r` can only stand in `match` patterns",
            )
            .expecting("a relation name"));
        }
        if name.is_empty() || name.starts_with(['^', '?']) {
            return Err(ParseError::new(span, "expected a relation name after `^`")
                .expecting("a relation name"));
        }
        self.bump();
        Ok(RelRef {
            name: name.to_string(),
            inverse,
            span,
        })
    }

    /// A quoted relation name at the current token, or, with `inverse`, right after a `^` there
    /// (no space between); `None`, consuming nothing, when there is none.
    fn quoted_relation(&mut self, inverse: bool) -> PResult<Option<RelRef>> {
        let at = self.pos + usize::from(inverse);
        let Some(Token {
            tok: Tok::Quoted(name),
            span,
        }) = self.toks.get(at)
        else {
            return Ok(None);
        };
        let start = if inverse {
            self.span().start
        } else {
            span.start
        };
        if inverse && self.span().end != span.start {
            return Ok(None);
        }
        let span = start..span.end;
        if name.is_empty() {
            return Err(ParseError::new(span, "a relation name cannot be empty")
                .expecting("a relation name"));
        }
        let name = name.clone();
        self.pos = at;
        self.bump();
        Ok(Some(RelRef {
            name,
            inverse,
            span,
        }))
    }

    /// `REL, REL, ...` after `via`; `a|b` is a synonym of `a, b`.
    pub fn relations(&mut self, keyword: &str) -> PResult<Vec<RelRef>> {
        let mut rels = self.via_item(&format!(" after `{keyword}`"))?;
        while self.eat_comma() {
            self.room_for(rels.len(), &format!("`{keyword}` takes"), "relations")?;
            rels.extend(self.via_item(" after `,`")?);
        }
        Ok(rels)
    }

    /// An error at the item after a comma when a list already has [`MAX_ITEMS`] items.
    pub fn room_for(&self, len: usize, list: &str, items: &str) -> PResult<()> {
        if len < MAX_ITEMS {
            return Ok(());
        }
        let message = format!("{list} at most {MAX_ITEMS} {items}");
        let help = format!(
            "this is item {}; no query needs so many, so split the work into several queries",
            len + 1
        );
        Err(ParseError::new(self.span(), message).suggest(Some(help)))
    }

    /// `?name`; the span includes the `?`.
    pub fn var(&mut self) -> PResult<Spanned<String>> {
        self.expect(Expect::Thing("a variable"));
        let span = self.span();
        let Some(name) = self.peek_word().and_then(|w| w.strip_prefix('?')) else {
            return Err(self.unexpected(""));
        };
        if !is_var_name(name) {
            return Err(ParseError::new(
                span,
                format!("`?{}` is not a variable name", clipped(name)),
            )
            .expecting("a variable")
            .suggest(Some(
                "a variable is `?` then a letter or `_`, then letters, digits or `_`".to_string(),
            )));
        }
        self.bump();
        Ok(Spanned::new(name.to_string(), span))
    }

    /// An unsigned number after `keyword`, within `min..=max`; huge numbers are errors, not overflow.
    pub fn number(&mut self, keyword: &str, min: u32, max: u32) -> PResult<Spanned<u32>> {
        self.expect(Expect::Thing("a number"));
        let Some(digits) = self.peek_word().filter(|w| is_number(w)) else {
            return Err(self.unexpected(&format!(" after `{keyword}`")));
        };
        let span = self.span();
        let range = format!("a number from {min} to {max}");
        let value = digits.parse::<u64>().ok().filter(|v| *v <= u64::from(max));
        match value.map(|v| u32::try_from(v).unwrap_or(max)) {
            None => Err(
                ParseError::new(span, format!("`{keyword}` can be at most {max}")).expecting(range),
            ),
            Some(v) if v < min => Err(ParseError::new(
                span,
                format!("`{keyword}` must be at least {min}"),
            )
            .expecting(range)),
            Some(v) => {
                self.bump();
                Ok(Spanned::new(v, span))
            }
        }
    }

    /// A single word, such as the `KIND` after `kind`.
    pub fn word(&mut self, what: &'static str, context: &str) -> PResult<Spanned<String>> {
        self.expect(Expect::Thing(what));
        let Some(word) = self.peek_word() else {
            return Err(self.unexpected(context));
        };
        let span = self.span();
        self.bump();
        Ok(Spanned::new(word.to_string(), span))
    }

    /// A quoted string or one bare word: a file name.
    pub fn path_token(&mut self, context: &str) -> PResult<Spanned<String>> {
        self.expect(Expect::Thing("a file name"));
        let span = self.span();
        let text = match self.peek().map(|t| &t.tok) {
            Some(Tok::Word(w)) => w.to_string(),
            Some(Tok::Quoted(q)) if !q.is_empty() => q.clone(),
            _ => return Err(self.unexpected(context)),
        };
        self.bump();
        Ok(Spanned::new(text, span))
    }

    /// The words of a date, up to one of `stops`; the byte range they cover. No date contains a
    /// keyword of the language, so one ends the date too: in `to 2017-12 via captured` the date is
    /// `2017-12`, and the caller reports `via` as out of place instead of a malformed date.
    fn date_words(&mut self, stops: &[&'static str]) -> Option<Span> {
        let first = self.pos;
        while self
            .peek_word()
            .is_some_and(|w| !is_one_of(w, stops) && !is_keyword(w))
        {
            self.bump();
        }
        let start = self.toks.get(first)?.span.start;
        let end = self.toks.get(self.pos.checked_sub(1)?)?.span.end;
        (self.pos > first).then_some(start..end)
    }

    fn date_error(&self, span: Span, error: DateError) -> ParseError {
        let text = self.line.get(span.clone()).unwrap_or("");
        let byte = text
            .char_indices()
            .nth(error.char_offset)
            .map_or(text.len(), |(i, _)| i);
        let after = text.get(byte..).unwrap_or("");
        let width = after.find(char::is_whitespace).unwrap_or(after.len());
        let start = span.start + byte;
        ParseError::new(start..start + width, error.message)
            .expecting("a date")
            .suggest(crate::date_hint::hint(text, None))
    }

    /// A date expression (`2016-01`, `late 2014`, `2015..2017-03`, `since 2015`) after `keyword`, to
    /// the end of the query or the next keyword.
    pub fn when(&mut self, keyword: &str) -> PResult<Spanned<date::When>> {
        self.date(keyword, &[], date::parse_when)
    }

    /// A single date point after `keyword`, up to one of `stops`.
    pub fn point(
        &mut self,
        keyword: &str,
        stops: &[&'static str],
    ) -> PResult<Spanned<date::DatePoint>> {
        self.date(keyword, stops, date::parse_point)
    }

    pub(crate) fn date<T>(
        &mut self,
        keyword: &str,
        stops: &[&'static str],
        parse: impl Fn(&str) -> Result<T, DateError>,
    ) -> PResult<Spanned<T>> {
        self.expect(Expect::Thing("a date"));
        let first = self.pos;
        let Some(span) = self.date_words(stops) else {
            return Err(self.unexpected(&format!(" after `{keyword}`")));
        };
        let text = self.line.get(span.clone()).unwrap_or("");
        let error = match parse(text) {
            Ok(value) => return Ok(Spanned::new(value, span)),
            Err(e) => e,
        };
        // A whole date and then a word that is no part of one (`to 2017-12 foo`): the date ends
        // where the date grammar stopped, and the caller reports the word as out of place there.
        let byte = text
            .char_indices()
            .nth(error.char_offset)
            .map_or(text.len(), |(i, _)| i);
        let at_word = text[byte..].starts_with(char::is_whitespace);
        if let Some(value) = at_word
            .then(|| parse(text[..byte].trim_end()).ok())
            .flatten()
        {
            let stray = span.start + byte;
            self.pos = (first..self.pos)
                .find(|&i| self.toks[i].span.start >= stray)
                .unwrap_or(self.pos);
            self.expected.clear();
            return Ok(Spanned::new(value, span.start..span.start + byte));
        }
        Err(self.date_error(span, error))
    }

    /// The first word of a statement must be a command.
    pub fn unknown_command(&self) -> ParseError {
        let mut error = self.unexpected("");
        error.expected = vec!["a command".to_string()];
        let found = self
            .peek()
            .map(|t| t.describe(self.line))
            .unwrap_or_default();
        error.message = format!("unknown command {found}");
        // `neighbours` is an alias; suggesting both spellings would only be noise.
        let commands = COMMANDS.iter().copied().filter(|c| *c != "neighbours");
        error.suggestion = self
            .peek_word()
            .and_then(|w| suggestion_text(&did_you_mean(w, commands)));
        if error.suggestion.is_none() {
            error.suggestion = Some(format!(
                "a line starts with one of: {}; `help` explains them",
                COMMANDS.join(", ")
            ));
        }
        error
    }

    /// Error for "the slot after `keyword` was filled twice".
    pub fn twice(span: Span, what: &str) -> ParseError {
        ParseError::new(span, format!("{what} is given twice")).suggest(Some(format!(
            "give {what} once; a query takes each option at most once"
        )))
    }
}
