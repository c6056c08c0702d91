//! Names second: looks up the entity, relation and kind names of a parsed query in the graph.
//!
//! Kept apart from parsing so that a syntax error and an unknown name are distinct stages with
//! distinct messages, and so that the parser never needs a graph.

mod clauses;

pub use clauses::{column_name, conjuncts, RAggregate, RBlock, RClauses, RGroup, ROrder};

use super::filter::VarKind;
use super::split::{self, Reading};
use super::{CancelToken, EvalError};
use crate::date::DatePoint;
use crate::graph::{
    lookup_help, KnowledgeGraph, LookupError, RelationLookupError, RelationMatch, Spelling,
};
use crate::model::{EntityId, Kind};
use crate::names::keys_of;
use crate::query::ast::{self, Command, Direction, EntityRef, PathQuery, RelRef, Span, Term};
use crate::query::{clipped, relation_as_typed};
use hashbrown::HashMap;

/// Paths longer than this are not searched unless `max` says so: enough for any article graph and
/// for the long chains of WordNet, and a bound on enumeration.
pub const DEFAULT_MAX_HOPS: u32 = 12;
/// `all` paths stop after this many unless `limit` says otherwise.
pub const DEFAULT_PATH_LIMIT: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathMode {
    Shortest(u32),
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RTerm {
    Entity(EntityId),
    Var(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RRel {
    Rel(RelationMatch),
    Var(usize),
    /// A relation path of more than one hop, or of one hop read different ways round.
    Path(Box<super::relpath::PathAutomaton>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RPattern {
    pub subject: RTerm,
    pub relation: RRel,
    pub object: RTerm,
}

/// A `path` query with its names looked up and its defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedPath {
    pub from: EntityId,
    pub to: EntityId,
    pub directed: bool,
    pub via: Vec<RelationMatch>,
    pub avoid: Vec<EntityId>,
    /// Relations no hop may use (`avoid via`), whichever way round.
    pub avoid_relations: Vec<crate::model::RelationId>,
    /// Kinds no entity between the ends may have (`avoid kind`).
    pub avoid_kinds: Vec<Kind>,
    pub chronological: bool,
    pub min: u32,
    pub max: u32,
    pub mode: PathMode,
    pub limit: u32,
}

/// A query whose names all refer to something in the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Neighbors {
        entity: EntityId,
        direction: Direction,
        via: Vec<RelationMatch>,
        depth: u32,
        kind: Option<Kind>,
        page: Window,
    },
    Path(ResolvedPath),
    Match {
        patterns: Vec<RPattern>,
        vars: Vec<String>,
        /// Indices into `vars` to answer with; all of them when `select` was not written. In a
        /// grouped match, indices into the group's columns.
        select: Vec<usize>,
        count: bool,
        /// Fact variables, blocks, `where`, `group by`, `order by`, `limit`.
        clauses: Box<RClauses>,
    },
    Why {
        subject: EntityId,
        relation: RelationMatch,
        label: String,
        object: EntityId,
    },
    Show {
        entity: EntityId,
    },
    Timeline {
        entity: Option<EntityId>,
        from: Option<DatePoint>,
        to: Option<DatePoint>,
        page: Window,
    },
    Entities {
        kind: Option<Kind>,
        matching: Option<String>,
    },
    Relations,
    Sources,
    Stats,
    Search(super::search::ResolvedSearch),
    Changes {
        entity: Option<EntityId>,
    },
    Conflicts {
        entity: Option<EntityId>,
    },
}

/// The rows of an answer to give: after `offset`, at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub offset: usize,
    pub limit: Option<usize>,
}

impl Window {
    fn of(page: &ast::Page) -> Window {
        Window {
            offset: page.offset.as_ref().map_or(0, |o| o.node as usize),
            limit: page.limit.as_ref().map(|l| l.node as usize),
        }
    }

    /// Keeps the rows in the window; returns how many rows follow it, which `limit` left out.
    pub fn apply<T>(self, rows: &mut Vec<T>) -> usize {
        let end = self.limit.map_or(rows.len(), |l| {
            self.offset.saturating_add(l).min(rows.len())
        });
        let more = rows.len() - end;
        rows.truncate(end);
        rows.drain(..self.offset.min(rows.len()));
        more
    }
}

/// A name that did not resolve: where, what, and a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// Problems a query reports in full; past these they are only counted, so that a query of a
/// thousand unknown names costs a thousand lookups and ten searches for suggestions.
pub const MAX_PROBLEMS: usize = 10;

/// A query with its names resolved and its time slice, or what did not resolve.
pub type Resolution = Result<(Resolved, crate::query::scope::TimeScope), Vec<NameProblem>>;

/// A name of the query not found as written, read as `chosen`'s spelt otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respelt {
    pub written: String,
    pub chosen: EntityId,
}

