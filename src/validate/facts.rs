//! Validation of fact records: references resolved, kinds, self-loops and duplicates checked, quotes
//! verified. Facts arrive one at a time from either reader, borrowing from the file text.

use super::{a_kind, normalise_quote, Parsed, QuoteText, Validator};
use crate::date::{parse_when, When};
use crate::diagnostic::{did_you_mean, suggestion_text, Diagnostic};
use crate::fact_file::fast::FactRef;
use crate::fact_file::Spanned;
use crate::model::{EntityId, Fact, FactWords, Origin, RelationId, SourceId};
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
        let entry = |rejected: &[(FactKey, Origin)], i: u32| -> (FactKey, Origin) {
            if i & REJECTED != 0 {
                rejected[(i & !REJECTED) as usize]
            } else {
                let f = &facts[i as usize];
                (
                    (f.subject, f.relation, f.object, f.when, f.source),
                    f.origin,
                )
            }
        };
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
}

impl Validator<'_> {
    fn resolve_entity(
        &self,
        file: usize,
        record: &Spanned<FactRef<'_>>,
        field: &str,
        text: &str,
    ) -> Result<EntityId, Diagnostic> {
        if let Some(&id) = self.entity_ids.get(text) {
            return Ok(id);
        }
        let at = if field == "reported_by" {
            self.item_in_field(file, record, field, text)
        } else {
            self.field(file, record, field)
        };
        let d = Diagnostic::error(format!("unknown entity `{text}`"))
            .at(at)
            .label("no entity has this id");
        if let Some(ids) = self.names().get(&text.to_lowercase()) {
            let ids: Vec<String> = ids
                .iter()
                .map(|&i| format!("`{}`", self.model.entity(i).id))
                .collect();
            return Err(d.help(format!(
                "`{text}` is a name or alias of {}; facts refer to entities by id",
                ids.join(" and ")
            )));
        }
        let candidates = self.model.entities.iter().flat_map(|e| {
            std::iter::once(e.id.as_str())
                .chain(std::iter::once(e.name.as_str()))
                .chain(e.aliases().iter().map(String::as_str))
        });
        let suggestions: Vec<String> = did_you_mean(text, candidates)
            .into_iter()
            .map(|s| match self.names().get(&s.to_lowercase()) {
                Some(ids) if !self.entity_ids.contains_key(s) => {
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
        Err(match suggestion_text(&unique) {
            Some(s) => d.help(s),
            None => d.help("declare it under `entities:` in one of the loaded files"),
        })
    }

    /// Validates a file's facts; `None` if the fast reader gave up on one of them.
    pub(super) fn facts<'t>(
        &mut self,
        file: usize,
        records: impl Iterator<Item = Option<Spanned<FactRef<'t>>>>,
    ) -> Option<()> {
        for record in records {
            let record = record?;
            if let Some((fact, reported_by)) = self.fact(file, &record) {
                let r = &record.value;
                let words = FactWords {
                    quote: &r.quote,
                    reported_by: &reported_by,
                    note: r.note.as_deref(),
                };
                self.model.push_fact(fact, words);
            }
        }
        Some(())
    }

    /// The fact a record states and its reporters, or `None` after reporting its problems.
    fn fact(
        &mut self,
        file: usize,
        record: &Spanned<FactRef<'_>>,
    ) -> Option<(Fact, Vec<EntityId>)> {
        let r = &record.value;
        let before = self.errors.len();
        let subject = self
            .resolve_entity(file, record, "subject", &r.subject)
            .map_err(|d| self.errors.push(d))
            .ok();
        let object = self
            .resolve_entity(file, record, "object", &r.object)
            .map_err(|d| self.errors.push(d))
            .ok();
        let relation = match self.relation_names.get(&*r.relation) {
            Some(&id) => Some(id),
            None => {
                let d = self.unknown_relation(&r.relation, self.field(file, record, "relation"));
                self.errors.push(d);
                None
            }
        };
        let source = match self.source_ids.get(&*r.source) {
            Some(&id) => Some(id),
            None => {
                let ids = self.model.sources.iter().map(|s| s.id.as_str());
                let d = Diagnostic::error(format!("unknown source `{}`", r.source))
                    .at(self.field(file, record, "source"))
                    .label("not declared under `sources:`");
                let d = match suggestion_text(&did_you_mean(&r.source, ids)) {
                    Some(s) => d.help(s),
                    None => d,
                };
                self.errors.push(d);
                None
            }
        };
        let mut reported_by = Vec::new();
        for reporter in &r.reported_by {
            match self.resolve_entity(file, record, "reported_by", reporter) {
                Ok(id) => reported_by.push(id),
                Err(d) => self.errors.push(d),
            }
        }
        let when = match &r.when {
            None => None,
            Some(text) => match self.parse_date(text) {
                Ok(w) => Some(w),
                Err(_) => {
                    let e = self.date_error(file, &record.span, "when", text);
                    self.errors.extend(e);
                    None
                }
            },
        };
        let (subject, relation, object, source) = (subject?, relation?, object?, source?);
        self.check_kinds(file, record, subject, relation, object);
        let origin = self.origin(file, record.span.start);
        let clean = self.errors.len() == before;
        if let Some(first) = self.seen_facts.insert(
            (subject, relation, object, when, source),
            origin,
            self.model.facts(),
            clean,
        ) {
            let d = Diagnostic::error("duplicate fact")
                .at(self.field(file, record, "subject"))
                .label("same subject, relation, object, date and source as an earlier fact")
                .note(format!("first stated at {}", self.model.origin_text(first)));
            self.errors.push(d);
        }
        if self.errors.len() > before {
            return None;
        }
        let fact = Fact {
            subject,
            relation,
            object,
            source,
            when,
            origin,
        };
        Some((fact, reported_by))
    }

    fn check_kinds(
        &mut self,
        file: usize,
        record: &Spanned<FactRef<'_>>,
        s: EntityId,
        r: RelationId,
        o: EntityId,
    ) {
        let relation = self.model.relation(r);
        let checks = [
            ("subject", s, &relation.domain, "domain"),
            ("object", o, &relation.range, "range"),
        ];
        for (field, id, allowed, role) in checks {
            let entity = self.model.entity(id);
            if allowed.is_empty() || allowed.contains(&entity.kind) {
                continue;
            }
            let allowed: Vec<&str> = allowed.iter().map(|k| k.name()).collect();
            let d = Diagnostic::error(format!(
                "`{}` cannot be the {field} of `{}`: it is {}, and the relation's {role} is {}",
                entity.id,
                relation.name,
                a_kind(entity.kind),
                allowed.join(" or ")
            ))
            .at(self.field(file, record, field))
            .label(a_kind(entity.kind))
            .help(format!(
                "swap subject and object, pick another relation, or widen `{role}` of `{}` (declared at {})",
                relation.name,
                self.model.origin_text(relation.origin)
            ));
            self.errors.push(d);
        }
        if s == o && !relation.self_loops {
            let d = Diagnostic::error(format!(
                "`{}` cannot `{}` itself",
                self.model.entity(s).id,
                relation.name
            ))
            .at(self.field(file, record, "object"))
            .label("same as the subject")
            .help(format!(
                "if this is intended, declare `{}` with `self_loops: true`",
                relation.name
            ));
            self.errors.push(d);
        }
    }

    pub(super) fn check_quotes(&mut self, parsed: &[Parsed], quote_text: &QuoteText) -> Option<()> {
        let Some(&source) = self.source_ids.get(&quote_text.source_id) else {
            let ids = self.model.sources.iter().map(|s| s.id.as_str());
            let d = Diagnostic::error(format!(
                "--text names unknown source `{}`",
                quote_text.source_id
            ));
            self.errors.push(
                match suggestion_text(&did_you_mean(&quote_text.source_id, ids)) {
                    Some(s) => d.help(s),
                    None => d,
                },
            );
            return Some(());
        };
        let haystack = normalise_quote(&quote_text.text.text);
        let files = self.files;
        for (file, p) in parsed.iter().enumerate() {
            for record in p.facts(&files[file].text) {
                let record = record?;
                if self.source_ids.get(&*record.value.source) != Some(&source) {
                    continue;
                }
                if !haystack.contains(&normalise_quote(&record.value.quote)) {
                    let d = Diagnostic::error(format!(
                        "quote not found in the text of source `{}` ({})",
                        quote_text.source_id, quote_text.text.name
                    ))
                    .at(self.field(file, &record, "quote"))
                    .label("not verbatim")
                    .help("copy the clause exactly as the source writes it; whitespace and curly quotes are normalised");
                    self.errors.push(d);
                }
            }
        }
        Some(())
    }

    /// Dates repeat across facts (a 10M-fact file has a few thousand distinct ones), so each
    /// distinct text is parsed once.
    fn parse_date(&mut self, text: &str) -> Result<When, ()> {
        if let Some(&w) = self.dates.get(text) {
            return Ok(w);
        }
        let w = parse_when(text).map_err(|_| ())?;
        self.dates.insert(text.to_string(), w);
        Ok(w)
    }
}
