//! Splits a query line into words, quoted names and commas, so the grammar can look ahead by tokens.
//!
//! Which words end a bare multi-word name depends on the position in the grammar, so the lexer does
//! not know keywords: it only finds word boundaries, unescapes quoted names and drops the comment.

use super::error::ParseError;
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{digit1, satisfy};
use nom::combinator::{all_consuming, recognize};
use nom::{IResult, Parser};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// A run of characters other than whitespace, `,`, `"` and `#`.
    Word(&'a str),
    /// The unescaped content of `"..."`; the token's span includes the quotes.
    Quoted(String),
    Comma,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    pub span: Range<usize>,
}

impl Token<'_> {
    pub fn word(&self) -> Option<&str> {
        match self.tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    /// How the token reads in a message: "`depth`", "`\"Homs\"`", "`,`"; clipped if long.
    pub fn describe(&self, line: &str) -> String {
        let raw = line.get(self.span.clone()).unwrap_or("?");
        format!("`{}`", super::print::clipped(raw))
    }
}

pub(crate) fn is_word_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, ',' | '"' | '#'))
}

fn blank(input: &str) -> IResult<&str, &str> {
    take_while(char::is_whitespace).parse(input)
}

fn word(input: &str) -> IResult<&str, &str> {
    take_while1(is_word_char).parse(input)
}

/// `[A-Za-z_][A-Za-z0-9_]*`, the name of a `?var` after its `?`.
pub(crate) fn is_var_name(text: &str) -> bool {
    let head = satisfy(|c: char| c.is_ascii_alphabetic() || c == '_');
    let tail = take_while(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let parsed: IResult<&str, &str> = all_consuming(recognize((head, tail))).parse(text);
    parsed.is_ok()
}

pub(crate) fn is_number(text: &str) -> bool {
    all_consuming(digit1::<&str, nom::error::Error<&str>>)
        .parse(text)
        .is_ok()
}

/// Tokens a line may hold: a hundred times what the longest lists a query takes (1000 patterns of
/// `match`) need, and few enough (about 5 MB) that a line of any length lexes in bounded memory.
pub(crate) const MAX_TOKENS: usize = 100_000;

/// A line's tokens, and where the first token past [`MAX_TOKENS`] starts if the line has more.
pub(crate) struct Lexed<'a> {
    pub tokens: Vec<Token<'a>>,
    pub cut: Option<usize>,
}

/// Tokens of `line` up to its comment. Control characters other than tab are refused anywhere in
/// the line, so that no name, quoted or not, can hide one.
pub(crate) fn lex(line: &str) -> Result<Lexed<'_>, ParseError> {
    if let Some((at, c)) = line
        .char_indices()
        .find(|&(_, c)| c.is_control() && c != '\t')
    {
        return Err(ParseError::new(
            at..at + c.len_utf8(),
            format!(
                "control character U+{:04X} is not allowed in a query",
                u32::from(c)
            ),
        ));
    }
    let mut tokens = Vec::new();
    let mut rest = line;
    loop {
        if let Ok((after, _)) = blank(rest) {
            rest = after;
        }
        let at = line.len() - rest.len();
        let Some(first) = rest.chars().next() else {
            break;
        };
        if tokens.len() == MAX_TOKENS && first != '#' {
            return Ok(Lexed {
                tokens,
                cut: Some(at),
            });
        }
        let (tok, len) = match first {
            '#' => break,
            ',' => (Tok::Comma, 1),
            '"' => {
                let (text, len) = quoted(rest, at)?;
                (Tok::Quoted(text), len)
            }
            _ => match word(rest) {
                Ok((_, w)) => (Tok::Word(w), w.len()),
                // Unreachable: `first` is neither blank nor a separator, so it starts a word.
                Err(_) => break,
            },
        };
        tokens.push(Token {
            tok,
            span: at..at + len,
        });
        rest = rest.get(len..).unwrap_or("");
    }
    Ok(Lexed { tokens, cut: None })
}

/// Unescapes a quoted name at the start of `rest` (which begins with `"`), returning it and the
/// number of bytes it took. `at` is the byte offset of `rest` in the line, for error spans.
pub(crate) fn quoted(rest: &str, at: usize) -> Result<(String, usize), ParseError> {
    let mut text = String::new();
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((text, i + 1)),
            '\\' => {
                match chars.next() {
                    Some((_, e @ ('"' | '\\'))) => text.push(e),
                    Some((j, e)) => return Err(ParseError::new(
                        at + i..at + j + e.len_utf8(),
                        format!("unknown escape `\\{e}` in a quoted name"),
                    )
                    .expecting("`\\\"`")
                    .expecting("`\\\\`")
                    .suggest(Some(
                        "only `\\\"` and `\\\\` are escapes; write other characters as they are"
                            .to_string(),
                    ))),
                    None => break,
                }
            }
            c => text.push(c),
        }
    }
    Err(ParseError::new(at..at + 1, "this quote is never closed")
        .expecting("a closing `\"`")
        .suggest(Some(
            "end the name with `\"`; write a quote inside a name as `\\\"`".to_string(),
        )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexed(line: &str) -> Vec<Token<'_>> {
        lex(line).unwrap_or_else(|e| panic!("{line:?}: {e}")).tokens
    }

    fn error_span(line: &str) -> Range<usize> {
        match lex(line) {
            Ok(lexed) => panic!("{line:?} lexed as {:?}", lexed.tokens),
            Err(e) => e.span,
        }
    }

    #[test]
    fn splits_words_quotes_commas_and_drops_comments() {
        let words: Vec<Tok<'_>> = lexed("path \"Al \\\"S\\\\\",x  Ḥims # to \"nowhere")
            .into_iter()
            .map(|t| t.tok)
            .collect();
        assert_eq!(
            words,
            vec![
                Tok::Word("path"),
                Tok::Quoted("Al \"S\\".to_string()),
                Tok::Comma,
                Tok::Word("x"),
                Tok::Word("Ḥims"),
            ]
        );
        let spans: Vec<_> = lexed("a \"b c\"").into_iter().map(|t| t.span).collect();
        assert_eq!(spans, vec![0..1, 2..7]);
    }

    #[test]
    fn unclosed_quotes_bad_escapes_and_control_characters_point_at_themselves() {
        assert_eq!(error_span("show \"Homs"), 5..6);
        assert_eq!(error_span("show \"Ho\\ms\""), 8..10);
        assert_eq!(error_span("show Ḥ\u{7}"), 8..9);
        assert!(lex("show\tHoms").is_ok());
    }

    #[test]
    fn a_line_of_too_many_tokens_is_cut_where_the_first_extra_one_starts() {
        let line = "a ".repeat(MAX_TOKENS) + "b c";
        let lexed = lex(&line).unwrap();
        assert_eq!(lexed.tokens.len(), MAX_TOKENS);
        assert_eq!(lexed.cut, Some(2 * MAX_TOKENS));
        // A comment after the last token is not one more.
        let exact = "a ".repeat(MAX_TOKENS) + "# note";
        assert_eq!(lex(&exact).unwrap().cut, None);
    }

    #[test]
    fn variable_names_and_numbers() {
        assert!(is_var_name("x_1") && is_var_name("_") && !is_var_name("1x") && !is_var_name(""));
        assert!(is_number("0012") && !is_number("-1") && !is_number("1e3"));
    }
}
