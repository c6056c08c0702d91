//! The rules a fact must meet against the declarations, written once: the sequential driver turns
//! each broken rule into a diagnostic, the parallel one stops at the first fact that breaks any.
//! Duplicates are not a rule of one fact and are checked by the drivers, in file order.

use super::curation::{NameTable, Warning, Warnings};
use super::facts::FactKey;
use super::key::Key;
use crate::date::{parse_when, DateError, When};
use crate::fact_file::fast::FactRef;
use crate::model::{Entity, EntityId, Fact, Kind, Origin, Relation, RelationId, Source, SourceId};
use hashbrown::HashMap;
use std::borrow::Cow;

/// What facts refer to, by the names the file uses.
#[derive(Default)]
pub(super) struct Declared {
    pub source_ids: HashMap<String, SourceId>,
    pub relation_names: HashMap<String, RelationId>,
    /// With each entity's kind, for the domain and range rules: in the map's slot, where it costs
    /// no memory (the key's alignment pads it) and no second lookup.
    pub entity_ids: HashMap<Key, (EntityId, Kind)>,
}

/// What a fact is checked against: the declarations, the relations for their domain, range and
/// self-loop rules, and the entities and sources for the curation checks.
#[derive(Clone, Copy)]
pub(super) struct FactRules<'a> {
    pub declared: &'a Declared,
    pub relations: &'a [Relation],
    pub entities: &'a [Entity],
    pub sources: &'a [Source],
    /// The entities' names in one block, for the curation checks of many facts.
    pub names: Option<&'a NameTable>,
}

/// A fact that meets every rule: its names resolved and its date parsed.
#[derive(Debug)]
pub(super) struct CheckedFact {
    pub subject: EntityId,
    pub relation: RelationId,
    pub object: EntityId,
    pub source: SourceId,
    pub when: Option<When>,
    pub reported_by: Vec<EntityId>,
    /// The curation warnings its `accept` silences.
    pub accepted: Warnings,
}

impl CheckedFact {
    /// The fact as the model holds it, stated at `origin`.
    pub fn at(&self, origin: Origin) -> Fact {
        Fact {
            subject: self.subject,
            relation: self.relation,
            object: self.object,
            source: self.source,
            when: self.when,
            origin,
        }
    }

    pub fn key(&self) -> FactKey {
        (
            self.subject,
            self.relation,
            self.object,
            self.when,
            self.source,
        )
    }
}

/// A fact that breaks at least one rule: every problem, in field order, and, when its subject,
/// relation, object and source resolved, its key (undated if the date is bad), which still counts
/// for duplicates.
#[derive(Debug)]
pub(super) struct Rejected<'f> {
    pub problems: Vec<FactProblem<'f>>,
    pub key: Option<FactKey>,
}

/// Which field names an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntityField {
    Subject,
    Object,
    ReportedBy,
}

impl EntityField {
    pub fn name(self) -> &'static str {
        match self {
            EntityField::Subject => "subject",
            EntityField::Object => "object",
            EntityField::ReportedBy => "reported_by",
        }
    }
}

