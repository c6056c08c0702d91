//! Turns parsed fact files into a [`Model`], collecting every problem with the span that causes it.
//!
//! Declarations from all files are gathered before any reference is checked, so ids are global and
//! declaration order does not matter.

use crate::date::{parse_when, When};
use crate::diagnostic::{did_you_mean, suggestion_text, Diagnostic, Location};
use crate::fact_file::{self, field_span, FactFile, SourceText, Spanned};
use crate::model::{
    Entity, EntityId, Fact, Kind, Model, Origin, Relation, RelationId, Source, SourceId,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The text of a source, against which every quote citing it must check out.
pub struct QuoteText {
    pub source_id: String,
    pub text: SourceText,
}

/// Loads and validates fact files into one model; on failure returns every problem found.
pub fn load(files: &[SourceText], quote_texts: &[QuoteText]) -> Result<Model, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::with_capacity(files.len());
    let mut only_fact_records_failed = true;
    for file in files {
        match fact_file::parse(file) {
            Ok(p) => parsed.push(p),
            Err(mut e) => {
                only_fact_records_failed &=
                    e.iter().all(|d| d.message.starts_with("in this fact:"));
                errors.append(&mut e);
                parsed.push(FactFile::default());
            }
        }
    }
    // Without every declaration, reference checks would report names that are merely unreadable.
    if !only_fact_records_failed {
        return Err(errors);
    }
    let mut v = Validator::new(files);
    v.errors = errors;
    for (file, p) in parsed.iter().enumerate() {
        v.sources(file, &p.sources);
    }
    let relation_records: Vec<_> = parsed
        .iter()
        .enumerate()
        .flat_map(|(f, p)| p.relations.iter().map(move |r| (f, r)))
        .collect();
    v.relations(&relation_records);
    for (file, p) in parsed.iter().enumerate() {
        v.entities(file, &p.entities);
    }
    v.index_names();
    for (file, p) in parsed.iter().enumerate() {
        v.facts(file, &p.facts);
    }
    for quote_text in quote_texts {
        v.check_quotes(&parsed, quote_text);
    }
    if v.errors.is_empty() {
        return Ok(v.model);
    }
    // Checks run by record type; users read a file top to bottom.
    let file_order = |d: &Diagnostic| {
        d.location.as_ref().map_or((usize::MAX, 0, 0), |l| {
            (
                files
                    .iter()
                    .position(|f| f.name == l.file)
                    .unwrap_or(usize::MAX),
                l.line,
                l.column,
            )
        })
    };
    v.errors.sort_by_key(file_order);
    Err(v.errors)
}

struct Validator<'a> {
    files: &'a [SourceText],
    line_starts: Vec<Vec<usize>>,
    model: Model,
    errors: Vec<Diagnostic>,
    source_ids: HashMap<String, SourceId>,
    relation_names: HashMap<String, RelationId>,
    entity_ids: HashMap<String, EntityId>,
    /// Lowercased names and aliases -> the entities that claim them, for suggestions.
    names: HashMap<String, Vec<EntityId>>,
    seen_facts: HashMap<(EntityId, RelationId, EntityId, Option<When>, SourceId), Origin>,
}

