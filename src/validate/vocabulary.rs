//! Validation of the relation vocabulary: names and inverse labels unique and nameable in a query,
//! kinds known, `broader` links resolved and free of cycles.

use super::Validator;
use crate::diagnostic::{clip, did_you_mean, suggestion_text, Diagnostic};
use crate::fact_file::{self, Spanned};
use crate::model::{Relation, RelationId};
use hashbrown::HashMap;

impl Validator<'_> {
    pub(super) fn relations(&mut self, records: &[(usize, &Spanned<fact_file::RelationRecord>)]) {
        let mut labels: HashMap<String, (RelationId, bool)> = HashMap::new();
        let mut declared: Vec<(usize, &Spanned<fact_file::RelationRecord>, RelationId)> =
            Vec::new();
        for &(file, record) in records {
            let r = &record.value;
            let id = RelationId(self.model.relations.len() as u32);
            let origin = self.relation_origin(file, record.span.start);
            if let Some(&(first, false)) = labels.get(&r.name) {
                // The same relation declared again (by a vocabulary and a file, or by two files)
                // is one relation; declared otherwise, it is two relations under one name.
                // `declared` and the model's relations grow together, so ids index both.
                if let Some(&(first_file, first_record, _)) = declared.get(first.index()) {
                    if first_record.value != *r {
                        self.declared_differently(first_file, first_record, file, record);
                    }
                }
                continue;
            }
            if let Some(&(first, _)) = labels.get(&r.name) {
                let place = self.field(file, record, "name");
                self.report(place, |v| {
                    Diagnostic::error(format!(
                        "relation name `{}` is already taken",
                        clip(&r.name)
                    ))
                    .note(v.first_declared(v.model.relation(first).origin))
                });
                continue;
            }
            self.check_nameable(file, record);
            if r.symmetric && r.inverse.as_ref().is_some_and(|i| i != &r.name) {
                let place = self.field(file, record, "inverse");
                self.report(place, |_| {
                    Diagnostic::error(format!(
                        "symmetric relation `{}` has a different inverse",
                        clip(&r.name)
                    ))
                    .help("a symmetric relation reads the same both ways: remove `inverse`")
                });
            }
            let domain = self.kinds(file, record, "domain");
            let range = self.kinds(file, record, "range");
            labels.insert(r.name.clone(), (id, false));
            if let Some(inverse) = r.inverse.as_ref().filter(|i| *i != &r.name) {
                if let Some(&(other, _)) = labels.get(inverse) {
                    let place = self.field(file, record, "inverse");
                    self.report(place, |v| {
                        let inverse = clip(inverse);
                        Diagnostic::error(format!("inverse label `{inverse}` is already taken"))
                            .note(v.first_declared(v.model.relation(other).origin))
                    });
                } else {
                    labels.insert(inverse.clone(), (id, true));
                }
            }
            self.declared.relation_names.insert(r.name.clone(), id);
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
                hedged: r.hedged,
                contradicts: Vec::new(),
                origin,
            });
        }
        self.state_names_free(&declared, &labels);
        self.link_broader(&declared);
        self.link_contradicts(&declared);
    }

    /// Resolves `contradicts` both ways: `claimed` contradicting `denied` makes `denied`
    /// contradict `claimed`. A relation cannot contradict itself or its own family line, whose
    /// facts state the same claim.
    fn link_contradicts(
        &mut self,
        declared: &[(usize, &Spanned<fact_file::RelationRecord>, RelationId)],
    ) {
        for &(file, record, id) in declared {
            for name in &record.value.contradicts {
                let Some(&other) = self.declared.relation_names.get(name) else {
                    let place = self.item_in_field(file, record, "contradicts", name);
                    self.report(place, |v| v.unknown_relation(name));
                    continue;
                };
                let related = self.model.ancestors(id).any(|a| a == other)
                    || self.model.ancestors(other).any(|a| a == id);
                if related {
                    let place = self.item_in_field(file, record, "contradicts", name);
                    self.report(place, |_| {
                        Diagnostic::error(format!(
                            "relation `{}` cannot contradict `{}`",
                            clip(&record.value.name),
                            clip(name)
                        ))
                        .label("the same relation or one of its family")
                        .help("`contradicts` names a relation whose facts deny this one's, such as `denied` for `claimed`")
                    });
                    continue;
                }
                for (a, b) in [(id, other), (other, id)] {
                    let list = &mut self.model.relations[a.index()].contradicts;
                    if !list.contains(&b) {
                        list.push(b);
                    }
                }
            }
        }
    }

    /// A state a relation starts or ends is itself a relation queries can use (`controls`), so its
    /// name must not be a declared relation name or inverse label.
    fn state_names_free(
        &mut self,
        declared: &[(usize, &Spanned<fact_file::RelationRecord>, RelationId)],
        labels: &HashMap<String, (RelationId, bool)>,
    ) {
        for &(file, record, _) in declared {
            let r = &record.value;
            for (field, state) in [
                ("starts_state", &r.starts_state),
                ("ends_state", &r.ends_state),
            ] {
                let Some((state, &(taken, _))) =
                    state.as_ref().and_then(|s| labels.get(s).map(|t| (s, t)))
                else {
                    continue;
                };
                let place = self.field(file, record, field);
                self.report(place, |v| {
                    Diagnostic::error(format!(
                        "state `{}` has the name of a relation",
                        clip(state)
                    ))
                    .label("a state is also a relation of its own")
                    .note(format!(
                        "relation `{}` is declared at {}",
                        clip(&v.model.relation(taken).name),
                        v.model.origin_text(v.model.relation(taken).origin)
                    ))
                    .help("give the state a name no relation or inverse label has, such as `holds`")
                });
            }
        }
    }

    /// Resolves the `broader` links of the relations declared, then cuts any that close a cycle.
    fn link_broader(
        &mut self,
        declared: &[(usize, &Spanned<fact_file::RelationRecord>, RelationId)],
    ) {
        for &(file, record, id) in declared {
            let Some(broader) = &record.value.broader else {
                continue;
            };
            match self.declared.relation_names.get(broader) {
                Some(&parent) => self.model.relations[id.index()].broader = Some(parent),
                None => {
                    let place = self.field(file, record, "broader");
                    self.report(place, |v| v.unknown_relation(broader));
                }
            }
        }
        for &(file, record, id) in declared {
            if self.model.ancestors(id).skip(1).any(|a| a == id)
                || self.model.ancestors(id).count() > 64
            {
                let place = self.field(file, record, "broader");
                self.report(place, |_| {
                    Diagnostic::error(format!(
                        "relation `{}` is broader than itself",
                        clip(&record.value.name)
                    ))
                    .label("this link closes a cycle")
                    .help("the `broader` links must form a tree; remove one link of the cycle")
                });
                self.model.relations[id.index()].broader = None;
            }
        }
    }

    /// A query names a relation by one word that cannot start with `^` (which reads a relation
    /// backwards) or `?` (a variable): a relation or inverse label starting with either could be
    /// declared and used in facts, but never asked about.
    fn check_nameable(&mut self, file: usize, record: &Spanned<fact_file::RelationRecord>) {
        let r = &record.value;
        let labels = [("name", Some(&r.name)), ("inverse", r.inverse.as_ref())];
        for (field, label) in labels {
            let Some(label) = label.filter(|l| l.starts_with(['^', '?'])) else {
                continue;
            };
            let place = self.field(file, record, field);
            self.report(place, |_| {
                let what = if field == "name" {
                    "relation name"
                } else {
                    "inverse label"
                };
                let (mark, means) = if label.starts_with('^') {
                    ('^', "reads a relation backwards")
                } else {
                    ('?', "starts a variable")
                };
                let d = Diagnostic::error(format!("{what} `{}` starts with `{mark}`", clip(label)))
                    .label(format!("`{mark}` {means} in a query, so no query could name this"));
                match (mark, field) {
                    ('?', _) => d.help("rename it without the `?`"),
                    (_, "name") => d.help("rename it; to name the backwards reading of a relation, give that relation `inverse: \"...\"`"),
                    _ => d.help(format!(
                        "rename it, or leave `inverse` out: queries then read `{0}` backwards as `^{0}`",
                        clip(&r.name)
                    )),
                }
            });
        }
    }

    pub(super) fn unknown_relation(&self, name: &str) -> Diagnostic {
        let d = Diagnostic::error(format!("unknown relation `{}`", clip(name)))
            .label("not declared in any loaded file");
        if let Some(r) = self
            .model
            .relations
            .iter()
            .find(|r| r.inverse.as_deref() == Some(name))
        {
            return d.help(format!(
                "`{}` is the inverse label of `{}`: write the fact with `{}` and swap subject and object",
                clip(name), r.name, r.name
            ));
        }
        if let Some(s) = suggestion_text(&did_you_mean(
            name,
            self.model.relations.iter().map(|r| r.name.as_str()),
        )) {
            return d.help(s);
        }
        let d = match crate::vocabulary::described_relations(&self.model.relations, name, |r| {
            r.name.clone()
        }) {
            Some(help) => d.help(help),
            None => d,
        };
        if self.model.relations.iter().any(|r| r.description.is_some()) {
            d.help("`factgraph query relations` lists the standard relations and what each means (docs/vocabulary.md); else declare it under `relations:`")
        } else {
            d.help("declare it under `relations:`")
        }
    }
}
