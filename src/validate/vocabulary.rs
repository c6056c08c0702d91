//! Validation of the relation vocabulary: names and inverse labels unique, kinds known, `broader`
//! links resolved and free of cycles.

use super::Validator;
use crate::diagnostic::{did_you_mean, suggestion_text, Diagnostic, Location};
use crate::fact_file::{self, Spanned};
use crate::model::{Relation, RelationId};
use hashbrown::HashMap;

impl Validator<'_> {
    pub(super) fn relations(&mut self, records: &[(usize, &Spanned<fact_file::RelationRecord>)]) {
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

    pub(super) fn unknown_relation(&self, name: &str, at: Location) -> Diagnostic {
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
}
