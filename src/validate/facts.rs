//! The sequential driver of fact validation: every broken rule becomes a diagnostic, duplicates
//! are found in file order, and quotes are verified. Facts arrive one at a time from either reader,
//! borrowing from the file text.

use super::curation::{Scratch, Warning};
use super::rules::{CheckedFact, Dates, EntityField, FactProblem, FactRules};
use super::{a_kind, Validator};
use crate::date::When;
use crate::diagnostic::{clip, did_you_mean, suggestion_text, Diagnostic, Place};
use crate::fact_file::fast::FactRef;
use crate::fact_file::Spanned;
use crate::model::{Credibility, EntityId, Fact, FactWords, Origin, RelationId, SourceId};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// What makes two facts the same statement.
pub(super) type FactKey = (EntityId, RelationId, EntityId, Option<When>, SourceId);

/// Facts seen so far, for duplicate detection, at 4 bytes a fact plus the table's control byte:
/// entries are indices into the model's facts (whose keys are already stored there) or, for facts
/// rejected for other errors, into a small side list.
pub(super) struct SeenFacts {
    table: HashTable<u32>,
    rejected: Vec<(FactKey, Origin)>,
    state: DefaultHashBuilder,
}

const REJECTED: u32 = 1 << 31;

impl SeenFacts {
    pub(super) fn with_capacity(n: usize) -> SeenFacts {
        SeenFacts {
            table: HashTable::with_capacity(n),
            rejected: Vec::new(),
            state: DefaultHashBuilder::default(),
        }
    }

    /// Records a fact's key and returns the origin of the latest earlier fact with the same key.
    /// `clean` says the fact had no other error, so that, unless it is a duplicate, it will be
    /// pushed to `facts` at index `facts.len()`.
    pub(super) fn insert(
        &mut self,
        key: FactKey,
        origin: Origin,
        facts: &[Fact],
        clean: bool,
    ) -> Option<Origin> {
        let SeenFacts {
            table,
            rejected,
            state,
        } = self;
        let hash = state.hash_one(key);
        let entry = |rejected: &[(FactKey, Origin)], i| entry(rejected, facts, i);
        if let Some(slot) = table.find_mut(hash, |&i| entry(rejected, i).0 == key) {
            let previous = entry(rejected, *slot).1;
            rejected.push((key, origin));
            *slot = REJECTED | (rejected.len() - 1) as u32;
            return Some(previous);
        }
        let index = if clean {
            facts.len() as u32
        } else {
            rejected.push((key, origin));
            REJECTED | (rejected.len() - 1) as u32
        };
        let rejected = &*rejected;
        table.insert_unique(hash, index, |&i| state.hash_one(entry(rejected, i).0));
        None
    }

    /// Records the key of a fact with no other error, to be pushed at `facts.len()`, unless an
    /// earlier fact has it: then changes nothing and returns `false`, so that the sequential
    /// driver can take the fact over and report the duplicate.
    pub(super) fn insert_new(&mut self, key: FactKey, facts: &[Fact]) -> bool {
        let (table, state) = (&mut self.table, &self.state);
        let hash = state.hash_one(key);
        let entry = |i| entry(&self.rejected, facts, i).0;
        if table.find(hash, |&i| entry(i) == key).is_some() {
            return false;
        }
        table.insert_unique(hash, facts.len() as u32, |&i| state.hash_one(entry(i)));
        true
    }
}

/// The key and origin a table entry stands for.
fn entry(rejected: &[(FactKey, Origin)], facts: &[Fact], i: u32) -> (FactKey, Origin) {
    if i & REJECTED != 0 {
        rejected[(i & !REJECTED) as usize]
    } else {
        let f = &facts[i as usize];
        (key_of(f), f.origin)
    }
}

/// What makes a fact the same statement as another.
pub(super) fn key_of(f: &Fact) -> FactKey {
    (f.subject, f.relation, f.object, f.when, f.source)
}

