//! The grammar and canonical text of `search`: the words to look for, then where to look.

use super::ast::{Command, SearchField, SearchQuery, Spanned};
use super::error::ParseError;
use super::grammar::MAX_COUNT;
use super::lexer::Tok;
use super::parse::{is_one_of, Expect, PResult, Parser};
use super::print::{clipped, quoted_string, write_name, write_quoted};
use super::Slot;
use crate::search_index::words;
use std::fmt::{self, Display, Formatter};

/// The options of `search`, in canonical order.
pub(super) const OPTIONS: &[&str] = &["in", "mentioning", "limit"];

impl Parser<'_> {
    pub(super) fn search(&mut self) -> PResult<Command> {
        let text = self.search_text()?;
        let (mut field, mut mentioning, mut limit) = (None, None, None);
        while let Some((keyword, span)) = self.eat_any(OPTIONS) {
            match keyword {
                "in" if field.is_some() => return Err(Self::twice(span, "`in`")),
                "in" => field = Some(self.search_field()?),
                "mentioning" if mentioning.is_some() => {
                    return Err(Self::twice(span, "`mentioning`"))
                }
                "mentioning" => {
                    mentioning = Some(self.entity(Slot::MENTIONING, " after `mentioning`")?)
                }
                _ if limit.is_some() => return Err(Self::twice(span, "`limit`")),
                _ => limit = Some(self.number("limit", 1, MAX_COUNT)?),
            }
        }
        Ok(Command::Search(SearchQuery {
            text,
            field,
            mentioning,
            limit,
        }))
    }

    /// `quotes`, `names` or `notes` after `in`; a misspelling gets a did-you-mean.
    fn search_field(&mut self) -> PResult<Spanned<SearchField>> {
        let words = SearchField::ALL.map(SearchField::word);
        let Some((word, span)) = self.eat_any(&words) else {
            return Err(self.unexpected(" after `in`"));
        };
        let field = SearchField::ALL
            .into_iter()
            .find(|f| f.word() == word)
            .unwrap_or(SearchField::Quotes);
        Ok(Spanned::new(field, span))
    }

    /// A quoted text, or bare words up to the next option; it must hold at least one word.
    fn search_text(&mut self) -> PResult<Spanned<String>> {
        self.expect(Expect::Thing("the words to search for"));
        let stops = Slot::SEARCH.stops();
        let Some(token) = self.peek() else {
            return Err(self.unexpected(" after `search`"));
        };
        let start = token.span.clone();
        let text = match &token.tok {
            Tok::Quoted(text) => {
                let text = text.clone();
                self.bump();
                Spanned::new(text, start)
            }
            Tok::Word(w) if !is_one_of(w, stops) => {
                let (mut parts, mut end) = (Vec::new(), start.end);
                while let Some(t) = self.peek() {
                    match t.tok {
                        Tok::Word(w) if !is_one_of(w, stops) => {
                            parts.push(w);
                            end = t.span.end;
                            self.bump();
                        }
                        _ => break,
                    }
                }
                Spanned::new(parts.join(" "), start.start..end)
            }
            _ => {
                let mut error = self.unexpected(" after `search`");
                if let Some(w) = self.peek_word() {
                    error.suggestion = Some(format!(
                        "to search for `{}`, quote it: {}",
                        clipped(w),
                        clipped(&quoted_string(w))
                    ));
                }
                return Err(error);
            }
        };
        if words::terms(&text.node).is_empty() {
            return Err(ParseError::new(
                text.span.clone(),
                "there are no words to search for here",
            )
            .expecting("the words to search for")
            .suggest(Some(
                "search looks for words: letters or digits, such as \"withdrew from\"".to_string(),
            )));
        }
        Ok(text)
    }
}

impl Display for SearchQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        // Always quoted: the words read as one text, whatever they hold.
        f.write_str("search ")?;
        write_quoted(f, &self.text.node)?;
        if let Some(field) = &self.field {
            write!(f, " in {}", field.node.word())?;
        }
        if let Some(e) = &self.mentioning {
            f.write_str(" mentioning ")?;
            write_name(f, &e.text, e.quoted, Slot::MENTIONING)?;
        }
        if let Some(limit) = &self.limit {
            write!(f, " limit {}", limit.node)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::query::syntax::{expected_after, keywords_after, parse_statement, Expected};

    fn error(line: &str) -> crate::query::ParseError {
        match parse_statement(line) {
            Ok(s) => panic!("{line:?} parsed as {s:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn misspelt_fields_and_commands_get_a_did_you_mean_at_the_word() {
        let e = error("search \"withdrew\" in qoutes");
        assert_eq!(e.span, 21..27);
        assert_eq!(
            e.suggestion.as_deref(),
            Some("did you mean `quotes` or `notes`?")
        );
        let e = error("serch \"withdrew\"");
        assert_eq!(e.span, 0..5);
        assert!(e.suggestion.unwrap().contains("`search`"));
        let e = error("search \"withdrew\" mentionng ISIL");
        assert!(e.suggestion.unwrap().contains("`mentioning`"));
    }

    #[test]
    fn text_without_words_is_refused_where_it_stands() {
        assert_eq!(error("search \"--\" in quotes").span, 7..11);
        assert_eq!(error("search in quotes").span, 7..9);
    }

    #[test]
    fn prints_canonically() {
        for (line, canonical) in [
            ("SEARCH withdrew   from", "search \"withdrew from\""),
            (
                "search \"x\" limit 3 mentioning Al Sukhna in notes at 2017",
                "search \"x\" in notes mentioning Al Sukhna limit 3 at 2017",
            ),
            (
                "search x mentioning \"in\"",
                "search \"x\" mentioning \"in\"",
            ),
        ] {
            let printed = parse_statement(line).unwrap().to_string();
            assert_eq!(printed, canonical);
        }
    }

    #[test]
    fn completion_offers_the_options_fields_and_entities() {
        assert_eq!(keywords_after("search \"x\" in q"), vec!["quotes"]);
        assert!(keywords_after("search \"x\" ").contains(&"mentioning"));
        assert!(expected_after("search \"x\" mentioning ").contains(&Expected::Entity));
        assert!(keywords_after("sea").contains(&"search"));
    }
}
