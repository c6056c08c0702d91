//! Relation paths in the relation position of a pattern: `located_in+`, `located_in*`,
//! `located_in{1,3}`, `attacked|shelled`, `^captured`, `(located_in|part_of)+`.
//!
//! The lexer splits only at blanks, commas and quotes, and `{1,3}` holds a comma, so a path is read
//! from the line's characters where its first token starts, and the cursor then skips the tokens
//! it covered. Precedence, as in SPARQL 1.1: `^` binds tightest, then a quantifier, then `|`; so
//! `^a+` is `(^a)+` and `a|b+` is `a|(b+)`. A bare relation name holding `| + * ( ) { }` must be
//! quoted.

use super::ast::{ClearSpans, RelRef, RelTerm, Span, Spanned};
use super::error::ParseError;
use super::lexer::{is_word_char, Tok};
use super::match_clause::MAX_NESTING;
use super::parse::{PResult, Parser};
use super::print::clipped;
use std::fmt::{self, Display, Formatter, Write};

/// Bounds of `{n,m}`: enough for any chain in an article graph, and few enough that the automaton
/// a path compiles to stays small.
pub const MAX_REPEAT: u32 = 100;

/// Characters with a meaning in a relation path; a bare relation name holding one is quoted.
pub const PATH_CHARS: &[char] = &['|', '+', '*', '(', ')', '{', '}'];

/// How often a repeated path is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// `+`: one or more hops.
    Plus,
    /// `*`: zero or more; every entity reaches itself.
    Star,
    /// `{n,m}`, `{n,}` (no upper bound), `{n}` (written `{n,n}` as well).
    Range { min: u32, max: Option<u32> },
}

impl Quantifier {
    /// The fewest and most repetitions (`None`: no upper bound).
    pub fn bounds(self) -> (u32, Option<u32>) {
        match self {
            Quantifier::Plus => (1, None),
            Quantifier::Star => (0, None),
            Quantifier::Range { min, max } => (min, max),
        }
    }
}

/// A relation path that is more than one relation. Alternatives never hold alternatives directly
/// and a group of one path is that path, so each path has one tree (what the round trip needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelPath {
    Rel(RelRef),
    /// `a|b|c`: one hop of any of them; at least two items.
    Alt(Vec<RelPath>),
    Repeat {
        path: Box<RelPath>,
        quantifier: Spanned<Quantifier>,
    },
    /// `^(...)`: the group read backwards; the span is the `^`'s.
    Inverse(Box<RelPath>, Span),
}

impl RelPath {
    /// Every relation named in the path, in order.
    pub fn relations(&self) -> Vec<&RelRef> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a RelRef>) {
        match self {
            RelPath::Rel(r) => out.push(r),
            RelPath::Alt(items) => items.iter().for_each(|i| i.collect(out)),
            RelPath::Repeat { path, .. } | RelPath::Inverse(path, _) => path.collect(out),
        }
    }
}

impl Display for Quantifier {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match *self {
            Quantifier::Plus => f.write_char('+'),
            Quantifier::Star => f.write_char('*'),
            Quantifier::Range { min, max: None } => write!(f, "{{{min},}}"),
            Quantifier::Range {
                min,
                max: Some(max),
            } if max == min => write!(f, "{{{min}}}"),
            Quantifier::Range {
                min,
                max: Some(max),
            } => write!(f, "{{{min},{max}}}"),
        }
    }
}

impl Display for RelPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RelPath::Rel(r) => write!(f, "{r}"),
            RelPath::Alt(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char('|')?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
            RelPath::Repeat { path, quantifier } => match **path {
                RelPath::Alt(_) | RelPath::Repeat { .. } => {
                    write!(f, "({path}){}", quantifier.node)
                }
                _ => write!(f, "{path}{}", quantifier.node),
            },
            RelPath::Inverse(path, _) => write!(f, "^({path})"),
        }
    }
}