/// One broken rule, with the names as the fact wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FactProblem<'f> {
    UnknownEntity {
        field: EntityField,
        id: &'f str,
    },
    UnknownRelation(&'f str),
    UnknownSource(&'f str),
    /// `when: ""`: an undated fact leaves `when` out.
    EmptyDate,
    BadDate {
        text: &'f str,
        error: DateError,
    },
    /// The subject's kind is not in the relation's domain.
    OutsideDomain {
        entity: EntityId,
        relation: RelationId,
    },
    /// The object's kind is not in the relation's range.
    OutsideRange {
        entity: EntityId,
        relation: RelationId,
    },
    SelfLoop {
        entity: EntityId,
        relation: RelationId,
    },
    /// `accept` names no warning.
    UnknownWarning(&'f str),
    /// `accept` gives a warning without a reason.
    NoReason {
        warning: &'f str,
        reason: &'f str,
    },
}

impl FactRules<'_> {
    /// Checks one fact. All problems are found, not just the first, so that one pass reports them;
    /// the kind and self-loop rules need subject, relation and object, and are checked only when
    /// those resolved.
    pub fn check<'f, 't>(
        &self,
        r: &'f FactRef<'t>,
        dates: &mut Dates<'t>,
    ) -> Result<CheckedFact, Rejected<'f>> {
        let mut problems = Vec::new();
        let subject = self.entity(&r.subject, EntityField::Subject, &mut problems);
        let object = self.entity(&r.object, EntityField::Object, &mut problems);
        let relation = self.declared.relation_names.get(&*r.relation).copied();
        if relation.is_none() {
            problems.push(FactProblem::UnknownRelation(&r.relation));
        }
        let source = self.declared.source_ids.get(&*r.source).copied();
        if source.is_none() {
            problems.push(FactProblem::UnknownSource(&r.source));
        }
        let reported_by = r
            .reported_by
            .iter()
            .filter_map(|e| self.entity(e, EntityField::ReportedBy, &mut problems))
            .map(|(id, _)| id)
            .collect();
        let when = match &r.when {
            None => None,
            Some(text) => dates
                .parse(text)
                .map_err(|error| problems.push(date_problem(text, error)))
                .ok(),
        };
        let accepted = accepted(r, &mut problems);
        let (Some(subject), Some(relation), Some(object), Some(source)) =
            (subject, relation, object, source)
        else {
            return Err(Rejected {
                problems,
                key: None,
            });
        };
        self.kinds(subject, relation, object, &mut problems);
        let fact = CheckedFact {
            subject: subject.0,
            relation,
            object: object.0,
            source,
            when,
            reported_by,
            accepted,
        };
        if problems.is_empty() {
            Ok(fact)
        } else {
            Err(Rejected {
                problems,
                key: Some(fact.key()),
            })
        }
    }

    fn entity<'f>(
        &self,
        id: &'f str,
        field: EntityField,
        problems: &mut Vec<FactProblem<'f>>,
    ) -> Option<(EntityId, Kind)> {
        let found = self.declared.entity_ids.get(id).copied();
        if found.is_none() {
            problems.push(FactProblem::UnknownEntity { field, id });
        }
        found
    }

    /// Domain, range and self-loop rules.
    fn kinds(
        &self,
        (subject, subject_kind): (EntityId, Kind),
        relation: RelationId,
        (object, object_kind): (EntityId, Kind),
        problems: &mut Vec<FactProblem<'_>>,
    ) {
        let rule = &self.relations[relation.index()];
        let allows = |allowed: &[Kind], kind| allowed.is_empty() || allowed.contains(&kind);
        if !allows(&rule.domain, subject_kind) {
            problems.push(FactProblem::OutsideDomain {
                entity: subject,
                relation,
            });
        }
        if !allows(&rule.range, object_kind) {
            problems.push(FactProblem::OutsideRange {
                entity: object,
                relation,
            });
        }
        if subject == object && !rule.self_loops {
            problems.push(FactProblem::SelfLoop {
                entity: subject,
                relation,
            });
        }
    }
}

/// The warnings a fact accepts; unknown names and missing reasons are problems.
fn accepted<'f>(r: &'f FactRef<'_>, problems: &mut Vec<FactProblem<'f>>) -> Warnings {
    let mut accepted = Warnings::default();
    for (name, reason) in &r.accept {
        match Warning::parse(name) {
            Some(w) => accepted.insert(w),
            None => problems.push(FactProblem::UnknownWarning(name)),
        }
        if reason.trim().is_empty() {
            problems.push(FactProblem::NoReason {
                warning: name,
                reason,
            });
        }
    }
    accepted
}

fn date_problem(text: &str, error: DateError) -> FactProblem<'_> {
    if text.trim().is_empty() {
        FactProblem::EmptyDate
    } else {
        FactProblem::BadDate { text, error }
    }
}

/// Dates repeat across facts (a 10M-fact file has a few thousand distinct ones), so each distinct
/// text borrowed from the file is parsed once.
#[derive(Default)]
pub(super) struct Dates<'t> {
    parsed: HashMap<&'t str, When>,
}

impl<'t> Dates<'t> {
    // The `Cow` says whether the text lives as long as the file, and so can be kept as a key.
    #[allow(clippy::ptr_arg)]
    fn parse(&mut self, text: &Cow<'t, str>) -> Result<When, DateError> {
        if let Some(&when) = self.parsed.get(&**text) {
            return Ok(when);
        }
        let when = parse_when(text)?;
        if let Cow::Borrowed(text) = text {
            self.parsed.insert(text, when);
        }
        Ok(when)
    }
}
