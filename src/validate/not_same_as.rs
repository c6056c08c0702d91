//! `not_same_as: ["deir_ezzor"]`: a curator's judgement that two entities whose names look alike
//! are two, so that the duplicate warnings between them stop. The negative of `same_as`, checked
//! like it once every file's entities are known, and after the merges, so that it lands on the
//! entity a merged record became.

use super::Validator;
use crate::diagnostic::{clip, Diagnostic};
use crate::fact_file::Spanned;

/// An entity record with `not_same_as`, waiting for every entity to be known and merged.
pub(super) struct Pending {
    pub file: usize,
    pub record: Spanned<()>,
    /// The record's own id: after the merges, it names the entity the record became.
    pub id: String,
    pub same_as: Vec<String>,
    pub others: Vec<String>,
}

impl Validator<'_> {
    /// Records each judgement on the entity it concerns, reporting ids that name no entity, the
    /// entity itself, or one it is merged with. O(ids named).
    pub(super) fn check_not_same_as(&mut self) {
        for p in std::mem::take(&mut self.apart) {
            let Some(&(me, _)) = self.declared.entity_ids.get(p.id.as_str()) else {
                continue;
            };
            for other in &p.others {
                let at = self.item_in_field(p.file, &p.record, "not_same_as", other);
                let Some(&(them, _)) = self.declared.entity_ids.get(other.as_str()) else {
                    self.report(at, |v| {
                        v.unknown_entity(other).help(
                            "`not_same_as` names the id of an entity declared in any loaded file",
                        )
                    });
                    continue;
                };
                let problem = if *other == p.id {
                    Some(
                        Diagnostic::error(format!(
                            "entity `{}` names itself in `not_same_as`",
                            clip(other)
                        ))
                        .label("its own id")
                        .help("`not_same_as` names another entity's id"),
                    )
                } else if p.same_as.contains(other) {
                    Some(
                        Diagnostic::error(format!(
                            "`{}` is in both `same_as` and `not_same_as`",
                            clip(other)
                        ))
                        .label("also in `same_as`")
                        .help("keep the one that is true: `same_as` merges the two, `not_same_as` keeps them apart"),
                    )
                } else if me == them {
                    Some(
                        Diagnostic::error(format!(
                            "`{}` and `{}` are one entity through `same_as`",
                            clip(&p.id),
                            clip(other)
                        ))
                        .label("one entity with this record")
                        .help("remove the `same_as` that merges them, or this id"),
                    )
                } else {
                    None
                };
                match problem {
                    Some(d) => self.report(at, |_| d),
                    None => {
                        let other_id = self.model.entity(them).id.clone();
                        self.model.entities[me.index()].add_not_same_as(&other_id);
                    }
                }
            }
        }
    }
}