impl Validator<'_> {
    /// Validates a file's facts, reporting every problem; stops with `G` if the fast reader gave
    /// up on one of them.
    pub(super) fn facts<'t, G>(
        &mut self,
        file: usize,
        records: impl Iterator<Item = Result<Spanned<FactRef<'t>>, G>>,
    ) -> Result<(), G> {
        let mut dates = Dates::default();
        let mut scratch = Scratch::default();
        for record in records {
            let record = record?;
            let rules = FactRules {
                declared: &self.declared,
                relations: &self.model.relations,
                entities: &self.model.entities,
                sources: &self.model.sources,
                names: None,
            };
            let checked = rules.check(&record.value, &mut dates);
            let origin = self.origin(file, record.span.start);
            let credibility = self.credibility(file, &record);
            match checked {
                Ok(fact) => self.accept(file, &record, (fact, credibility), origin, &mut scratch),
                Err(rejected) => {
                    for problem in &rejected.problems {
                        let place = self.problem_place(file, &record, problem);
                        self.report(place, |v| v.describe(problem, &record.value.source));
                    }
                    if let Some(key) = rejected.key {
                        self.is_duplicate(file, &record, key, origin, false);
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds a fact that meets every rule to the model, unless it repeats an earlier one.
    fn accept(
        &mut self,
        file: usize,
        record: &Spanned<FactRef<'_>>,
        (fact, credibility): (CheckedFact, Option<Credibility>),
        origin: Origin,
        scratch: &mut Scratch,
    ) {
        if self.is_duplicate(file, record, fact.key(), origin, true) {
            return;
        }
        let r = &record.value;
        let words = FactWords {
            quote: &r.quote,
            reported_by: &fact.reported_by,
            note: r.note.as_deref(),
            credibility,
        };
        let taken = fact.at(origin);
        let rules = FactRules {
            declared: &self.declared,
            relations: &self.model.relations,
            entities: &self.model.entities,
            sources: &self.model.sources,
            names: None,
        };
        let warnings = rules.warnings(&taken, fact.accepted, &r.quote, scratch);
        self.model.push_fact(taken, words);
        if !warnings.is_empty() {
            self.warn(file, record, &taken, warnings);
        }
    }

    /// A fact's Admiralty credibility, reported at the field when out of range.
    fn credibility(&mut self, file: usize, record: &Spanned<FactRef<'_>>) -> Option<Credibility> {
        let written = record.value.credibility?;
        let grade = Credibility::new(written);
        if grade.is_none() {
            let place = self.field(file, record, "credibility");
            self.report(place, |_| {
                Diagnostic::error(format!("unknown credibility `{written}`"))
                    .label("not an Admiralty grade")
                    .help("write a number: 1 confirmed, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged")
            });
        }
        grade
    }

    /// Records a fact's key and reports it if an earlier fact has the same; `clean` says the fact
    /// broke no rule.
    fn is_duplicate(
        &mut self,
        file: usize,
        record: &Spanned<FactRef<'_>>,
        key: FactKey,
        origin: Origin,
        clean: bool,
    ) -> bool {
        let facts = self.model.facts();
        let Some(first) = self.seen_facts.insert(key, origin, facts, clean) else {
            return false;
        };
        let place = self.field(file, record, "subject");
        self.report(place, |v| {
            Diagnostic::error("duplicate fact")
                .label("same subject, relation, object, date and source as an earlier fact")
                .note(format!("first stated at {}", v.model.origin_text(first)))
        });
        true
    }

    fn problem_place(
        &self,
        file: usize,
        record: &Spanned<FactRef<'_>>,
        problem: &FactProblem<'_>,
    ) -> Place {
        let field = match problem {
            FactProblem::UnknownEntity {
                field: EntityField::ReportedBy,
                id,
            } => return self.item_in_field(file, record, "reported_by", id),
            FactProblem::BadDate { text, error } => {
                return self.date_place(file, &record.span, "when", text, error)
            }
            FactProblem::UnknownEntity { field, .. } => field.name(),
            FactProblem::UnknownRelation(_) => "relation",
            FactProblem::UnknownSource(_) => "source",
            FactProblem::EmptyDate => "when",
            FactProblem::UnknownWarning(name) => {
                return self.item_in_field(file, record, "accept", name)
            }
            FactProblem::NoReason { reason, .. } => {
                return self.item_in_field(file, record, "accept", reason)
            }
            FactProblem::OutsideDomain { .. } => "subject",
            FactProblem::OutsideRange { .. } | FactProblem::SelfLoop { .. } => "object",
        };
        self.field(file, record, field)
    }

    /// The diagnostic for a broken rule, with suggestions; `source` is the id the fact cites.
    fn describe(&self, problem: &FactProblem<'_>, source: &str) -> Diagnostic {
        match problem {
            FactProblem::UnknownEntity { id, .. } => self.unknown_entity(id),
            FactProblem::UnknownRelation(name) => self.unknown_relation(name),
            FactProblem::UnknownSource(id) => {
                let ids = self.model.sources.iter().map(|s| s.id.as_str());
                let d = Diagnostic::error(format!("unknown source `{}`", clip(id)))
                    .label("not declared under `sources:`");
                match suggestion_text(&did_you_mean(id, ids)) {
                    Some(s) => d.help(s),
                    None => d,
                }
            }
            FactProblem::EmptyDate => Diagnostic::error("empty date")
                .label("an empty date does not mean undated")
                .help("leave `when` out for an undated fact"),
            FactProblem::BadDate { text, error } => {
                let published = self.model.sources.iter().find(|s| s.id == source);
                super::invalid_date(text, error, published.map(|s| s.published))
            }
            FactProblem::OutsideDomain { entity, relation } => {
                self.kind_not_allowed(*entity, *relation, "subject", "domain")
            }
            FactProblem::OutsideRange { entity, relation } => {
                self.kind_not_allowed(*entity, *relation, "object", "range")
            }
            FactProblem::UnknownWarning(name) => {
                let names = Warning::ALL.map(Warning::name);
                let d = Diagnostic::error(format!("unknown warning `{}`", clip(name)))
                    .label("`accept` names a warning it silences");
                match suggestion_text(&did_you_mean(name, names)) {
                    Some(s) => d.help(s),
                    None => d.help(format!("the warnings are `{}`", names.join("`, `"))),
                }
            }
            FactProblem::NoReason { warning, .. } => {
                Diagnostic::error(format!("`{}` is accepted without a reason", clip(warning)))
                    .label("empty reason")
                    .help("say why the fact is right despite the warning, for the next reader")
            }
            FactProblem::SelfLoop { entity, relation } => {
                let relation = self.model.relation(*relation);
                Diagnostic::error(format!(
                    "`{}` cannot `{}` itself",
                    clip(&self.model.entity(*entity).id),
                    relation.name
                ))
                .label("same as the subject")
                .help(format!(
                    "if this is intended, declare `{}` with `self_loops: true`",
                    relation.name
                ))
            }
        }
    }

    pub(super) fn unknown_entity(&self, text: &str) -> Diagnostic {
        let d = Diagnostic::error(format!("unknown entity `{}`", clip(text)))
            .label("no entity has this id");
        if let Some(ids) = self.names().get(&text.to_lowercase()) {
            let ids: Vec<String> = ids
                .iter()
                .map(|&i| format!("`{}`", clip(&self.model.entity(i).id)))
                .collect();
            return d.help(format!(
                "`{}` is a name or alias of {}; facts refer to entities by id",
                clip(text),
                ids.join(" and ")
            ));
        }
        let candidates = self.model.entities.iter().flat_map(|e| {
            std::iter::once(e.id.as_str())
                .chain(std::iter::once(e.name.as_str()))
                .chain(e.aliases().iter().map(String::as_str))
        });
        let suggestions: Vec<String> = did_you_mean(text, candidates)
            .into_iter()
            .map(|s| match self.names().get(&s.to_lowercase()) {
                Some(ids) if !self.declared.entity_ids.contains_key(s) => {
                    self.model.entity(ids[0]).id.clone()
                }
                _ => s.to_string(),
            })
            .collect();
        let mut unique: Vec<&str> = Vec::new();
        for s in &suggestions {
            if !unique.contains(&s.as_str()) {
                unique.push(s);
            }
        }
        let bundled = crate::bundled::bundled_entity_ids(text);
        match suggestion_text(&unique) {
            Some(s) => d.help(s),
            None if !bundled.is_empty() => d.help(in_bundled_graph(text, &bundled)),
            None => d.help("declare it under `entities:` in one of the loaded files"),
        }
    }

    fn kind_not_allowed(
        &self,
        entity: EntityId,
        relation: RelationId,
        field: &str,
        role: &str,
    ) -> Diagnostic {
        let relation = self.model.relation(relation);
        let entity = self.model.entity(entity);
        let allowed = if role == "domain" {
            &relation.domain
        } else {
            &relation.range
        };
        let allowed: Vec<&str> = allowed.iter().map(|k| k.name()).collect();
        Diagnostic::error(format!(
            "`{}` cannot be the {field} of `{}`: it is {}, and the relation's {role} is {}",
            clip(&entity.id),
            relation.name,
            a_kind(entity.kind),
            allowed.join(" or ")
        ))
        .label(a_kind(entity.kind))
        .help(format!(
            "swap subject and object, pick another relation, or widen `{role}` of `{}` (declared at {})",
            relation.name,
            self.model.origin_text(relation.origin)
        ))
    }
}

/// The help for an entity the bundled article graph declares but no loaded file does: naming files
/// leaves the bundled graph out, so say how to load it beside them.
fn in_bundled_graph(text: &str, ids: &[&str]) -> String {
    let known = if ids == [text] {
        format!("`{}` is declared", clip(text))
    } else {
        let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
        format!(
            "`{}` is a name or alias of {}",
            clip(text),
            ids.join(" and ")
        )
    };
    format!(
        "{known} in the bundled article graph, which is left out when files are named: load it \
         beside yours (`check {BUNDLED_NAME} FILE`, `-g {BUNDLED_NAME} -g FILE`), or declare the \
         entity under `entities:` (facts refer to entities by id)",
        BUNDLED_NAME = crate::bundled::BUNDLED_NAME
    )
}
