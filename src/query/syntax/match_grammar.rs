//! The grammar of `match`'s clauses (`not {}`, `optional {}`, `where`, `group by`, `order by`,
//! `limit`), on the cursor of `parse.rs`.
//!
//! The lexer knows no brackets or operators (a name may hold them), so where these clauses begin
//! the remaining words are split once at `( ) [ ] { }` and `= != < <= > >=`: `min(?f.when)` reads
//! as four tokens. Conditions nest through parentheses and `not`, at most [`MAX_NESTING`] deep.

use super::ast::{EntityRef, Pattern, Spanned};
use super::error::ParseError;
use super::grammar::MAX_COUNT;
use super::lexer::{Tok, Token};
use super::match_clause::{
    AggFunc, Aggregate, Block, BlockKind, CmpOp, Cond, DateOp, GroupBy, MatchClauses, Operand,
    OrderExpr, OrderKey, Page, Prop, TextOp, MAX_NESTING,
};
use super::parse::{is_one_of, Expect, PResult, Parser};
use super::print::clipped;
use crate::date;
use crate::diagnostic::{did_you_mean, suggestion_text};

/// Words with a meaning inside a condition or the clauses after it: a literal spelled as one of
/// them must be quoted.
const CONDITION_WORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "contains",
    "matches",
    "during",
    "before",
    "after",
    "certainly",
    "where",
    "group",
    "by",
    "select",
    "count",
    "order",
    "asc",
    "desc",
    "limit",
    "offset",
    "at",
    "as",
    "optional",
];

/// Words that end a date inside a condition.
const DATE_STOPS: &[&str] = &[
    ")", "]", "}", "and", "or", "group", "select", "count", "order", "limit", "offset", "at",
];

/// Regular expressions longer than this are refused at parse time (the compiled size is capped
/// again when the query is resolved).
pub const MAX_REGEX_LEN: usize = 1000;

pub(crate) fn is_condition_word(word: &str) -> bool {
    is_one_of(word, CONDITION_WORDS)
}

/// Byte lengths of the pieces `word` splits into at brackets and comparison operators.
fn pieces(word: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let len = match c {
            '(' | ')' | '[' | ']' | '{' | '}' => 1,
            '!' | '<' | '>' if next == Some('=') => 2,
            '=' | '<' | '>' => 1,
            _ => continue,
        };
        if i > start {
            out.push(i - start);
        }
        out.push(len);
        start = i + len;
        if len == 2 {
            chars.next();
        }
    }
    if start < word.len() {
        out.push(word.len() - start);
    }
    out
}

impl<'a> Parser<'a> {
    /// Splits the words from the cursor on at brackets and operators, once per line.
    pub(crate) fn refine(&mut self) {
        if self.refined {
            return;
        }
        self.refined = true;
        let rest = self.toks.split_off(self.pos);
        for token in rest {
            let Tok::Word(word) = token.tok else {
                self.toks.push(token);
                continue;
            };
            let mut at = 0;
            for len in pieces(word) {
                let start = token.span.start + at;
                self.toks.push(Token {
                    tok: Tok::Word(&word[at..at + len]),
                    span: start..start + len,
                });
                at += len;
            }
        }
    }

    fn is_word(&self, offset: usize, word: &str) -> bool {
        self.toks
            .get(self.pos + offset)
            .and_then(Token::word)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    }

    /// `{`, `}`, `(`, ... as the next token.
    fn eat_punct(&mut self, punct: &'static str) -> Option<std::ops::Range<usize>> {
        self.expect(Expect::Kw(punct));
        if self.is_word(0, punct) {
            let span = self.span();
            self.bump();
            return Some(span);
        }
        None
    }

    fn punct(&mut self, punct: &'static str, context: &str) -> PResult<std::ops::Range<usize>> {
        match self.eat_punct(punct) {
            Some(span) => Ok(span),
            None => Err(self.unexpected(context)),
        }
    }

    /// Whether a `not {` or `optional {` block starts here (a word `not` alone is a name).
    pub(crate) fn at_block(&mut self) -> bool {
        self.expect(Expect::Kw("not"));
        self.expect(Expect::Kw("optional"));
        let keyword = self.is_word(0, "not") || self.is_word(0, "optional");
        let brace = self
            .toks
            .get(self.pos + 1)
            .and_then(Token::word)
            .is_some_and(|w| w.starts_with('{'));
        keyword && brace
    }