impl ClearSpans for RelPath {
    fn clear_spans(&mut self) {
        match self {
            RelPath::Rel(r) => r.clear_spans(),
            RelPath::Alt(items) => items.clear_spans(),
            RelPath::Repeat { path, quantifier } => {
                path.clear_spans();
                quantifier.clear_spans();
            }
            RelPath::Inverse(path, span) => {
                path.clear_spans();
                *span = 0..0;
            }
        }
    }
}

/// Reads a path from the characters of the line.
struct Reader<'a> {
    line: &'a str,
    at: usize,
    /// Relations read so far, bounded like any list of a query.
    items: usize,
}

fn is_name_char(c: char) -> bool {
    is_word_char(c) && !PATH_CHARS.contains(&c)
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.line.get(self.at..).and_then(|r| r.chars().next())
    }

    /// Skips what the lexer splits tokens at, so a path and the tokens around it agree on where
    /// each ends (a no-break space included).
    fn skip_blanks(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.at += c.len_utf8();
        }
    }

    /// The span of the character at the cursor (or of the end of the line).
    fn here(&self) -> Span {
        self.at..self.at + self.peek().map_or(0, char::len_utf8)
    }

    fn found(&self) -> String {
        let rest = self.line.get(self.at..).unwrap_or("");
        match rest.split(char::is_whitespace).next() {
            Some(w) if !w.is_empty() => format!("`{}`", clipped(w)),
            _ => "end of input".to_string(),
        }
    }

    fn error(&self, wanted: &str) -> ParseError {
        ParseError::new(
            self.here(),
            format!(
                "expected {wanted} in the relation path, found {}",
                self.found()
            ),
        )
        .expecting(wanted.to_string())
    }

    /// `ITEM (| ITEM)*`
    fn alternatives(&mut self, depth: usize) -> PResult<RelPath> {
        let mut items = Vec::new();
        loop {
            match self.element(depth)? {
                RelPath::Alt(inner) => items.extend(inner),
                other => items.push(other),
            }
            let before = self.at;
            self.skip_blanks();
            if self.peek() != Some('|') {
                self.at = before;
                break;
            }
            self.at += 1;
            self.skip_blanks();
        }
        Ok(match items.len() {
            1 => items.remove(0),
            _ => RelPath::Alt(items),
        })
    }

    /// A primary and its quantifier, if any.
    fn element(&mut self, depth: usize) -> PResult<RelPath> {
        let start = self.at;
        let primary = self.primary(depth)?;
        let Some(quantifier) = self.quantifier()? else {
            return Ok(primary);
        };
        if let Some(c) = self.peek().filter(|c| matches!(c, '+' | '*' | '{')) {
            let written = self.line.get(start..quantifier.span.end).unwrap_or("");
            return Err(ParseError::new(
                self.here(),
                format!("a second quantifier `{c}` follows `{}`", quantifier.node),
            )
            .expecting("`|`")
            .suggest(Some(format!(
                "write one quantifier, `{}`, or group to repeat a repetition: `({}){c}`",
                clipped(written),
                clipped(written)
            ))));
        }
        Ok(RelPath::Repeat {
            path: Box::new(primary),
            quantifier,
        })
    }

    fn primary(&mut self, depth: usize) -> PResult<RelPath> {
        if depth >= MAX_NESTING {
            return Err(ParseError::new(
                self.here(),
                format!("a relation path nests at most {MAX_NESTING} groups deep"),
            ));
        }
        let start = self.at;
        match self.peek() {
            Some('^') => {
                self.at += 1;
                let caret = start..self.at;
                if matches!(self.peek(), Some('^') | Some('?') | None)
                    || self.peek().is_some_and(char::is_whitespace)
                {
                    return Err(ParseError::new(
                        start..self.here().end,
                        "expected a relation name after `^`",
                    )
                    .expecting("a relation name"));
                }
                Ok(match self.primary(depth + 1)? {
                    RelPath::Rel(mut r) => {
                        r.inverse = !r.inverse;
                        r.span.start = start;
                        RelPath::Rel(r)
                    }
                    other => RelPath::Inverse(Box::new(other), caret),
                })
            }
            Some('(') => {
                self.at += 1;
                self.skip_blanks();
                let inner = self.alternatives(depth + 1)?;
                self.skip_blanks();
                if self.peek() != Some(')') {
                    return Err(self.error("`)` to close the group").expecting("`|`"));
                }
                self.at += 1;
                Ok(inner)
            }
            Some('"') => {
                let rest = self.line.get(self.at..).unwrap_or("");
                let (name, len) = super::lexer::quoted(rest, self.at)?;
                let span = self.at..self.at + len;
                if name.is_empty() {
                    return Err(ParseError::new(span, "a relation name cannot be empty")
                        .expecting("a relation name"));
                }
                self.at += len;
                self.relation(name, span)
            }
            Some(c) if is_name_char(c) && c != '?' => {
                let rest = self.line.get(self.at..).unwrap_or("");
                let len = rest.find(|c| !is_name_char(c)).unwrap_or(rest.len());
                self.at += len;
                self.relation(rest[..len].to_string(), start..self.at)
            }
            _ => Err(self.error("a relation name")),
        }
    }

    fn relation(&mut self, name: String, span: Span) -> PResult<RelPath> {
        self.items += 1;
        if self.items > super::grammar::MAX_ITEMS {
            return Err(ParseError::new(
                span,
                format!(
                    "a relation path names at most {} relations",
                    super::grammar::MAX_ITEMS
                ),
            ));
        }
        Ok(RelPath::Rel(RelRef {
            name,
            inverse: false,
            span,
        }))
    }

    fn quantifier(&mut self) -> PResult<Option<Spanned<Quantifier>>> {
        let start = self.at;
        let q = match self.peek() {
            Some('+') => Quantifier::Plus,
            Some('*') => Quantifier::Star,
            Some('{') => return self.range().map(Some),
            _ => return Ok(None),
        };
        self.at += 1;
        Ok(Some(Spanned::new(q, start..self.at)))
    }

    /// `{n}`, `{n,}`, `{n,m}`.
    fn range(&mut self) -> PResult<Spanned<Quantifier>> {
        let start = self.at;
        self.at += 1;
        self.skip_blanks();
        let min = self.count()?;
        self.skip_blanks();
        let max = match self.peek() {
            Some(',') => {
                self.at += 1;
                self.skip_blanks();
                match self.peek() {
                    Some(c) if c.is_ascii_digit() => Some(self.count()?),
                    _ => None,
                }
            }
            _ => Some(min),
        };
        self.skip_blanks();
        if self.peek() != Some('}') {
            return Err(self.error("`}` to close the bounds").expecting("`,`"));
        }
        self.at += 1;
        let span = start..self.at;
        let written = self.line.get(span.clone()).unwrap_or("{}").to_string();
        match max {
            Some(max) if max < min => {
                return Err(ParseError::new(
                    span,
                    format!("`{written}` asks for at least {min} hops but at most {max}"),
                )
                .expecting(format!("an upper bound of {min} or more"))
                .suggest(Some(format!("did you mean `{{{max},{min}}}`?"))))
            }
            Some(0) => {
                return Err(
                    ParseError::new(span, format!("`{written}` allows no hop at all"))
                        .expecting("an upper bound of 1 or more")
                        .suggest(Some(
                            "`*` is zero or more hops, `{0,1}` zero or one".to_string(),
                        )),
                )
            }
            _ => {}
        }
        Ok(Spanned::new(Quantifier::Range { min, max }, span))
    }

    fn count(&mut self) -> PResult<u32> {
        let rest = self.line.get(self.at..).unwrap_or("");
        let len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(self.error("a number of hops"));
        }
        let span = self.at..self.at + len;
        let n = rest[..len].parse::<u32>().ok().filter(|&n| n <= MAX_REPEAT);
        let Some(n) = n else {
            return Err(ParseError::new(
                span,
                format!("a path repeats at most {MAX_REPEAT} times"),
            )
            .expecting(format!("a number from 0 to {MAX_REPEAT}"))
            .suggest(Some("`+` repeats without bound".to_string())));
        };
        self.at += len;
        Ok(n)
    }
}

