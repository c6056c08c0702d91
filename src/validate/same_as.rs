//! `same_as: ["isil"]`: an entity record that is an entity declared elsewhere. Merged once every
//! file's entities are known and before any fact is read, so facts citing either id are the
//! target's, and no later stage ever sees the merged record as an entity.

use super::Validator;
use crate::diagnostic::{clip, Diagnostic};
use crate::fact_file::Spanned;
use crate::model::{EntityId, Merge};
use hashbrown::HashMap;

/// An entity record with `same_as`, waiting for every entity to be known.
pub(super) struct Pending {
    pub file: usize,
    pub record: Spanned<()>,
    pub id: EntityId,
    pub targets: Vec<String>,
}

impl Validator<'_> {
    /// Merges each record with `same_as` into its target, reporting unknown targets, chains,
    /// cycles and kind mismatches. O(entities) when there is a merge, nothing otherwise.
    pub(super) fn merge_same_as(&mut self) {
        let pending = std::mem::take(&mut self.merging);
        if pending.is_empty() {
            return;
        }
        let merging: HashMap<EntityId, usize> =
            pending.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let mut merges = Vec::new();
        for p in &pending {
            if let Some(target) = self.target(p, &pending, &merging) {
                merges.push((p, target));
            }
        }
        if merges.is_empty() {
            return;
        }
        self.add_merged_names(&merges);
        self.remove_merged(&merges);
    }

    /// The entity `p` merges into, or `None` after reporting why it cannot.
    fn target(
        &mut self,
        p: &Pending,
        pending: &[Pending],
        merging: &HashMap<EntityId, usize>,
    ) -> Option<EntityId> {
        let [wanted, rest @ ..] = p.targets.as_slice() else {
            return None;
        };
        let place = |v: &Self, item: &str| v.item_in_field(p.file, &p.record, "same_as", item);
        if let Some(extra) = rest.first() {
            let at = place(self, extra);
            self.report(at, |_| {
                Diagnostic::error("an entity is the same as one other entity, not several")
                    .label("a second target")
                    .help("merge the other entities into the first with `same_as` on their own records")
            });
            return None;
        }
        let at = place(self, wanted);
        let Some(&(target, kind)) = self.declared.entity_ids.get(wanted.as_str()) else {
            self.report(at, |v| {
                v.unknown_entity(wanted)
                    .help("`same_as` names the id of an entity declared in any loaded file")
            });
            return None;
        };
        let me = self.model.entity(p.id);
        if target == p.id {
            self.report(at, |_| {
                Diagnostic::error(format!("entity `{}` is the same as itself", clip(wanted)))
                    .label("its own id")
                    .help("`same_as` names another entity's id")
            });
            return None;
        }
        if let Some(&next) = merging.get(&target) {
            let (me_id, end) = (me.id.clone(), self.chain_end(next, pending, merging, p.id));
            self.report(at, |_| chain_error(wanted, &me_id, end));
            return None;
        }
        if kind != me.kind {
            let (mine, theirs) = (me.kind, kind);
            self.report(at, |v| {
                Diagnostic::error(format!(
                    "entity `{}` is {} but `{}` is {}",
                    clip(&v.model.entity(p.id).id),
                    super::a_kind(mine),
                    clip(wanted),
                    super::a_kind(theirs)
                ))
                .label("a different kind")
                .note(format!(
                    "`{}` is declared at {}",
                    clip(wanted),
                    v.model.origin_text(v.model.entity(target).origin)
                ))
                .help("`same_as` joins two records of one entity; give them one kind")
            });
            return None;
        }
        Some(target)
    }

    /// Where a chain of `same_as` starting at `pending[next]` ends: `Ok(id)` of the first entity
    /// that is not merged, or `Err(())` when it comes back to `start` (or loops elsewhere).
    fn chain_end(
        &self,
        mut next: usize,
        pending: &[Pending],
        merging: &HashMap<EntityId, usize>,
        start: EntityId,
    ) -> Result<String, ()> {
        for _ in 0..pending.len() {
            let p = &pending[next];
            let Some(&(target, _)) = p
                .targets
                .first()
                .and_then(|t| self.declared.entity_ids.get(t.as_str()))
            else {
                return Ok(self.model.entity(p.id).id.clone());
            };
            if target == start {
                return Err(());
            }
            match merging.get(&target) {
                Some(&n) => next = n,
                None => return Ok(self.model.entity(target).id.clone()),
            }
        }
        Err(())
    }

    /// The names of each merged record become aliases of its target, unless the target already
    /// answers to them; a name that leads to a third entity is an error, as for any alias.
    fn add_merged_names(&mut self, merges: &[(&Pending, EntityId)]) {
        let merged: hashbrown::HashSet<EntityId> = merges.iter().map(|(p, _)| p.id).collect();
        let mut claims: HashMap<String, EntityId> = HashMap::new();
        for (i, e) in self.model.entities.iter().enumerate() {
            if !merged.contains(&EntityId(i as u32)) {
                for key in crate::names::keys_of(e) {
                    claims
                        .entry(key.to_lowercase())
                        .or_insert(EntityId(i as u32));
                }
            }
        }
        for &(p, target) in merges {
            let source = self.model.entity(p.id).clone();
            let names = std::iter::once(&source.name).chain(source.aliases());
            let mut new = Vec::new();
            for (k, name) in names.enumerate() {
                match claims.get(&name.to_lowercase()) {
                    Some(&owner) if owner == target => {}
                    Some(&owner) => {
                        let at = match k {
                            0 => self.field(p.file, &p.record, "name"),
                            _ => self.item_in_field(p.file, &p.record, "aliases", name),
                        };
                        self.report(at, |v| merged_name_taken(v, name, target, owner));
                    }
                    None => {
                        claims.insert(name.to_lowercase(), target);
                        new.push(name.clone());
                    }
                }
            }
            let tags: Vec<String> = source
                .tags()
                .iter()
                .filter(|t| !self.model.entity(target).tags().contains(t))
                .cloned()
                .collect();
            self.model.entities[target.index()].extend(new, tags);
        }
    }

    /// Drops the merged records from the entities, renumbering the rest in order, and points
    /// every id that named a merged record at its target.
    fn remove_merged(&mut self, merges: &[(&Pending, EntityId)]) {
        let into: HashMap<EntityId, EntityId> = merges.iter().map(|(p, t)| (p.id, *t)).collect();
        let old = std::mem::take(&mut self.model.entities);
        let old_records = std::mem::take(&mut self.records);
        let mut renumber = Vec::with_capacity(old.len());
        let mut removed = HashMap::new();
        for (i, (e, record)) in old.into_iter().zip(old_records).enumerate() {
            match into.get(&EntityId(i as u32)) {
                Some(_) => {
                    renumber.push(EntityId(u32::MAX));
                    removed.insert(EntityId(i as u32), e);
                }
                None => {
                    renumber.push(EntityId(self.model.entities.len() as u32));
                    self.model.entities.push(e);
                    self.records.push(record);
                }
            }
        }
        let new_id = |id: EntityId| renumber[into.get(&id).copied().unwrap_or(id).index()];
        for (id, _) in self.declared.entity_ids.values_mut() {
            *id = new_id(*id);
        }
        for (_, _, id) in &mut self.shared {
            *id = new_id(*id);
        }
        self.shared.dedup_by_key(|(_, _, id)| *id);
        let mut merged = Vec::with_capacity(removed.len());
        for (p, target) in merges {
            let Some(e) = removed.remove(&p.id) else {
                continue;
            };
            merged.push(Merge {
                id: e.id,
                name: e.name,
                into: new_id(*target),
                origin: e.origin,
            });
        }
        self.model.set_merges(merged);
        // Both were built over the old numbering; no entity is declared after this.
        self.claims = None;
        self.names = std::cell::OnceCell::new();
    }
}