    /// `not { PATTERNS [where COND] }` or `optional { ... }`.
    pub(crate) fn block(&mut self) -> PResult<Block> {
        let span = self.span();
        let kind = match self.eat_any(&["not", "optional"]) {
            Some(("not", _)) => BlockKind::Not,
            _ => BlockKind::Optional,
        };
        let context = format!(" after `{} {{`", kind.word());
        self.refine();
        self.punct("{", &format!(" after `{}`", kind.word()))?;
        let mut patterns = vec![self.pattern_in_block(&context)?];
        while self.eat_comma() {
            self.room_for(patterns.len(), "a block takes", "patterns")?;
            patterns.push(self.pattern_in_block(" after `,`")?);
        }
        let filter = match self.eat_kw("where") {
            Some(_) => Some(self.condition()?),
            None => None,
        };
        self.punct("}", " at the end of the block")?;
        Ok(Block {
            kind,
            patterns,
            filter,
            span,
        })
    }

    fn pattern_in_block(&mut self, context: &str) -> PResult<Pattern> {
        if self.at_block() {
            return Err(ParseError::new(
                self.span(),
                "blocks do not nest: a `not` or `optional` block holds patterns only",
            )
            .expecting("a pattern"));
        }
        if self.peek().is_none() || self.is_word(0, "}") {
            self.expect(Expect::Thing("a pattern"));
            return Err(self.unexpected(context));
        }
        self.pattern()
    }

    /// `where`, `group by`: what comes between the patterns and `select`.
    pub(crate) fn match_clauses(&mut self, clauses: &mut MatchClauses) -> PResult<()> {
        self.refine();
        if self.eat_kw("where").is_some() {
            clauses.filter = Some(self.condition()?);
        }
        self.expect(Expect::Kw("group"));
        if self.is_word(0, "group") {
            self.bump();
            if self.eat_kw("by").is_none() {
                return Err(self.unexpected(" after `group`"));
            }
            clauses.group = Some(self.group_by()?);
        }
        Ok(())
    }

    /// `order by`, `limit`, `offset`: what comes after `select` and `count`.
    pub(crate) fn match_tail(&mut self, clauses: &mut MatchClauses) -> PResult<()> {
        self.expect(Expect::Kw("order"));
        if self.is_word(0, "order") {
            self.bump();
            if self.eat_kw("by").is_none() {
                return Err(self.unexpected(" after `order`"));
            }
            clauses.order.push(self.order_key()?);
            while self.eat_comma() {
                self.room_for(clauses.order.len(), "`order by` takes", "keys")?;
                clauses.order.push(self.order_key()?);
            }
        }
        let page = self.page()?;
        clauses.limit = page.limit;
        clauses.offset = page.offset;
        Ok(())
    }

    /// `[limit N] [offset M]`, of `match`, `neighbors` and `timeline`.
    pub(crate) fn page(&mut self) -> PResult<Page> {
        let mut page = Page::default();
        if self.eat_kw("limit").is_some() {
            page.limit = Some(self.number("limit", 1, MAX_COUNT)?);
        }
        if self.eat_kw("offset").is_some() {
            page.offset = Some(self.number("offset", 0, MAX_COUNT)?);
        }
        Ok(page)
    }

    fn order_key(&mut self) -> PResult<OrderKey> {
        self.expect(Expect::Kw("count"));
        let expr = match self.eat_kw("count") {
            Some(span) => OrderExpr::Count(span),
            None => OrderExpr::Operand(self.var_or_prop(" after `order by`")?),
        };
        let descending = matches!(self.eat_any(&["asc", "desc"]), Some(("desc", _)));
        Ok(OrderKey { expr, descending })
    }

    /// `KEY, KEY ... [AGGREGATE, AGGREGATE ...]`: keys are separated by commas, and the first
    /// aggregate follows the last key without one.
    fn group_by(&mut self) -> PResult<GroupBy> {
        let mut keys = vec![self.var_or_prop(" after `group by`")?];
        while self.is_comma() && self.word_at(1).is_some_and(|w| w.starts_with('?')) {
            self.eat_comma();
            self.room_for(keys.len(), "`group by` takes", "keys")?;
            keys.push(self.var_or_prop(" after `,`")?);
        }
        let mut aggregates = Vec::new();
        if let Some(first) = self.aggregate()? {
            aggregates.push(first);
            while self.eat_comma() {
                self.room_for(aggregates.len(), "`group by` takes", "aggregates")?;
                match self.aggregate()? {
                    Some(a) => aggregates.push(a),
                    None => return Err(self.unexpected(" after `,` in `group by`")),
                }
            }
        }
        Ok(GroupBy { keys, aggregates })
    }

    fn word_at(&self, offset: usize) -> Option<&str> {
        self.toks.get(self.pos + offset).and_then(Token::word)
    }