/// Resolves every name, reporting all unknown ones at once (the first [`MAX_PROBLEMS`] of them
/// in full).
pub fn resolve(graph: &KnowledgeGraph, query: &ast::Query) -> Resolution {
    match resolve_cancellable(graph, query, &CancelToken::new()) {
        Ok((resolved, _)) => resolved,
        // A token nobody else holds is never cancelled.
        Err(EvalError::Cancelled) => Err(Vec::new()),
    }
}

/// [`resolve`], stopping when `cancel` is set: looking names up is linear in their length, but
/// suggestions for a misspelt one read every name in the graph. Also gives the names read as
/// another entity's spelt otherwise, once each, which an answer has to say.
pub fn resolve_cancellable(
    graph: &KnowledgeGraph,
    query: &ast::Query,
    cancel: &CancelToken,
) -> Result<(Resolution, Vec<Respelt>), EvalError> {
    let mut r = Resolver {
        graph,
        cancel,
        problems: Vec::new(),
        omitted: 0,
        first_omitted: None,
        longest_name: None,
        respelt: Vec::new(),
    };
    let resolved = r.command(&query.command);
    if cancel.is_cancelled() {
        return Err(EvalError::Cancelled);
    }
    if let Some(span) = r.first_omitted.take() {
        let more = r.omitted;
        r.problems.push(NameProblem {
            span,
            message: format!(
                "{more} more problem{} in this query",
                if more == 1 { "" } else { "s" }
            ),
            label: "the first of them".to_string(),
            help: Some(format!(
                "only the first {MAX_PROBLEMS} are shown in full; fix those first"
            )),
        });
    }
    let resolution = match resolved {
        Some(resolved) if r.problems.is_empty() => Ok((resolved, query.scope())),
        _ => Err(r.problems),
    };
    Ok((resolution, r.respelt))
}

struct Resolver<'g> {
    graph: &'g KnowledgeGraph,
    cancel: &'g CancelToken,
    problems: Vec<NameProblem>,
    /// Problems past [`MAX_PROBLEMS`], counted, and where the first of them is.
    omitted: usize,
    first_omitted: Option<Span>,
    /// Characters of the longest id, name or alias, lowercased; found when first needed.
    longest_name: Option<usize>,
    /// The names read as another entity's spelt otherwise, in the order they were read.
    respelt: Vec<Respelt>,
}

