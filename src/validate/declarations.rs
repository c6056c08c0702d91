//! Validation of sources and entities: ids unique, dates and kinds known, aliases leading to one
//! entity.

use super::{key::Key, Validator};
use crate::date::parse_when;
use crate::diagnostic::{clip, did_you_mean, suggestion_text, Diagnostic};
use crate::fact_file::{self, Spanned};
use crate::model::{Entity, EntityId, Kind, Reliability, Source, SourceId};
use hashbrown::{HashMap, HashSet};

impl Validator<'_> {
    pub(super) fn sources(&mut self, file: usize, records: &[Spanned<fact_file::SourceRecord>]) {
        for record in records {
            let r = &record.value;
            let origin = self.origin(file, record.span.start);
            if let Some(&first) = self.declared.source_ids.get(&r.id) {
                let place = self.field(file, record, "id");
                self.report(place, |v| {
                    Diagnostic::error(format!("source `{}` is declared twice", clip(&r.id)))
                        .note(v.first_declared(v.model.source(first).origin))
                });
                continue;
            }
            let published = match parse_when(&r.published) {
                Ok(w) => w,
                Err(error) => {
                    self.report_date(file, &record.span, "published", &r.published, error);
                    continue;
                }
            };
            let reliability = self.reliability(file, record);
            self.declared
                .source_ids
                .insert(r.id.clone(), SourceId(self.model.sources.len() as u32));
            self.model.sources.push(Source {
                id: r.id.clone(),
                title: r.title.clone(),
                publisher: r.publisher.clone(),
                published,
                url: r.url.clone(),
                reliability,
                // Read once every source is declared (see `source_texts`).
                text: None,
                origin,
            });
        }
    }

    /// A source's Admiralty reliability letter, reporting one that is not `A` to `F`.
    fn reliability(
        &mut self,
        file: usize,
        record: &Spanned<fact_file::SourceRecord>,
    ) -> Option<Reliability> {
        let text = record.value.reliability.as_deref()?;
        let grade = Reliability::parse(text.trim());
        if grade.is_none() {
            let place = self.field(file, record, "reliability");
            self.report(place, |_| {
                let d = Diagnostic::error(format!("unknown reliability `{}`", clip(text)))
                    .label("not an Admiralty grade");
                let d = match suggestion_text(&did_you_mean(text, Reliability::LETTERS)) {
                    Some(s) if text.chars().count() > 1 => d.help(s),
                    _ => d,
                };
                d.help(
                    "write a letter: A completely reliable, B usually reliable, C fairly \
                        reliable, D not usually reliable, E unreliable, F cannot be judged",
                )
            });
        }
        grade
    }

    /// The kinds a relation's `domain` or `range` (`field`) names, reporting unknown ones.
    pub(super) fn kinds(
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
                None => {
                    let place = self.item_in_field(file, record, field, name);
                    self.report(place, |_| unknown_kind(name));
                }
            }
        }
        kinds
    }

    /// Validates a file's entities; stops with `G` if the fast reader gave up on one of them.
    pub(super) fn entities<G>(
        &mut self,
        file: usize,
        records: impl Iterator<Item = Result<Spanned<fact_file::EntityRecord>, G>>,
    ) -> Result<(), G> {
        let (known, _) = records.size_hint();
        self.model.entities.reserve_exact(known);
        self.records.reserve_exact(known);
        self.declared.entity_ids.reserve(known);
        for record in records {
            let Spanned { value: r, span } = record?;
            // Diagnostics need only where the record is.
            let record = &Spanned { value: (), span };
            let origin = self.origin(file, record.span.start);
            if let Some(&(first, _)) = self.declared.entity_ids.get(r.id.as_str()) {
                let place = self.field(file, record, "id");
                self.report(place, |v| {
                    let first = v.model.entity(first).origin;
                    let d =
                        Diagnostic::error(format!("entity id `{}` is declared twice", clip(&r.id)))
                            .note(v.first_declared(first));
                    // Ids are shared by every loaded file: the other file's entity can be cited.
                    if first.file as usize == file {
                        d
                    } else {
                        d.help(format!(
                            "the loaded files share ids: remove this declaration and cite the one already declared as `{}`",
                            clip(&r.id)
                        ))
                    }
                });
                continue;
            }
            let kind = match Kind::parse(&r.kind) {
                Some(k) => k,
                None => {
                    let place = self.field(file, record, "kind");
                    self.report(place, |_| unknown_kind(&r.kind));
                    Kind::Thing
                }
            };
            let id = EntityId(self.model.entities.len() as u32);
            self.declared.entity_ids.insert(Key::new(&r.id), (id, kind));
            let entity = Entity::new(r.id, r.name, kind, origin);
            let entity = entity
                .with_details(r.aliases, r.tags, r.attributes)
                .with_shared_names(r.shared_names);
            if !entity.shared_names().is_empty() {
                self.shared.push((file, record.clone(), id));
            }
            self.model.entities.push(entity);
            self.records.push((file, record.span.clone()));
            if !r.not_same_as.is_empty() {
                self.apart.push(super::not_same_as::Pending {
                    file,
                    record: record.clone(),
                    id: self.model.entity(id).id.clone(),
                    same_as: r.same_as.clone(),
                    others: r.not_same_as,
                });
            }
            if r.same_as.is_empty() {
                self.check_aliases(file, record, id);
            } else {
                // Its names are checked as the target's aliases once the target is known.
                self.merging.push(super::same_as::Pending {
                    file,
                    record: record.clone(),
                    id,
                    targets: r.same_as,
                });
            }
        }
        Ok(())
    }

    /// An alias must lead to one entity only: it may not repeat an earlier entity's id, name or
    /// alias. O(aliases) per entity through `claims`, which holds the entities before this one.
    fn check_aliases(&mut self, file: usize, record: &Spanned<()>, id: EntityId) {
        if self.model.entity(id).aliases().is_empty() && self.claims.is_none() {
            return;
        }
        let mut claims = self.claims.take().unwrap_or_else(|| {
            // Records with `same_as` claim their names for their target, once it is known.
            let merging: HashSet<EntityId> = self.merging.iter().map(|p| p.id).collect();
            let mut claims = HashMap::new();
            for (i, e) in self.model.entities[..id.index()].iter().enumerate() {
                if !merging.contains(&EntityId(i as u32)) {
                    claim(&mut claims, e, EntityId(i as u32));
                }
            }
            claims
        });
        for alias in self.model.entity(id).aliases().to_vec() {
            let Some(&other) = claims.get(&alias.to_lowercase()) else {
                continue;
            };
            let place = self.item_in_field(file, record, "aliases", &alias);
            self.report(place, |v| {
                let other = v.model.entity(other);
                Diagnostic::error(format!(
                    "alias `{}` is already claimed by entity `{}`",
                    clip(&alias),
                    clip(&other.id)
                ))
                .label("claimed twice")
                .note(format!(
                    "`{}` is declared at {}",
                    clip(&other.id),
                    v.model.origin_text(other.origin)
                ))
                .help("an alias must lead to one entity; remove it from one of them")
            });
        }
        claim(&mut claims, self.model.entity(id), id);
        self.claims = Some(claims);
    }
}

fn unknown_kind(name: &str) -> Diagnostic {
    let d = Diagnostic::error(format!("unknown kind `{}`", clip(name))).label("not a kind");
    let d = match suggestion_text(&did_you_mean(name, Kind::NAMES)) {
        Some(s) => d.help(s),
        None => d,
    };
    d.note("kinds are actor, place, event and thing; finer types (town, airbase, armed group) go in `tags`")
}

/// Records an entity's id, name and aliases as claimed, unless an earlier entity claimed them.
fn claim(claims: &mut HashMap<String, EntityId>, e: &Entity, id: EntityId) {
    for key in [&e.id, &e.name].into_iter().chain(e.aliases()) {
        claims.entry(key.to_lowercase()).or_insert(id);
    }
}