impl Parser<'_> {
    /// The path written at the cursor, if the token there starts one that is more than a plain
    /// relation; `None` (consuming nothing) for a plain relation, which [`Parser::relation`] reads
    /// with its own messages.
    fn rel_path_here(&mut self) -> PResult<Option<RelPath>> {
        let Some(token) = self.peek() else {
            return Ok(None);
        };
        let (start, token_end) = (token.span.start, token.span.end);
        if matches!(&token.tok, Tok::Comma) {
            return Ok(None);
        }
        let mut reader = Reader {
            line: self.line,
            at: start,
            items: 0,
        };
        let path = match reader.alternatives(0) {
            // A plain relation, unless path syntax cut its word short (`a)b`): a bare name
            // holding `| + * ( ) { }` must be quoted, or it would print as another query.
            Ok(RelPath::Rel(_)) if reader.at >= token_end || !self.looks_like_path() => {
                return Ok(None)
            }
            Ok(path @ RelPath::Rel(_)) => path,
            Ok(path) => path,
            // A word with no path syntax in it is a relation or an error `relation` words better.
            Err(_) if !self.looks_like_path() => return Ok(None),
            Err(e) => return Err(e),
        };
        let end = reader.at;
        while let Some(token) = self.peek() {
            if token.span.start >= end {
                break;
            }
            if token.span.end > end {
                let rest = self.line.get(end..token.span.end).unwrap_or("");
                return Err(ParseError::new(
                    end..token.span.end,
                    format!("unexpected `{}` after the relation path", clipped(rest)),
                )
                .expecting("`|`")
                .suggest(Some(
                    "put a space after the path, or quote a relation name holding `| + * ( ) { }`"
                        .to_string(),
                )));
            }
            self.bump();
        }
        Ok(Some(path))
    }

    /// Whether the relation at the cursor uses path syntax: a path character in its token, or a
    /// `|` right after it.
    fn looks_like_path(&self) -> bool {
        let Some(token) = self.peek() else {
            return false;
        };
        let inside = match &token.tok {
            Tok::Word(w) => w.contains(PATH_CHARS),
            _ => false,
        };
        let after = self.line.get(token.span.end..).unwrap_or("");
        inside || after.trim_start().starts_with(['|', '+', '*', '{'])
    }

    /// The relation position of a pattern: a relation, or a path of relations.
    pub(crate) fn rel_term(&mut self, context: &str) -> PResult<RelTerm> {
        match self.rel_path_here()? {
            Some(path) => Ok(RelTerm::Path(path)),
            None => self.relation(context).map(RelTerm::Rel),
        }
    }

    /// One item of a `via` list: a relation, or alternatives `a|b|^c`, flattened into relations.
    pub(crate) fn via_item(&mut self, context: &str) -> PResult<Vec<RelRef>> {
        let Some(path) = self.rel_path_here()? else {
            return Ok(vec![self.relation(context)?]);
        };
        let mut out = Vec::new();
        flatten(path, false, &mut out)?;
        Ok(out)
    }
}

/// The relations of alternatives, each read backwards under an odd number of `^`.
fn flatten(path: RelPath, inverse: bool, out: &mut Vec<RelRef>) -> PResult<()> {
    match path {
        RelPath::Rel(mut r) => {
            r.inverse ^= inverse;
            out.push(r);
        }
        RelPath::Alt(items) => {
            for item in items {
                flatten(item, inverse, out)?;
            }
        }
        RelPath::Inverse(path, _) => flatten(*path, !inverse, out)?,
        RelPath::Repeat { quantifier, .. } => {
            return Err(ParseError::new(
                quantifier.span,
                format!(
                    "`via` takes relations, not repetitions such as `{}`",
                    quantifier.node
                ),
            )
            .expecting("a relation name")
            .suggest(Some(
                "`neighbors` goes as deep as `depth N` says, `path` up to `max N` hops".to_string(),
            )))
        }
    }
    Ok(())
}
