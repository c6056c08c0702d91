//! Names second for `match`'s clauses: looks up the names in conditions, checks that each
//! comparison compares things of one type, and numbers the columns of groups and orderings.
//!
//! A comparison of things that cannot be compared (`?f.when = ?x.kind`) is an error here, with a
//! caret, rather than a condition that is silently never true.

use super::{NameProblem, RPattern, Resolver, Vars};
use crate::diagnostic::did_you_mean;
use crate::query::ast::{
    self, AggFunc, Cond, GroupBy, Operand, OrderExpr, OrderKey, Prop, RelRef, Span, TextOp,
};
use crate::query::clipped;
use crate::query::eval::filter::{Pattern, RCond, ROperand, VarKind};

/// Bytes a compiled `matches` pattern may take: ample for any pattern a person writes, and a bound
/// on what a hostile one costs.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// `match`'s clauses, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RClauses {
    /// What each variable stands for, by number.
    pub kinds: Vec<VarKind>,
    /// The fact variable of each pattern, if it names one.
    pub facts: Vec<Option<usize>>,
    pub blocks: Vec<RBlock>,
    /// The conjuncts of `where`.
    pub filters: Vec<RCond>,
    pub group: Option<RGroup>,
    pub order: Vec<ROrder>,
    pub offset: usize,
    pub limit: Option<usize>,
}

