//! The vocabularies shipped with factgraph: relation declarations a fact file takes in with a
//! top-level `uses: ["conflict"]` instead of declaring them itself. They are embedded in the binary,
//! so a file that uses one loads from any directory. And what relation descriptions offer a
//! reader who names a relation that is not declared, in a fact file or a query alike.

use crate::fact_file::SourceText;
use crate::model::Relation;
use std::sync::LazyLock;

/// One shipped vocabulary: the name a file's `uses` gives, and its text under the name it has in
/// the repository (which diagnostics about its declarations show).
pub struct Vocabulary {
    pub name: &'static str,
    pub text: SourceText,
}

static VOCABULARIES: LazyLock<[Vocabulary; 1]> = LazyLock::new(|| {
    [Vocabulary {
        name: "conflict",
        text: SourceText::new(
            "graphs/vocabularies/conflict.ron",
            include_str!("../graphs/vocabularies/conflict.ron"),
        ),
    }]
});

/// Every shipped vocabulary, in the order `factgraph` lists them.
pub fn all() -> &'static [Vocabulary] {
    VOCABULARIES.as_slice()
}

/// The vocabulary `uses` names `name` (exactly: names are lowercase words).
pub fn find(name: &str) -> Option<&'static Vocabulary> {
    all().iter().find(|v| v.name == name)
}

/// The names of every shipped vocabulary, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    all().iter().map(|v| v.name)
}

/// The shipped vocabulary `text` is a copy of, line for line (so a checkout with other line
/// endings still counts): such a file in a folder is the vocabulary, not a corpus file.
pub fn shipped_copy(text: &str) -> Option<&'static Vocabulary> {
    all().iter().find(|v| v.text.text.lines().eq(text.lines()))
}

/// The files among `files` that are copies of a shipped vocabulary, with its name.
pub fn copies_among(files: &[SourceText]) -> Vec<(usize, &'static str)> {
    let copy = |(i, f): (usize, &SourceText)| shipped_copy(&f.text).map(|v| (i, v.name));
    files.iter().enumerate().filter_map(copy).collect()
}

/// "perhaps `overran` (seized a place by a sweeping assault)": the relations (at most three)
/// whose description uses a word of an unknown relation `name`, each written by `label` as the
/// reader would type it. `None` when no description does. Fact files and queries both ask it.
pub fn described_relations(
    relations: &[Relation],
    name: &str,
    label: impl Fn(&Relation) -> String,
) -> Option<String> {
    let described: Vec<String> = relations
        .iter()
        .filter_map(|r| {
            let description = r.description.as_deref()?;
            describes(description, name).then(|| format!("`{}` ({description})", label(r)))
        })
        .take(3)
        .collect();
    match described.as_slice() {
        [] => None,
        [one] => Some(format!("perhaps {one}")),
        several => Some(format!("perhaps one of {}", several.join(", "))),
    }
}

/// Whether a relation's description uses a word of `name` (`seized` for one that "seized a place"):
/// words compared by their first five letters, so `seize`, `seized` and `seizing` meet.
fn describes(description: &str, name: &str) -> bool {
    let stem = |w: &str| w.chars().take(5).collect::<String>().to_lowercase();
    let typed: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(stem)
        .collect();
    description
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .any(|w| typed.contains(&stem(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_declares_only_described_relations_and_loads_alone() {
        for v in all() {
            let file = crate::fact_file::parse_with_ron(&v.text).unwrap();
            assert!(file.sources.is_empty() && file.entities.is_empty() && file.facts.is_empty());
            assert!(
                file.uses.is_empty(),
                "{}: a vocabulary uses no other",
                v.name
            );
            assert!(file.relations.len() >= 70, "{}", v.name);
            for r in &file.relations {
                let d = r.value.description.as_deref().unwrap_or("");
                assert!(
                    !d.is_empty(),
                    "{}: `{}` has no description",
                    v.name,
                    r.value.name
                );
            }
            let model = crate::validate::load(std::slice::from_ref(&v.text), &[]).unwrap();
            assert!(model.warnings.is_empty(), "{:?}", model.warnings);
        }
    }
}