impl Resolver<'_> {
    /// Whether a problem at `span` is to be reported in full: the cap is not reached and the
    /// query not cancelled. Otherwise it is counted, and its suggestions need not be sought.
    fn room(&mut self, span: &Span) -> bool {
        if self.problems.len() < MAX_PROBLEMS && !self.cancel.is_cancelled() {
            return true;
        }
        self.omitted += 1;
        self.first_omitted.get_or_insert_with(|| span.clone());
        false
    }

    fn entity(&mut self, name: &EntityRef) -> Option<EntityId> {
        let (error, spelling) = match self.graph.lookup_spelt(&name.text) {
            Ok((id, Spelling::AsWritten)) => return Some(id),
            Ok((chosen, Spelling::Otherwise)) => {
                // Recorded here, as the name is read: a `why` split reads pieces of the words
                // the parser gave, which the query's text alone does not show.
                let written = name.text.trim();
                if !self.respelt.iter().any(|r| r.written == written) {
                    self.respelt.push(Respelt {
                        written: written.to_string(),
                        chosen,
                    });
                }
                return Some(chosen);
            }
            Err(missed) => missed,
        };
        let alike = spelling == Spelling::Otherwise;
        if !self.room(&name.span) {
            return None;
        }
        let shown = clipped(&name.text);
        let (message, label) = match &error {
            LookupError::Unknown { .. } => (
                format!("unknown entity `{shown}`"),
                "no entity has this id, name or alias",
            ),
            LookupError::Ambiguous { .. } if alike => (
                format!("`{shown}` is ambiguous"),
                "several entities have names spelt like this",
            ),
            LookupError::Ambiguous { .. } => (
                format!("`{shown}` is ambiguous"),
                "several entities have this name",
            ),
        };
        let help = match error {
            LookupError::Unknown { .. } => {
                let swallowed = if name.quoted {
                    None
                } else {
                    self.swallowed_keyword(&name.text)
                };
                swallowed.or_else(|| {
                    let suggestions = self
                        .graph
                        .suggest_entities(&name.text.trim().to_lowercase());
                    lookup_help(self.graph, &LookupError::Unknown { suggestions })
                })
            }
            ambiguous => lookup_help(self.graph, &ambiguous),
        };
        self.problems.push(NameProblem {
            span: name.span.clone(),
            message,
            label: label.to_string(),
            help,
        });
        None
    }

    /// A bare name runs until a keyword, so a misspelled keyword (`neighbors ISIL deph 2`) is read
    /// as part of the name. If a leading part of the name is an entity, say so and suggest the
    /// keyword the next word was probably meant to be (otherwise the usual suggestions apply).
    /// Only leading parts no longer than the graph's longest name are looked up, longest first,
    /// so the cost does not grow with the name's length beyond one pass over it.
    fn swallowed_keyword(&mut self, text: &str) -> Option<String> {
        let longest = self.longest_name();
        let cuts: Vec<usize> = text
            .char_indices()
            .take(longest + 1)
            .filter(|&(_, c)| c == ' ')
            .map(|(i, _)| i)
            .collect();
        let cut = cuts
            .into_iter()
            .rev()
            .find(|&cut| self.graph.lookup_exact(&text[..cut]).is_ok())?;
        let entity = &text[..cut];
        let word = text[cut + 1..].split(' ').next()?;
        let keyword = crate::diagnostic::did_you_mean(word, crate::query::KEYWORDS.iter().copied());
        let k = keyword.first()?;
        Some(format!(
            "did you mean `{k}`? `{entity}` is an entity, and `{}` was read as part of its name",
            clipped(word)
        ))
    }

    fn longest_name(&mut self) -> usize {
        let entities = &self.graph.model.entities;
        *self.longest_name.get_or_insert_with(|| {
            entities
                .iter()
                .flat_map(keys_of)
                .map(|k| k.chars().map(|c| c.to_lowercase().count()).sum())
                .max()
                .unwrap_or(0)
        })
    }

    fn relation(&mut self, rel: &RelRef) -> Option<RelationMatch> {
        match self.graph.lookup_relation(&rel.name) {
            Ok(mut m) => {
                m.backwards ^= rel.inverse;
                Some(m)
            }
            Err(RelationLookupError::Ambiguous { labels }) => {
                if !self.room(&rel.span) {
                    return None;
                }
                let quoted: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
                self.problems.push(NameProblem {
                    span: rel.span.clone(),
                    message: format!("`{}` is ambiguous", rel.name),
                    label: "relation labels differ from this only by case".to_string(),
                    help: Some(format!("write one exactly: {}", quoted.join(", "))),
                });
                None
            }
            Err(RelationLookupError::Unknown { suggestions }) => {
                if !self.room(&rel.span) {
                    return None;
                }
                let typed: Vec<String> = suggestions.iter().map(|s| relation_as_typed(s)).collect();
                let refs: Vec<&str> = typed.iter().map(String::as_str).collect();
                let help = crate::diagnostic::suggestion_text(&refs).or_else(|| {
                    let relations = &self.graph.model.relations;
                    let described =
                        crate::vocabulary::described_relations(relations, &rel.name, |r| {
                            relation_as_typed(&r.name)
                        });
                    Some(match described {
                        Some(perhaps) => format!("{perhaps}; `relations` lists the vocabulary"),
                        None => "`relations` lists the vocabulary".to_string(),
                    })
                });
                self.problems.push(NameProblem {
                    span: rel.span.clone(),
                    message: format!("unknown relation `{}`", clipped(&rel.name)),
                    label: "not a relation name or inverse label".to_string(),
                    help,
                });
                None
            }
        }
    }

    fn relations(&mut self, rels: &[RelRef]) -> Option<Vec<RelationMatch>> {
        let out: Vec<Option<RelationMatch>> = rels.iter().map(|r| self.relation(r)).collect();
        out.into_iter().collect()
    }

    /// `changes` reads state relations; a graph without any (an imported one) is told so, not
    /// answered with nothing.
    fn changes(&mut self, entity: Option<&EntityRef>, word: &Span) -> Option<Resolved> {
        let entity = match entity {
            Some(e) => Some(self.entity(e)?),
            None => None,
        };
        if !super::changes::has_states(&self.graph.model) {
            self.problems.push(NameProblem {
                span: word.clone(),
                message: "this graph has no state relations, so nothing changes hands in it"
                    .to_string(),
                label: "needs a relation that starts a state".to_string(),
                help: Some(
                    "a relation declared with `starts_state: \"controls\"` (as `captured` is in \
                     the article graph) makes its facts start a state that `changes` replays"
                        .to_string(),
                ),
            });
            return None;
        }
        Some(Resolved::Changes { entity })
    }

    fn kind(&mut self, kind: &Option<ast::Spanned<String>>) -> Option<Option<Kind>> {
        let Some(kind) = kind else { return Some(None) };
        match Kind::parse(&kind.node) {
            Some(k) => Some(Some(k)),
            None => {
                if !self.room(&kind.span) {
                    return None;
                }
                let help = crate::diagnostic::suggestion_text(&crate::diagnostic::did_you_mean(
                    &kind.node,
                    Kind::NAMES,
                ))
                .unwrap_or_else(|| "kinds are actor, place, event and thing".to_string());
                self.problems.push(NameProblem {
                    span: kind.span.clone(),
                    message: format!("unknown kind `{}`", clipped(&kind.node)),
                    label: "not a kind".to_string(),
                    help: Some(help),
                });
                None
            }
        }
    }

    fn path(&mut self, path: &PathQuery) -> Option<ResolvedPath> {
        let (from, to) = (self.entity(&path.from), self.entity(&path.to));
        let via = self.relations(&path.via);
        let avoid: Vec<Option<EntityId>> = path.avoid.iter().map(|a| self.entity(a)).collect();
        let avoid_via = self.relations(&path.avoid_via);
        let avoid_kinds: Vec<Option<Option<Kind>>> = path
            .avoid_kinds
            .iter()
            .map(|k| self.kind(&Some(k.clone())))
            .collect();
        let min = path.min.as_ref().map_or(0, |m| m.node);
        let max = path
            .max
            .as_ref()
            .map_or(DEFAULT_MAX_HOPS.max(min), |m| m.node);
        let written = path.max.as_ref().or(path.min.as_ref());
        let span = written.map_or(0..0, |m| m.span.clone());
        if max < min && self.room(&span) {
            self.problems.push(NameProblem {
                span,
                message: format!("`max {max}` is below `min {min}`"),
                label: "no path can satisfy both".to_string(),
                help: None,
            });
        }
        Some(ResolvedPath {
            from: from?,
            to: to?,
            directed: path.directed,
            via: via?,
            avoid: avoid.into_iter().collect::<Option<Vec<_>>>()?,
            avoid_relations: avoid_via?.into_iter().flat_map(|m| m.relations).collect(),
            avoid_kinds: avoid_kinds
                .into_iter()
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect(),
            chronological: path.chronological,
            min,
            max,
            mode: match path.mode.shortest_k() {
                Some(k) => PathMode::Shortest(k),
                None => PathMode::All,
            },
            limit: path.limit.as_ref().map_or(DEFAULT_PATH_LIMIT, |l| l.node),
        })
    }

    fn command(&mut self, command: &Command) -> Option<Resolved> {
        Some(match command {
            Command::Neighbors {
                entity,
                direction,
                via,
                depth,
                kind,
                page,
            } => {
                let (entity, via, kind) =
                    (self.entity(entity), self.relations(via), self.kind(kind));
                Resolved::Neighbors {
                    entity: entity?,
                    direction: *direction,
                    via: via?,
                    depth: depth.as_ref().map_or(ast::DEFAULT_DEPTH, |d| d.node),
                    kind: kind?,
                    page: Window::of(page),
                }
            }
            Command::Path(path) => Resolved::Path(self.path(path)?),
            Command::Match {
                patterns,
                select,
                count,
                clauses,
            } => self.patterns(patterns, select, *count, clauses)?,
            Command::Why {
                subject,
                relation,
                object,
            } => {
                let reading = split::reading(self.graph, subject, relation, object);
                let (subject, relation, object) = match &reading {
                    Reading::AsParsed => (subject, relation, object),
                    Reading::Split {
                        subject,
                        relation,
                        object,
                    } => (subject, relation, object),
                    Reading::Unreadable(problem) => {
                        self.problems.push(problem.clone());
                        return None;
                    }
                };
                let (s, r, o) = (
                    self.entity(subject),
                    self.relation(relation),
                    self.entity(object),
                );
                let label = if relation.inverse {
                    format!("^{}", relation.name)
                } else {
                    relation.name.clone()
                };
                Resolved::Why {
                    subject: s?,
                    relation: r?,
                    label,
                    object: o?,
                }
            }
            Command::Show { entity } => Resolved::Show {
                entity: self.entity(entity)?,
            },
            Command::Timeline {
                entity,
                from,
                to,
                page,
            } => {
                let entity = match entity {
                    Some(e) => Some(self.entity(e)?),
                    None => None,
                };
                Resolved::Timeline {
                    entity,
                    from: from.as_ref().map(|f| f.node),
                    to: to.as_ref().map(|t| t.node),
                    page: Window::of(page),
                }
            }
            Command::Entities { kind, matching } => Resolved::Entities {
                kind: self.kind(kind)?,
                matching: matching.as_ref().map(|m| m.node.clone()),
            },
            Command::Relations => Resolved::Relations,
            Command::Sources => Resolved::Sources,
            Command::Stats => Resolved::Stats,
            Command::Search(search) => {
                let mentioning = match &search.mentioning {
                    Some(e) => Some(self.entity(e)?),
                    None => None,
                };
                Resolved::Search(super::search::ResolvedSearch::new(search, mentioning))
            }
            Command::Changes { entity, word } => self.changes(entity.as_ref(), word)?,
            Command::Conflicts { entity } => Resolved::Conflicts {
                entity: match entity {
                    Some(e) => Some(self.entity(e)?),
                    None => None,
                },
            },
        })
    }

    /// Resolves patterns to `out`, with the fact variable of each; false if any did not resolve.
    fn pattern_list(
        &mut self,
        patterns: &[ast::Pattern],
        vars: &mut Vars,
        out: &mut Vec<RPattern>,
        facts: &mut Vec<Option<usize>>,
    ) -> bool {
        let mut ok = true;
        for p in patterns {
            let subject = self.term(&p.subject, vars);
            let relation = match &p.relation {
                ast::RelTerm::Rel(r) => self.relation(r).map(RRel::Rel),
                ast::RelTerm::Var(v) => Some(RRel::Var(self.var(v, VarKind::Relation, vars))),
                ast::RelTerm::Path(path) => self.rel_path(path),
            };
            let object = self.term(&p.object, vars);
            let fact = p.fact.as_ref().map(|f| self.fact_var(f, vars));
            if let (Some(RRel::Path(_)), Some(f)) = (&relation, &p.fact) {
                if self.room(&f.span) {
                    self.problems.push(NameProblem {
                        span: f.span.clone(),
                        message: "a relation path has no single fact to name".to_string(),
                        label: "its hops are several facts".to_string(),
                        help: Some("drop `as`, or match one hop: `?a REL ?b as ?f`".to_string()),
                    });
                }
                ok = false;
            }
            match (subject, relation, object, fact) {
                (Some(subject), Some(relation), Some(object), fact) if fact != Some(None) => {
                    out.push(RPattern {
                        subject,
                        relation,
                        object,
                    });
                    facts.push(fact.flatten());
                }
                _ => ok = false,
            }
        }
        ok
    }

    /// A relation path: its relations looked up, compiled to one hop or an automaton.
    fn rel_path(&mut self, path: &ast::RelPath) -> Option<RRel> {
        use super::relpath::{compile, Compiled, RExpr};
        fn expr(r: &mut Resolver<'_>, path: &ast::RelPath) -> Option<RExpr> {
            Some(match path {
                ast::RelPath::Rel(rel) => RExpr::Rel(r.relation(rel)?),
                ast::RelPath::Alt(items) => {
                    let items: Vec<Option<RExpr>> = items.iter().map(|i| expr(r, i)).collect();
                    RExpr::Alt(items.into_iter().collect::<Option<_>>()?)
                }
                ast::RelPath::Repeat { path, quantifier } => {
                    let (min, max) = quantifier.node.bounds();
                    RExpr::Repeat(Box::new(expr(r, path)?), min, max)
                }
                ast::RelPath::Inverse(path, _) => RExpr::Inverse(Box::new(expr(r, path)?)),
            })
        }
        let resolved = expr(self, path)?;
        match compile(&resolved) {
            Ok(Compiled::OneHop(m)) => Some(RRel::Rel(m)),
            Ok(Compiled::Path(automaton)) => Some(RRel::Path(Box::new(automaton))),
            Err(message) => {
                let span = path.relations().first().map_or(0..0, |r| r.span.clone());
                if self.room(&span) {
                    self.problems.push(NameProblem {
                        span,
                        message,
                        label: "in this path".to_string(),
                        help: None,
                    });
                }
                None
            }
        }
    }

    /// A fact variable, which names one pattern's fact only.
    fn fact_var(&mut self, var: &ast::Spanned<String>, vars: &mut Vars) -> Option<usize> {
        if vars.numbers.contains_key(var.node.as_str()) {
            if self.room(&var.span) {
                self.problems.push(NameProblem {
                    span: var.span.clone(),
                    message: format!(
                        "`?{}` is already a variable of this match",
                        clipped(&var.node)
                    ),
                    label: "a fact variable names one pattern's fact".to_string(),
                    help: Some("give each pattern's fact its own name".to_string()),
                });
            }
            return None;
        }
        Some(self.var(var, VarKind::Fact, vars))
    }

    fn patterns(
        &mut self,
        patterns: &[ast::Pattern],
        select: &[ast::Spanned<String>],
        count: bool,
        clauses: &ast::MatchClauses,
    ) -> Option<Resolved> {
        let mut vars = Vars::default();
        let mut out = Vec::new();
        let mut facts = Vec::new();
        let mut ok = self.pattern_list(patterns, &mut vars, &mut out, &mut facts);
        let mut blocks = Vec::new();
        for block in &clauses.blocks {
            let (mut patterns, mut facts) = (Vec::new(), Vec::new());
            ok &= self.pattern_list(&block.patterns, &mut vars, &mut patterns, &mut facts);
            let filter = block.filter.as_ref().map(|c| self.condition(c, &vars));
            ok &= !matches!(filter, Some(None));
            blocks.push(RBlock {
                negated: block.kind == ast::BlockKind::Not,
                patterns,
                facts,
                filters: filter.flatten().map(conjuncts).unwrap_or_default(),
            });
        }
        let filter = clauses.filter.as_ref().map(|c| self.condition(c, &vars));
        ok &= !matches!(filter, Some(None));
        let group = clauses.group.as_ref().map(|g| self.group(g, &vars));
        ok &= !matches!(group, Some(None));
        let group = group.flatten();
        let chosen = match &group {
            Some(group) => self.group_select(select, group),
            None => self
                .select(select, &vars)
                .map(|chosen| answerable(chosen, select, &out, &facts, &blocks)),
        };
        let chosen = chosen.unwrap_or_default();
        let columns: Vec<String> = match &group {
            Some(g) => chosen.iter().map(|&i| g.columns[i].clone()).collect(),
            None => chosen.iter().map(|&i| vars.names[i].clone()).collect(),
        };
        let order = self.order(&clauses.order, &columns, group.is_some(), &vars);
        ok &= order.is_some();
        let clauses = RClauses {
            kinds: vars.kinds.clone(),
            facts,
            blocks,
            filters: filter.flatten().map(conjuncts).unwrap_or_default(),
            group,
            order: order.unwrap_or_default(),
            offset: clauses.offset.as_ref().map_or(0, |o| o.node as usize),
            limit: clauses.limit.as_ref().map(|l| l.node as usize),
        };
        (ok && self.problems.is_empty()).then_some(Resolved::Match {
            patterns: out,
            vars: vars.names,
            select: chosen,
            count,
            clauses: Box::new(clauses),
        })
    }

    /// The variables `select` names, by number; all of them when none is named.
    fn select(&mut self, select: &[ast::Spanned<String>], vars: &Vars) -> Option<Vec<usize>> {
        let mut ok = true;
        let mut chosen = Vec::new();
        let mut chosen_already = vec![false; vars.names.len()];
        for var in select {
            match vars.numbers.get(var.node.as_str()) {
                Some(&i) if !chosen_already[i] => {
                    chosen_already[i] = true;
                    chosen.push(i);
                }
                Some(_) => {}
                None => {
                    ok = false;
                    if !self.room(&var.span) {
                        continue;
                    }
                    let used: Vec<String> = vars.names.iter().map(|n| format!("?{n}")).collect();
                    let close = crate::diagnostic::did_you_mean(
                        &var.node,
                        vars.names.iter().map(String::as_str),
                    );
                    let help = match close.first() {
                        Some(n) => format!("did you mean `?{n}`?"),
                        None => format!("the patterns bind {}", clipped(&used.join(", "))),
                    };
                    self.problems.push(NameProblem {
                        span: var.span.clone(),
                        message: format!("`?{}` is not used in any pattern", clipped(&var.node)),
                        label: "nothing binds it".to_string(),
                        help: Some(help),
                    });
                }
            }
        }
        if chosen.is_empty() {
            chosen = (0..vars.names.len()).collect();
        }
        ok.then_some(chosen)
    }

    fn term(&mut self, term: &Term, vars: &mut Vars) -> Option<RTerm> {
        match term {
            Term::Entity(e) => self.entity(e).map(RTerm::Entity),
            Term::Var(v) => Some(RTerm::Var(self.var(v, VarKind::Entity, vars))),
        }
    }

    /// The number of a variable, reporting one that stands for two kinds of thing.
    fn var(&mut self, var: &ast::Spanned<String>, kind: VarKind, vars: &mut Vars) -> usize {
        let (i, clash) = vars.index(&var.node, kind);
        if clash && self.room(&var.span) {
            let message = match (kind, vars.kinds[i]) {
                (VarKind::Fact, _) | (_, VarKind::Fact) => format!(
                    "`?{}` names a fact and stands in a pattern too",
                    clipped(&var.node)
                ),
                _ => format!(
                    "`?{}` stands for both a relation and an entity",
                    clipped(&var.node)
                ),
            };
            self.problems.push(NameProblem {
                span: var.span.clone(),
                message,
                label: "used in another position earlier".to_string(),
                help: Some("use a different variable name for each".to_string()),
            });
        }
        i
    }
}