fn chain_error(wanted: &str, me: &str, end: Result<String, ()>) -> Diagnostic {
    let d = Diagnostic::error(format!(
        "`{}` is itself merged into another entity",
        clip(wanted)
    ));
    match end {
        Ok(end) => d
            .label("a chain of `same_as`")
            .help(format!(
                "name the entity the chain ends at: `same_as: [\"{}\"]`",
                clip(&end)
            )),
        Err(()) => d.label("a cycle of `same_as`").help(format!(
            "entities cannot all merge into each other: keep `same_as` on one record only, and let `{}` or `{}` stand",
            clip(me),
            clip(wanted)
        )),
    }
}

fn merged_name_taken(
    v: &Validator<'_>,
    name: &str,
    target: EntityId,
    owner: EntityId,
) -> Diagnostic {
    let (target, owner) = (v.model.entity(target), v.model.entity(owner));
    Diagnostic::error(format!(
        "`{}` would become an alias of `{}`, but it leads to entity `{}`",
        clip(name),
        clip(&target.id),
        clip(&owner.id)
    ))
    .label("claimed by another entity")
    .note(format!(
        "`{}` is declared at {}",
        clip(&owner.id),
        v.model.origin_text(owner.origin)
    ))
    .help("a name must lead to one entity; remove it from one of them")
}