impl<'a> Validator<'a> {
    fn new(files: &'a [SourceText]) -> Validator<'a> {
        let line_starts = files
            .iter()
            .map(|f| {
                std::iter::once(0)
                    .chain(f.text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect()
            })
            .collect();
        let model = Model {
            files: files.iter().map(|f| f.name.clone()).collect(),
            ..Model::default()
        };
        Validator {
            files,
            line_starts,
            model,
            errors: Vec::new(),
            source_ids: HashMap::new(),
            relation_names: HashMap::new(),
            entity_ids: HashMap::new(),
            names: HashMap::new(),
            seen_facts: HashMap::new(),
        }
    }

    fn origin(&self, file: usize, offset: usize) -> Origin {
        let line = self.line_starts[file].partition_point(|&start| start <= offset);
        Origin {
            file: file as u32,
            line: line as u32,
        }
    }

    /// The location of a field's value inside a record, or of the record when the field is absent.
    fn field<T>(&self, file: usize, record: &Spanned<T>, field: &str) -> Location {
        let text = &self.files[file].text;
        let span = field_span(&text[record.span.clone()], field)
            .map_or(record.span.start..record.span.start + 1, |s| {
                record.span.start + s.start..record.span.start + s.end
            });
        Location::from_span(&self.files[file].name, text, span)
    }

    /// The location of one string inside a field's list value (`aliases: ["ISIS", "Daesh"]`).
    fn item_in_field<T>(
        &self,
        file: usize,
        record: &Spanned<T>,
        field: &str,
        item: &str,
    ) -> Location {
        let text = &self.files[file].text;
        if let Some(s) = field_span(&text[record.span.clone()], field) {
            let value = record.span.start + s.start..record.span.start + s.end;
            let quoted = format!("\"{item}\"");
            if let Some(i) = text[value.clone()].find(&quoted) {
                let start = value.start + i;
                return Location::from_span(
                    &self.files[file].name,
                    text,
                    start..start + quoted.len(),
                );
            }
        }
        self.field(file, record, field)
    }

    fn date_error(
        &self,
        file: usize,
        record_span: &Range<usize>,
        field: &str,
        text: &str,
    ) -> Option<Diagnostic> {
        let error = parse_when(text).err()?;
        let source = &self.files[file];
        let record = &source.text[record_span.clone()];
        let span =
            field_span(record, field).map_or(record_span.start..record_span.start + 1, |s| {
                // Step over the opening quote, then `char_offset` characters into the date.
                let inner = record_span.start + s.start + 1;
                let skip: usize = text
                    .chars()
                    .take(error.char_offset)
                    .map(char::len_utf8)
                    .sum();
                inner + skip..inner + skip + 1
            });
        Some(
            Diagnostic::error(format!("invalid date `{text}`"))
                .at(Location::from_span(&source.name, &source.text, span))
                .label(error.message),
        )
    }

    fn first_declared(&self, origin: Origin) -> String {
        format!("first declared at {}", self.model.origin_text(origin))
    }

    fn sources(&mut self, file: usize, records: &[Spanned<fact_file::SourceRecord>]) {
        for record in records {
            let r = &record.value;
            let origin = self.origin(file, record.span.start);
            if let Some(&first) = self.source_ids.get(&r.id) {
                let note = self.first_declared(self.model.source(first).origin);
                let d = Diagnostic::error(format!("source `{}` is declared twice", r.id));
                self.errors
                    .push(d.at(self.field(file, record, "id")).note(note));
                continue;
            }
            let published = match parse_when(&r.published) {
                Ok(w) => w,
                Err(_) => {
                    let e = self.date_error(file, &record.span, "published", &r.published);
                    self.errors.extend(e);
                    continue;
                }
            };
            self.source_ids
                .insert(r.id.clone(), SourceId(self.model.sources.len() as u32));
            self.model.sources.push(Source {
                id: r.id.clone(),
                title: r.title.clone(),
                publisher: r.publisher.clone(),
                published,
                url: r.url.clone(),
                origin,
            });
        }
    }

    fn kinds(
        &mut self,
        file: usize,
        record: &Spanned<fact_file::RelationRecord>,
        field: &str,
    ) -> Vec<Kind> {
        let names = if field == "domain" {
            &record.value.domain
        } else {
            &record.value.range
        };
        let mut kinds = Vec::new();
        for name in names {
            match Kind::parse(name) {
                Some(k) => kinds.push(k),
                None => self
                    .errors
                    .push(self.unknown_kind(name, self.item_in_field(file, record, field, name))),
            }
        }
        kinds
    }

    fn unknown_kind(&self, name: &str, at: Location) -> Diagnostic {
        let d = Diagnostic::error(format!("unknown kind `{name}`"))
            .at(at)
            .label("not a kind");
        let d = match suggestion_text(&did_you_mean(name, Kind::NAMES)) {
            Some(s) => d.help(s),
            None => d,
        };
        d.note("kinds are actor, place, event and thing; finer types (town, airbase, armed group) go in `tags`")
    }

    fn relations(&mut self, records: &[(usize, &Spanned<fact_file::RelationRecord>)]) {
        let mut labels: HashMap<String, (RelationId, bool)> = HashMap::new();
        let mut declared = Vec::new();
        for &(file, record) in records {
            let r = &record.value;
            let id = RelationId(self.model.relations.len() as u32);
            let origin = self.origin(file, record.span.start);
            if let Some(&(first, _)) = labels.get(&r.name) {
                let note = self.first_declared(self.model.relation(first).origin);
                let d = Diagnostic::error(format!("relation name `{}` is already taken", r.name));
                self.errors
                    .push(d.at(self.field(file, record, "name")).note(note));
                continue;
            }
            if r.symmetric && r.inverse.as_ref().is_some_and(|i| i != &r.name) {
                let d = Diagnostic::error(format!(
                    "symmetric relation `{}` has a different inverse",
                    r.name
                ))
                .at(self.field(file, record, "inverse"))
                .help("a symmetric relation reads the same both ways: remove `inverse`");
                self.errors.push(d);
            }
            let domain = self.kinds(file, record, "domain");
            let range = self.kinds(file, record, "range");
            labels.insert(r.name.clone(), (id, false));
            if let Some(inverse) = r.inverse.as_ref().filter(|i| *i != &r.name) {
                if let Some(&(other, _)) = labels.get(inverse) {
                    let note = self.first_declared(self.model.relation(other).origin);
                    let d =
                        Diagnostic::error(format!("inverse label `{inverse}` is already taken"));
                    self.errors
                        .push(d.at(self.field(file, record, "inverse")).note(note));
                } else {
                    labels.insert(inverse.clone(), (id, true));
                }
            }
            self.relation_names.insert(r.name.clone(), id);
            declared.push((file, record, id));
            self.model.relations.push(Relation {
                name: r.name.clone(),
                inverse: r.inverse.clone(),
                symmetric: r.symmetric,
                domain,
                range,
                broader: None,
                description: r.description.clone(),
                starts_state: r.starts_state.clone(),
                ends_state: r.ends_state.clone(),
                self_loops: r.self_loops,
                origin,
            });
        }
        for &(file, record, id) in &declared {
            let Some(broader) = &record.value.broader else {
                continue;
            };
            match self.relation_names.get(broader) {
                Some(&parent) => self.model.relations[id.index()].broader = Some(parent),
                None => {
                    let at = self.field(file, record, "broader");
                    let d = self.unknown_relation(broader, at);
                    self.errors.push(d);
                }
            }
        }
        for (file, record, id) in declared {
            if self.model.ancestors(id).skip(1).any(|a| a == id)
                || self.model.ancestors(id).count() > 64
            {
                let d = Diagnostic::error(format!(
                    "relation `{}` is broader than itself",
                    record.value.name
                ))
                .at(self.field(file, record, "broader"))
                .label("this link closes a cycle")
                .help("the `broader` links must form a tree; remove one link of the cycle");
                self.errors.push(d);
                self.model.relations[id.index()].broader = None;
            }
        }
    }

    fn unknown_relation(&self, name: &str, at: Location) -> Diagnostic {
        let d = Diagnostic::error(format!("unknown relation `{name}`"))
            .at(at)
            .label("not declared in any loaded file");
        if let Some(r) = self
            .model
            .relations
            .iter()
            .find(|r| r.inverse.as_deref() == Some(name))
        {
            return d.help(format!(
                "`{name}` is the inverse label of `{}`: write the fact with `{}` and swap subject and object",
                r.name, r.name
            ));
        }
        match suggestion_text(&did_you_mean(
            name,
            self.model.relations.iter().map(|r| r.name.as_str()),
        )) {
            Some(s) => d.help(s),
            None => d.help("declare it under `relations:`"),
        }
    }

    fn entities(&mut self, file: usize, records: &[Spanned<fact_file::EntityRecord>]) {
        for record in records {
            let r = &record.value;
            let origin = self.origin(file, record.span.start);
            if let Some(&first) = self.entity_ids.get(&r.id) {
                let note = self.first_declared(self.model.entity(first).origin);
                let d = Diagnostic::error(format!("entity id `{}` is declared twice", r.id));
                self.errors
                    .push(d.at(self.field(file, record, "id")).note(note));
                continue;
            }
            let kind = match Kind::parse(&r.kind) {
                Some(k) => k,
                None => {
                    self.errors
                        .push(self.unknown_kind(&r.kind, self.field(file, record, "kind")));
                    Kind::Thing
                }
            };
            let id = EntityId(self.model.entities.len() as u32);
            self.entity_ids.insert(r.id.clone(), id);
            self.model.entities.push(Entity {
                id: r.id.clone(),
                name: r.name.clone(),
                kind,
                aliases: r.aliases.clone(),
                tags: r.tags.clone(),
                attributes: r.attributes.clone(),
                origin,
            });
            self.check_aliases(file, record, id);
        }
    }

    /// An alias must lead to one entity only: it may not repeat another entity's id, name or alias.
    fn check_aliases(
        &mut self,
        file: usize,
        record: &Spanned<fact_file::EntityRecord>,
        id: EntityId,
    ) {
        for alias in &record.value.aliases {
            let key = alias.to_lowercase();
            let clash = self.model.entities.iter().enumerate().find(|(i, e)| {
                *i != id.index()
                    && (e.id.to_lowercase() == key
                        || e.name.to_lowercase() == key
                        || e.aliases.iter().any(|a| a.to_lowercase() == key))
            });
            if let Some((_, other)) = clash {
                let d = Diagnostic::error(format!(
                    "alias `{alias}` is already claimed by entity `{}`",
                    other.id
                ))
                .at(self.item_in_field(file, record, "aliases", alias))
                .label("claimed twice")
                .note(format!(
                    "`{}` is declared at {}",
                    other.id,
                    self.model.origin_text(other.origin)
                ))
                .help("an alias must lead to one entity; remove it from one of them");
                self.errors.push(d);
            }
        }
    }

    fn index_names(&mut self) {
        for (i, e) in self.model.entities.iter().enumerate() {
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                let ids = self.names.entry(name.to_lowercase()).or_default();
                if !ids.contains(&EntityId(i as u32)) {
                    ids.push(EntityId(i as u32));
                }
            }
        }
    }

    fn resolve_entity(
        &self,
        file: usize,
        record: &Spanned<fact_file::FactRecord>,
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
        if let Some(ids) = self.names.get(&text.to_lowercase()) {
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
                .chain(e.aliases.iter().map(String::as_str))
        });
        let suggestions: Vec<String> = did_you_mean(text, candidates)
            .into_iter()
            .map(|s| match self.names.get(&s.to_lowercase()) {
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

    fn facts(&mut self, file: usize, records: &[Spanned<fact_file::FactRecord>]) {
        self.model.facts.reserve(records.len());
        for record in records {
            if let Some(fact) = self.fact(file, record) {
                self.model.facts.push(fact);
            }
        }
    }

    fn fact(&mut self, file: usize, record: &Spanned<fact_file::FactRecord>) -> Option<Fact> {
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
        let relation = match self.relation_names.get(&r.relation) {
            Some(&id) => Some(id),
            None => {
                let d = self.unknown_relation(&r.relation, self.field(file, record, "relation"));
                self.errors.push(d);
                None
            }
        };
        let source = match self.source_ids.get(&r.source) {
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
            Some(text) => match parse_when(text) {
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
        if let Some(first) = self
            .seen_facts
            .insert((subject, relation, object, when, source), origin)
        {
            let d = Diagnostic::error("duplicate fact")
                .at(self.field(file, record, "subject"))
                .label("same subject, relation, object, date and source as an earlier fact")
                .note(format!("first stated at {}", self.model.origin_text(first)));
            self.errors.push(d);
        }
        if self.errors.len() > before {
            return None;
        }
        Some(Fact {
            subject,
            relation,
            object,
            when,
            source,
            quote: r.quote.as_str().into(),
            reported_by: reported_by.into(),
            note: r.note.as_deref().map(Into::into),
            origin,
        })
    }

    fn check_kinds(
        &mut self,
        file: usize,
        record: &Spanned<fact_file::FactRecord>,
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

    fn check_quotes(&mut self, parsed: &[FactFile], quote_text: &QuoteText) {
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
            return;
        };
        let haystack = normalise_quote(&quote_text.text.text);
        for (file, p) in parsed.iter().enumerate() {
            for record in &p.facts {
                if self.source_ids.get(&record.value.source) != Some(&source) {
                    continue;
                }
                if !haystack.contains(&normalise_quote(&record.value.quote)) {
                    let d = Diagnostic::error(format!(
                        "quote not found in the text of source `{}` ({})",
                        quote_text.source_id, quote_text.text.name
                    ))
                    .at(self.field(file, record, "quote"))
                    .label("not verbatim")
                    .help("copy the clause exactly as the source writes it; whitespace and curly quotes are normalised");
                    self.errors.push(d);
                }
            }
        }
    }
}

fn a_kind(kind: Kind) -> String {
    match kind {
        Kind::Actor | Kind::Event => format!("an {kind}"),
        Kind::Place | Kind::Thing => format!("a {kind}"),
    }
}

/// Whitespace runs become one space and typographic quote marks become plain ones, so that line
/// wrapping and a word processor's quotes do not count as paraphrase.
pub fn normalise_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            c => c,
        }));
    }
    out
}

/// Entities no fact mentions: not an error (a file may declare them for another), but worth a note.
pub fn unused_entities(model: &Model) -> Vec<EntityId> {
    let mut used = HashSet::new();
    for f in &model.facts {
        used.insert(f.subject);
        used.insert(f.object);
        used.extend(f.reported_by.iter().copied());
    }
    (0..model.entities.len() as u32)
        .map(EntityId)
        .filter(|e| !used.contains(e))
        .collect()
}
