//! Questions as people type them, in a few fixed shapes, each read as the query that answers it:
//!
//! ```text
//! who|what REL ENTITY              -> match ?who REL ENTITY
//! who|what did|does|do ENTITY REL  -> match ENTITY REL ?what
//! when did ENTITY REL ENTITY       -> why ENTITY REL ENTITY       (also: did ENTITY REL ENTITY)
//! where|who|what is ENTITY         -> show ENTITY                 (also: are, was, were)
//! ```
//!
//! Any of them may end in `at DATE`. Nothing else is guessed at: words that fit no shape are an
//! error that lists the shapes. Relations are taken as written (`who recaptured Tadmor`, not
//! `who recapture`), so a question reads exactly like the query it stands for.

use super::ast::{Asks, Question, Shape, Spanned};
use super::error::ParseError;
use super::lexer::Tok;
use super::parse::{is_one_of, PResult, Parser};
use super::Slot;

/// Words that start a question.
pub const QUESTION_WORDS: &[&str] = &["who", "what", "when", "where", "did"];
const DID: &[&str] = &["did", "does", "do"];
const IS: &[&str] = &["is", "are", "was", "were"];

const SHAPES: &str = "questions read `who REL ENTITY`, `what did ENTITY REL`, \
                      `when did ENTITY REL ENTITY` or `where is ENTITY`";

impl Parser<'_> {
    /// A question from its first word to the end of the line.
    pub fn question(&mut self) -> PResult<Question> {
        let word = self.peek_word().unwrap_or("").to_ascii_lowercase();
        let span = self.span();
        self.bump();
        let asks = match word.as_str() {
            "who" => Asks::Who,
            "what" => Asks::What,
            "where" => Asks::Where,
            _ => Asks::When,
        };
        let context = format!(" after `{word}`");
        // `did` is the question's first word or follows `who`, `what` or `when`.
        let did = word == "did" || (asks != Asks::Where && self.eat_any(DID).is_some());
        let shape = self
            .shape(asks, did, &context)
            .map_err(|e| match e.suggestion {
                Some(_) => e,
                None => e.suggest(Some(SHAPES.to_string())),
            })?;
        let at = match self.eat_kw("at") {
            Some(_) => Some(self.when("at")?),
            None => None,
        };
        self.end("")?;
        Ok(Question {
            asks: Spanned::new(asks, span),
            shape,
            at,
        })
    }

    fn shape(&mut self, asks: Asks, did: bool, context: &str) -> PResult<Shape> {
        Ok(match (asks, did) {
            (Asks::When, true) => self.when_shape()?,
            (Asks::When, false) => return Err(self.not_a_shape("`did`", context)),
            (_, false) if self.eat_any(IS).is_some() => Shape::Is {
                entity: self.entity(Slot::LAST, context)?,
            },
            (Asks::Where, _) => return Err(self.not_a_shape("`is`", context)),
            (_, true) => self.object_shape(context)?,
            (_, false) => Shape::Subject {
                relation: self.relation(context)?,
                object: self.entity(Slot::LAST, " after the relation")?,
            },
        })
    }

    fn when_shape(&mut self) -> PResult<Shape> {
        let subject = self.entity(Slot::OneWord, " after `did`")?;
        let relation = self.relation(" after the subject")?;
        let object = self.entity(Slot::LAST, " after the relation")?;
        Ok(Shape::When {
            subject,
            relation,
            object,
        })
    }

    /// `ENTITY REL`: the relation is the last word before `at` or the end of the line.
    fn object_shape(&mut self, context: &str) -> PResult<Shape> {
        let first = self.pos;
        let mut subject = self.entity(Slot::LAST, context)?;
        // A quoted relation (`who did Trump "Make statement"`) ends the bare name by itself,
        // unless the name took its `^` (`who did Trump ^"Make statement"`).
        let quoted_next = matches!(self.peek().map(|t| &t.tok), Some(Tok::Quoted(_)));
        let caret_taken = self.pos > first
            && self.toks.get(self.pos - 1).map(|t| &t.tok) == Some(&Tok::Word("^"));
        if !subject.quoted && (!quoted_next || caret_taken) {
            // The name took every word; give back the last, which is the relation.
            if self.pos - first < 2 {
                return Err(self.not_a_shape("a relation after the name", ""));
            }
            self.pos -= 1;
            self.expected.clear();
            let (words, _) = subject.text.rsplit_once(' ').unwrap_or_default();
            subject.text = words.to_string();
            subject.span.end = self.toks[self.pos - 1].span.end;
        }
        let relation = self.relation(" after the name")?;
        Ok(Shape::Object { subject, relation })
    }

    /// A question that fits no shape: what was missing, and the shapes there are.
    fn not_a_shape(&self, wanted: &str, context: &str) -> ParseError {
        let mut error = self.unexpected(context);
        error.message = match self.peek() {
            Some(t) => format!(
                "expected {wanted}{context}, found {}",
                t.describe(self.line)
            ),
            None => format!("expected {wanted}{context}"),
        };
        error.expected = vec![wanted.to_string()];
        error.suggest(Some(SHAPES.to_string()))
    }
}

/// Whether `word` starts a question (any case).
pub fn is_question_word(word: &str) -> bool {
    is_one_of(word, QUESTION_WORDS)
}

#[cfg(test)]
mod tests {
    use crate::query::{parse_statement, Statement};

    /// The query a question line is read as, printed.
    fn read_as(line: &str) -> String {
        match parse_statement(line) {
            Ok(Statement::Question(q)) => q.query().to_string(),
            other => panic!("{line:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn each_shape_reads_as_the_query_that_answers_it() {
        let cases = [
            ("who recaptured Tadmor", "match ?who recaptured Tadmor"),
            ("WHAT covers \"Al Tanf\"", "match ?what covers \"Al Tanf\""),
            (
                "who captured Al Sukhna at 2017",
                "match ?who captured \"Al Sukhna\" at 2017",
            ),
            ("what did Russia broker", "match Russia broker ?what"),
            (
                "what does Syrian government hold",
                "match \"Syrian government\" hold ?what",
            ),
            (
                "who did \"Ḥims city\" ^besieges",
                "match \"Ḥims city\" ^besieges ?who",
            ),
            (
                "when did ISIL overrun Al Sukhna",
                "why ISIL overrun Al Sukhna",
            ),
            (
                "did ISIL overrun Tadmor at 2016",
                "why ISIL overrun Tadmor at 2016",
            ),
            ("where is Talbiseh", "show Talbiseh"),
            ("who was Bashar Al Assad", "show Bashar Al Assad"),
        ];
        for (question, query) in cases {
            assert_eq!(read_as(question), query, "{question:?}");
        }
    }

    #[test]
    fn words_that_fit_no_shape_are_an_error_listing_the_shapes() {
        for (line, message) in [
            ("when Russia brokered it", "expected `did` after `when`, found `Russia`"),
            ("where did Russia go", "expected `is` after `where`, found `did`"),
            ("what did Russia", "expected a relation after the name"),
            ("who", "expected `did`, `does`, `do`, `is`, `are`, `was`, `were` or a relation name after `who`"),
        ] {
            let error = parse_statement(line).unwrap_err();
            assert_eq!(error.message, message, "{line:?}");
            let help = error.suggestion.unwrap_or_default();
            assert!(help.starts_with("questions read `who REL ENTITY`"), "{line:?}: {help}");
        }
    }
}