    fn is_comma(&self) -> bool {
        matches!(
            self.peek(),
            Some(Token {
                tok: Tok::Comma,
                ..
            })
        )
    }

    /// `count [distinct X] as ?n`, `min(X) as ?n`, `max(X) as ?n`, `sample X as ?n`; `None` when
    /// no aggregate word is next.
    fn aggregate(&mut self) -> PResult<Option<Aggregate>> {
        // A `count` with neither `as` nor `distinct` after it is the `count` of the whole answer.
        if self.is_word(0, "count") && !self.is_word(1, "as") && !self.is_word(1, "distinct") {
            self.expect(Expect::Kw("count"));
            return Ok(None);
        }
        let Some((word, span)) = self.eat_any(&["count", "min", "max", "sample"]) else {
            return Ok(None);
        };
        let func = match word {
            "count" => match self.eat_kw("distinct") {
                Some(_) => AggFunc::CountDistinct(self.var_or_prop(" after `count distinct`")?),
                None => AggFunc::Count,
            },
            "sample" => AggFunc::Sample(self.var_or_prop(" after `sample`")?),
            _ => {
                let parens = self.eat_punct("(").is_some();
                let operand = self.var_or_prop(&format!(" after `{word}`"))?;
                if parens {
                    self.punct(")", &format!(" to close `{word}(`"))?;
                }
                match word {
                    "min" => AggFunc::Min(operand),
                    _ => AggFunc::Max(operand),
                }
            }
        };
        if self.eat_kw("as").is_none() {
            return Err(self.unexpected(" after an aggregate").suggest(Some(format!(
                "name the aggregate's value: `{word} ... as ?name`"
            ))));
        }
        let name = self.var()?;
        Ok(Some(Aggregate { func, name, span }))
    }

    /// A condition: `or` of `and` of (`not`) comparisons, with parentheses.
    pub(crate) fn condition(&mut self) -> PResult<Cond> {
        self.refine();
        self.or_cond(0)
    }

    fn deeper(&self, depth: usize) -> PResult<usize> {
        if depth >= MAX_NESTING {
            return Err(ParseError::new(
                self.span(),
                format!("a condition nests at most {MAX_NESTING} parentheses and `not`s deep"),
            )
            .suggest(Some("write the condition flatter".to_string())));
        }
        Ok(depth + 1)
    }