impl RClauses {
    /// Whether the match needs only the join of `join.rs` (patterns, `select`, `count`).
    pub fn is_plain(&self) -> bool {
        self.facts.iter().all(Option::is_none)
            && self.blocks.is_empty()
            && self.filters.is_empty()
            && self.group.is_none()
            && self.order.is_empty()
            && self.offset == 0
            && self.limit.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RBlock {
    pub negated: bool,
    pub patterns: Vec<RPattern>,
    pub facts: Vec<Option<usize>>,
    pub filters: Vec<RCond>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RAggregate {
    Count,
    CountDistinct(ROperand),
    Min(ROperand),
    Max(ROperand),
    Sample(ROperand),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RGroup {
    pub keys: Vec<ROperand>,
    pub aggregates: Vec<RAggregate>,
    /// Names of the keys then the aggregates: the columns a group row has.
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ROrder {
    /// A column of the answer, or a property of the value in it.
    Column {
        column: usize,
        prop: Option<Prop>,
        descending: bool,
    },
    /// The rows of each group.
    Count { descending: bool },
}

/// The type of what an operand reads, for checking comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Entity,
    Relation,
    Fact,
    Kind,
    Text,
    List,
    Date,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::Entity => "an entity",
            Type::Relation => "a relation",
            Type::Fact => "a fact",
            Type::Kind => "a kind",
            Type::Text => "a text",
            Type::List => "a list",
            Type::Date => "a date",
        }
    }
}

fn problem(span: Span, message: String, label: &str, help: Option<String>) -> NameProblem {
    NameProblem {
        span,
        message,
        label: label.to_string(),
        help,
    }
}

/// The conjuncts of a condition: what can be checked one at a time, as soon as each is bound.
pub fn conjuncts(cond: RCond) -> Vec<RCond> {
    match cond {
        RCond::And(items) => items.into_iter().flat_map(conjuncts).collect(),
        other => vec![other],
    }
}

impl Resolver<'_> {
    fn report(&mut self, p: NameProblem) {
        if self.room(&p.span) {
            self.problems.push(p);
        }
    }

    /// The number of a variable a condition reads: one a pattern binds.
    fn bound_var(&mut self, var: &ast::Spanned<String>, vars: &Vars) -> Option<usize> {
        if let Some(&i) = vars.numbers.get(var.node.as_str()) {
            return Some(i);
        }
        let close = did_you_mean(&var.node, vars.names.iter().map(String::as_str));
        let help = close
            .first()
            .map(|n| format!("did you mean `?{n}`?"))
            .or_else(|| {
                let used: Vec<String> = vars.names.iter().map(|n| format!("?{n}")).collect();
                Some(format!("the patterns bind {}", clipped(&used.join(", "))))
            });
        self.report(problem(
            var.span.clone(),
            format!("`?{}` is not bound by any pattern", clipped(&var.node)),
            "nothing binds it",
            help,
        ));
        None
    }

    /// An operand that reads a variable, with its type.
    fn typed(&mut self, operand: &Operand, vars: &Vars) -> Option<(ROperand, Type)> {
        let (var, prop) = match operand {
            Operand::Var(v) => (v, None),
            Operand::Prop { var, prop } => (var, Some(prop)),
            Operand::Literal(_) => return None,
        };
        let v = self.bound_var(var, vars)?;
        let kind = vars.kinds[v];
        let Some(prop) = prop else {
            let t = match kind {
                VarKind::Entity => Type::Entity,
                VarKind::Relation => Type::Relation,
                VarKind::Fact => Type::Fact,
            };
            return Some((ROperand::Var(v), t));
        };
        let t = match (kind, &prop.node) {
            (VarKind::Fact, Prop::When) => Type::Date,
            (
                VarKind::Fact,
                Prop::Source | Prop::Quote | Prop::Note | Prop::Reliability | Prop::Credibility,
            ) => Type::Text,
            (VarKind::Fact, Prop::ReportedBy) => Type::List,
            (VarKind::Fact, Prop::Relation) => Type::Relation,
            (VarKind::Entity, Prop::Kind) => Type::Kind,
            (VarKind::Entity, Prop::Name | Prop::Id | Prop::Attr(_)) => Type::Text,
            (VarKind::Entity, Prop::Tags | Prop::Aliases) => Type::List,
            (kind, p) => {
                let (what, props) = match kind {
                    VarKind::Fact => (
                        "a fact",
                        "when, source, quote, reported_by, note, relation, reliability, credibility",
                    ),
                    VarKind::Entity => {
                        ("an entity", "kind, name, id, tags, aliases, attr(\"KEY\")")
                    }
                    VarKind::Relation => ("a relation", "none"),
                };
                let help = match (kind, p.is_of_fact()) {
                    (VarKind::Entity, true) => Some(format!(
                        "`{p}` is a property of facts: name the pattern's fact with `as ?f` and \
                         write `?f.{p}`"
                    )),
                    _ => Some(format!("the properties of {what} are: {props}")),
                };
                self.report(problem(
                    prop.span.clone(),
                    format!("`?{}` is {what}, which has no property `{p}`", var.node),
                    "no such property here",
                    help,
                ));
                return None;
            }
        };
        Some((ROperand::Prop(v, prop.node.clone()), t))
    }

    /// A literal read as a value of type `t`: an entity or relation name, a kind, a text.
    fn literal(&mut self, literal: &ast::EntityRef, t: Type, other: &Operand) -> Option<ROperand> {
        match t {
            Type::Entity => self.entity(literal).map(ROperand::Entity),
            Type::Relation => {
                let rel = RelRef {
                    name: literal.text.clone(),
                    inverse: false,
                    span: literal.span.clone(),
                };
                self.relation(&rel).map(ROperand::Relation)
            }
            Type::Kind => {
                let kind = Some(ast::Spanned::new(
                    literal.text.clone(),
                    literal.span.clone(),
                ));
                self.kind(&kind).flatten().map(ROperand::Kind)
            }
            Type::Text => Some(ROperand::Text(literal.text.clone())),
            Type::Date => {
                self.report(problem(
                    literal.span.clone(),
                    format!("`{other}` is a date and cannot be compared with `=` or `<`"),
                    "a date compares by its period",
                    Some(format!(
                        "write `{other} during {0}`, `before {0}` or `after {0}`",
                        clipped(&literal.text)
                    )),
                ));
                None
            }
            Type::List => {
                self.report(problem(
                    literal.span.clone(),
                    format!("`{other}` is a list and cannot be compared with a value"),
                    "a list is searched, not compared",
                    Some(format!(
                        "write `{other} contains \"{}\"`",
                        clipped(&literal.text)
                    )),
                ));
                None
            }
            Type::Fact => {
                self.report(problem(
                    literal.span.clone(),
                    format!("`{other}` is a fact and compares only with another fact variable"),
                    "not a fact",
                    Some(format!(
                        "compare a property of it, such as `{other}.source`"
                    )),
                ));
                None
            }
        }
    }

    /// Both sides of a comparison, resolved, when they are of one type.
    fn pair(
        &mut self,
        left: &Operand,
        right: &Operand,
        at: &Span,
        vars: &Vars,
    ) -> Option<(ROperand, ROperand, Type)> {
        let (l, r) = (self.typed(left, vars), self.typed(right, vars));
        match (l, r, left, right) {
            (Some((a, ta)), Some((b, tb)), _, _) if ta == tb => Some((a, b, ta)),
            (Some((_, ta)), Some((_, tb)), _, _) => {
                self.report(problem(
                    at.clone(),
                    format!(
                        "`{left}` is {} and `{right}` is {}: they cannot be compared",
                        ta.name(),
                        tb.name()
                    ),
                    "incomparable types",
                    Some("compare values of one type, such as two entities or two texts".into()),
                ));
                None
            }
            (Some((a, t)), None, _, Operand::Literal(lit)) => {
                Some((a, self.literal(lit, t, left)?, t))
            }
            (None, Some((b, t)), Operand::Literal(lit), _) => {
                Some((self.literal(lit, t, right)?, b, t))
            }
            (None, None, Operand::Literal(_), Operand::Literal(_)) => {
                self.report(problem(
                    left.span(),
                    "a comparison needs a variable on one side".to_string(),
                    "a value, not a variable",
                    Some("compare a variable or a property such as `?x.name`".into()),
                ));
                None
            }
            _ => None,
        }
    }

    pub(super) fn condition(&mut self, cond: &Cond, vars: &Vars) -> Option<RCond> {
        match cond {
            Cond::And(items) | Cond::Or(items) => {
                let out: Vec<Option<RCond>> =
                    items.iter().map(|c| self.condition(c, vars)).collect();
                let out: Vec<RCond> = out.into_iter().collect::<Option<_>>()?;
                Some(if matches!(cond, Cond::And(_)) {
                    RCond::And(out)
                } else {
                    RCond::Or(out)
                })
            }
            Cond::Not(c) => Some(RCond::Not(Box::new(self.condition(c, vars)?))),
            Cond::Compare { left, op, right } => {
                let (a, b, t) = self.pair(left, right, &op.span, vars)?;
                let orderable = matches!(t, Type::Text | Type::Date);
                if op.node.is_ordering() && !orderable {
                    self.report(problem(
                        op.span.clone(),
                        format!(
                            "`{}` needs an order, and {} has none",
                            op.node.symbol(),
                            t.name()
                        ),
                        "only texts, numbers and dates are ordered",
                        Some(format!(
                            "compare with `=` or `!=`, or order a property such as `{left}.name`"
                        )),
                    ));
                    return None;
                }
                Some(RCond::Compare(a, op.node, b))
            }
            Cond::In { left, items } => {
                let at = left.span();
                let mut out = Vec::new();
                let mut first = None;
                for item in items {
                    let (a, b, _) = self.pair(left, item, &at, vars)?;
                    first.get_or_insert(a);
                    out.push(b);
                }
                Some(RCond::In(first?, out))
            }
            Cond::Text { left, op, text } => {
                let Some((a, t)) = self.typed(left, vars) else {
                    if let Operand::Literal(l) = left {
                        self.report(problem(
                            l.span.clone(),
                            "the left side must be a variable or a property".into(),
                            "a value, not a variable",
                            None,
                        ));
                    }
                    return None;
                };
                if !matches!(t, Type::Text | Type::List) {
                    self.report(problem(
                        op.span.clone(),
                        format!(
                            "`{left}` is {}, and only texts and lists are searched",
                            t.name()
                        ),
                        "not a text",
                        Some(format!("search a property such as `{left}.name`")),
                    ));
                    return None;
                }
                match op.node {
                    TextOp::Contains => Some(RCond::Contains(a, text.node.clone())),
                    TextOp::Matches => {
                        let regex = regex::RegexBuilder::new(&text.node)
                            .size_limit(REGEX_SIZE_LIMIT)
                            .build();
                        match regex {
                            Ok(r) => Some(RCond::Matches(a, Pattern(Box::new(r)))),
                            Err(e) => {
                                let detail = e.to_string();
                                let last = detail.lines().last().unwrap_or("").trim();
                                let last = last.strip_prefix("error: ").unwrap_or(last).to_string();
                                self.report(problem(
                                    text.span.clone(),
                                    "not a valid regular expression".into(),
                                    "here",
                                    Some(last),
                                ));
                                None
                            }
                        }
                    }
                }
            }
            Cond::Date {
                left,
                certainly,
                op,
                when,
            } => {
                let (a, t) = self.typed(left, vars)?;
                if t != Type::Date {
                    self.report(problem(
                        op.span.clone(),
                        format!(
                            "`{left}` is {}, and only dates are `{}` a period",
                            t.name(),
                            op.node.word()
                        ),
                        "not a date",
                        Some(
                            "a fact's date is `?f.when`, where the pattern ends with `as ?f`"
                                .into(),
                        ),
                    ));
                    return None;
                }
                Some(RCond::Date {
                    left: a,
                    certainly: *certainly,
                    op: op.node,
                    period: when.node.interval(),
                })
            }
        }
    }

    /// A group key or aggregate argument: a variable or property, and its column name.
    fn column_operand(&mut self, operand: &Operand, vars: &Vars) -> Option<ROperand> {
        match self.typed(operand, vars) {
            Some((o, _)) => Some(o),
            None => {
                if let Operand::Literal(l) = operand {
                    self.report(problem(
                        l.span.clone(),
                        "expected a variable".into(),
                        "a value",
                        None,
                    ));
                }
                None
            }
        }
    }

    pub(super) fn group(&mut self, group: &GroupBy, vars: &Vars) -> Option<RGroup> {
        let mut ok = true;
        let mut keys = Vec::new();
        let mut columns = Vec::new();
        for key in &group.keys {
            match self.column_operand(key, vars) {
                Some(k) => keys.push(k),
                None => ok = false,
            }
            columns.push(column_name(key));
        }
        let mut aggregates = Vec::new();
        for a in &group.aggregates {
            if vars.numbers.contains_key(a.name.node.as_str()) || columns.contains(&a.name.node) {
                self.report(problem(
                    a.name.span.clone(),
                    format!("`?{}` is already a variable of this match", a.name.node),
                    "names another value",
                    Some("name the aggregate with a new variable".into()),
                ));
                ok = false;
            }
            columns.push(a.name.node.clone());
            let arg = |o: &Operand, r: &mut Self| r.column_operand(o, vars);
            let resolved = match &a.func {
                AggFunc::Count => Some(RAggregate::Count),
                AggFunc::CountDistinct(o) => arg(o, self).map(RAggregate::CountDistinct),
                AggFunc::Min(o) => arg(o, self).map(RAggregate::Min),
                AggFunc::Max(o) => arg(o, self).map(RAggregate::Max),
                AggFunc::Sample(o) => arg(o, self).map(RAggregate::Sample),
            };
            match resolved {
                Some(r) => aggregates.push(r),
                None => ok = false,
            }
        }
        ok.then_some(RGroup {
            keys,
            aggregates,
            columns,
        })
    }

    /// The columns a grouped `select` names, by number.
    pub(super) fn group_select(
        &mut self,
        select: &[ast::Spanned<String>],
        group: &RGroup,
    ) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut ok = true;
        for var in select {
            match group.columns.iter().position(|c| *c == var.node) {
                Some(i) if !out.contains(&i) => out.push(i),
                Some(_) => {}
                None => {
                    ok = false;
                    let names: Vec<String> =
                        group.columns.iter().map(|c| format!("?{c}")).collect();
                    self.report(problem(
                        var.span.clone(),
                        format!(
                            "`?{}` is neither a key nor an aggregate of `group by`",
                            var.node
                        ),
                        "not a column of the groups",
                        Some(format!("a grouped match answers with {}", names.join(", "))),
                    ));
                }
            }
        }
        if out.is_empty() {
            out = (0..group.columns.len()).collect();
        }
        ok.then_some(out)
    }

