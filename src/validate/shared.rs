//! Shared names (`shared_names: ["Palmyra"]` on the modern town) must lead to another entity: one
//! that is not, or that leads back to this entity, is a mistake the answer's note would hide.
//! Checked once every file's entities are known, as names may be declared in any file.

use super::Validator;
use crate::diagnostic::{clip, Diagnostic};
use crate::model::EntityId;
use hashbrown::HashMap;

impl Validator<'_> {
    pub(super) fn check_shared_names(&mut self) {
        if self.shared.is_empty() {
            return;
        }
        let mut leads_to: HashMap<String, EntityId> = HashMap::new();
        for (i, e) in self.model.entities.iter().enumerate() {
            for key in crate::names::keys_of(e) {
                leads_to
                    .entry(key.to_lowercase())
                    .or_insert(EntityId(i as u32));
            }
        }
        for (file, record, id) in std::mem::take(&mut self.shared) {
            for name in self.model.entity(id).shared_names().to_vec() {
                let leads_back = match leads_to.get(&name.to_lowercase()) {
                    Some(&other) if other != id => continue,
                    Some(_) => true,
                    None => false,
                };
                let place = self.item_in_field(file, &record, "shared_names", &name);
                self.report(place, |_| {
                    let name = clip(&name);
                    match leads_back {
                        true => {
                            Diagnostic::error(format!("shared name `{name}` leads to this entity"))
                                .label("already its id, name or alias")
                                .help("a shared name is another entity's name; drop it here")
                        }
                        false => {
                            Diagnostic::error(format!("shared name `{name}` names no other entity"))
                                .label("no entity has this id, name or alias")
                                .help("if only this entity goes by it, make it an alias")
                        }
                    }
                });
            }
        }
    }
}