    fn or_cond(&mut self, depth: usize) -> PResult<Cond> {
        let mut items = vec![self.and_cond(depth)?];
        while self.eat_kw("or").is_some() {
            self.room_for(items.len(), "`or` joins", "conditions")?;
            items.push(self.and_cond(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Cond::Or(items)
        })
    }

    fn and_cond(&mut self, depth: usize) -> PResult<Cond> {
        let mut items = vec![self.unary_cond(depth)?];
        while self.eat_kw("and").is_some() {
            self.room_for(items.len(), "`and` joins", "conditions")?;
            items.push(self.unary_cond(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Cond::And(items)
        })
    }

    fn unary_cond(&mut self, depth: usize) -> PResult<Cond> {
        if self.eat_kw("not").is_some() {
            let depth = self.deeper(depth)?;
            return Ok(Cond::Not(Box::new(self.unary_cond(depth)?)));
        }
        if self.eat_punct("(").is_some() {
            let depth = self.deeper(depth)?;
            let inner = self.or_cond(depth)?;
            self.punct(")", " to close `(`")?;
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> PResult<Cond> {
        let left = self.operand(" in the condition")?;
        for (symbol, op) in CmpOp::SYMBOLS {
            self.expect(Expect::Kw(symbol));
            if self.is_word(0, symbol) {
                let span = self.span();
                self.bump();
                let right = self.operand(&format!(" after `{symbol}`"))?;
                return Ok(Cond::Compare {
                    left,
                    op: Spanned::new(op, span),
                    right,
                });
            }
        }
        self.expect(Expect::Kw("certainly"));
        let certainly = self.eat_kw("certainly").is_some();
        let words = ["during", "before", "after"];
        if let Some((word, span)) = self.eat_any(&words) {
            let op = match word {
                "during" => DateOp::During,
                "before" => DateOp::Before,
                _ => DateOp::After,
            };
            let when = self.date(word, DATE_STOPS, date::parse_when)?;
            return Ok(Cond::Date {
                left,
                certainly,
                op: Spanned::new(op, span),
                when,
            });
        }
        if certainly {
            return Err(self.unexpected(" after `certainly`"));
        }
        if let Some((word, span)) = self.eat_any(&["in", "contains", "matches"]) {
            if word == "in" {
                return self.in_list(left);
            }
            let op = if word == "contains" {
                TextOp::Contains
            } else {
                TextOp::Matches
            };
            let text = self.quoted_text(word)?;
            return Ok(Cond::Text {
                left,
                op: Spanned::new(op, span),
                text,
            });
        }
        Err(self.unexpected(" after the left side of a comparison"))
    }

    fn in_list(&mut self, left: Operand) -> PResult<Cond> {
        self.punct("[", " after `in`")?;
        let mut items = vec![self.operand(" in the list")?];
        while self.eat_comma() {
            self.room_for(items.len(), "a list takes", "items")?;
            items.push(self.operand(" after `,`")?);
        }
        self.punct("]", " to close the list")?;
        Ok(Cond::In { left, items })
    }

    fn quoted_text(&mut self, keyword: &str) -> PResult<Spanned<String>> {
        self.expect(Expect::Thing("a quoted text"));
        let span = self.span();
        match self.peek().map(|t| &t.tok) {
            Some(Tok::Quoted(text)) => {
                let text = text.clone();
                if keyword == "matches" && text.len() > MAX_REGEX_LEN {
                    return Err(ParseError::new(
                        span,
                        format!("a pattern of `matches` holds at most {MAX_REGEX_LEN} bytes"),
                    ));
                }
                self.bump();
                Ok(Spanned::new(text, span))
            }
            _ => Err(self
                .unexpected(&format!(" after `{keyword}`"))
                .suggest(Some(format!(
                    "write the text in double quotes: {keyword} \"...\""
                )))),
        }
    }

    /// A variable, `?x.prop` or a literal.
    fn operand(&mut self, context: &str) -> PResult<Operand> {
        if self.peek_word().is_some_and(|w| w.starts_with('?')) {
            return self.var_or_prop(context);
        }
        self.expect(Expect::Thing("a variable"));
        self.expect(Expect::Thing("a value"));
        let Some(token) = self.peek() else {
            return Err(self.unexpected(context));
        };
        let span = token.span.clone();
        let literal = match &token.tok {
            Tok::Quoted(text) => EntityRef {
                text: text.clone(),
                quoted: true,
                span,
            },
            Tok::Word(w)
                if !is_condition_word(w) && !super::match_clause::literal_needs_quotes(w) =>
            {
                EntityRef {
                    text: w.to_string(),
                    quoted: false,
                    span,
                }
            }
            _ => return Err(self.unexpected(context)),
        };
        self.bump();
        Ok(Operand::Literal(literal))
    }

    /// `?x` or `?x.prop`, with a did-you-mean for a misspelt property.
    pub(crate) fn var_or_prop(&mut self, context: &str) -> PResult<Operand> {
        self.expect(Expect::Thing("a variable"));
        let Some(word) = self.peek_word().filter(|w| w.starts_with('?')) else {
            return Err(self.unexpected(context));
        };
        let span = self.span();
        let Some((name, prop)) = word.split_once('.') else {
            return Ok(Operand::Var(self.var()?));
        };
        let var_span = span.start..span.start + name.len();
        let prop_span = var_span.end + 1..span.end;
        if !super::lexer::is_var_name(&name[1..]) {
            return Err(ParseError::new(
                var_span,
                format!("`{}` is not a variable name", clipped(name)),
            )
            .expecting("a variable"));
        }
        let var = Spanned::new(name[1..].to_string(), var_span);
        if prop.eq_ignore_ascii_case("attr") {
            self.bump();
            self.punct("(", " after `attr`")?;
            let key = self.quoted_text("attr(")?;
            let close = self.punct(")", " to close `attr(`")?;
            let prop = Spanned::new(Prop::Attr(key.node), prop_span.start..close.end);
            return Ok(Operand::Prop { var, prop });
        }
        let Some(p) = Prop::from_name(prop) else {
            let suggestion = suggestion_text(&did_you_mean(prop, Prop::NAMES.iter().copied()));
            return Err(ParseError::new(
                prop_span,
                format!("unknown property `{}`", clipped(prop)),
            )
            .expecting("a property")
            .suggest(
                suggestion.or_else(|| Some(format!("properties are {}", Prop::NAMES.join(", ")))),
            ));
        };
        self.bump();
        Ok(Operand::Prop {
            var,
            prop: Spanned::new(p, prop_span),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn words_split_at_brackets_and_operators_only() {
        assert_eq!(pieces("min(?f.when)"), vec![3, 1, 7, 1]);
        assert_eq!(pieces("?a!=?b"), vec![2, 2, 2]);
        assert_eq!(pieces("?a<=3"), vec![2, 2, 1]);
        assert_eq!(pieces("Ḥims"), vec!["Ḥims".len()]);
        assert_eq!(pieces("x!"), vec![2]);
    }
}