    /// `order by` keys as columns of the answer: `columns` names them, `vars` the variables.
    pub(super) fn order(
        &mut self,
        order: &[OrderKey],
        columns: &[String],
        grouped: bool,
        vars: &Vars,
    ) -> Option<Vec<ROrder>> {
        let mut out = Vec::new();
        let mut ok = true;
        for key in order {
            let descending = key.descending;
            let operand = match &key.expr {
                OrderExpr::Count(_) if grouped => {
                    out.push(ROrder::Count { descending });
                    continue;
                }
                OrderExpr::Count(span) => {
                    ok = false;
                    self.report(problem(
                        span.clone(),
                        "`count` orders groups, and this match has none".into(),
                        "no groups",
                        Some("add `group by ?x count as ?n` and order by `?n`".into()),
                    ));
                    continue;
                }
                OrderExpr::Operand(o) => o,
            };
            let name = column_name(operand);
            if let Some(column) = columns.iter().position(|c| *c == name) {
                out.push(ROrder::Column {
                    column,
                    prop: None,
                    descending,
                });
                continue;
            }
            if let (Operand::Prop { var, prop }, false) = (operand, grouped) {
                if let Some(column) = columns.iter().position(|c| *c == var.node) {
                    // Checks that the variable has the property.
                    if self.typed(operand, vars).is_some() {
                        out.push(ROrder::Column {
                            column,
                            prop: Some(prop.node.clone()),
                            descending,
                        });
                    } else {
                        ok = false;
                    }
                    continue;
                }
            }
            ok = false;
            let shown: Vec<String> = columns.iter().map(|c| format!("?{c}")).collect();
            let span = operand.span();
            let known = operand
                .var()
                .is_some_and(|v| vars.numbers.contains_key(v.node.as_str()));
            let names = columns.iter().map(String::as_str);
            let base = operand.var().map_or(String::new(), |v| v.node.clone());
            let suggestion = did_you_mean(&base, names)
                .first()
                .map(|n| format!("did you mean `?{n}`?"));
            self.report(problem(
                span,
                if known {
                    format!("`{operand}` is not a column of the answer")
                } else {
                    format!("`{operand}` is not bound by any pattern")
                },
                "cannot order by it",
                suggestion.or_else(|| Some(format!("order by one of {}", shown.join(", ")))),
            ));
        }
        ok.then_some(out)
    }
}

/// The column name of a key: `x` for `?x`, `f.source` for `?f.source`.
pub fn column_name(operand: &Operand) -> String {
    let text = operand.to_string();
    text.strip_prefix('?').unwrap_or(&text).to_string()
}