/// The columns a `match` without `select` answers with: every variable but those only a `not`
/// block binds, which no answer row can hold.
fn answerable(
    chosen: Vec<usize>,
    select: &[ast::Spanned<String>],
    patterns: &[RPattern],
    facts: &[Option<usize>],
    blocks: &[RBlock],
) -> Vec<usize> {
    if !select.is_empty() {
        return chosen;
    }
    let mut bound = hashbrown::HashSet::new();
    let kept = blocks.iter().filter(|b| !b.negated);
    let all_patterns = patterns
        .iter()
        .chain(kept.clone().flat_map(|b| &b.patterns));
    bound.extend(all_patterns.flat_map(super::join::vars_of).flatten());
    bound.extend(facts.iter().chain(kept.flat_map(|b| &b.facts)).flatten());
    chosen.into_iter().filter(|v| bound.contains(v)).collect()
}

/// The variables of a `match`, numbered in order of first use; each stands for entities or for
/// relations, never both.
#[derive(Default)]
struct Vars {
    names: Vec<String>,
    numbers: HashMap<String, usize>,
    kinds: Vec<VarKind>,
}

impl Vars {
    /// The variable's number, and whether it was used before for another kind of thing.
    fn index(&mut self, name: &str, kind: VarKind) -> (usize, bool) {
        if let Some(&i) = self.numbers.get(name) {
            return (i, self.kinds[i] != kind);
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.numbers.insert(name.to_string(), i);
        self.kinds.push(kind);
        (i, false)
    }
}
