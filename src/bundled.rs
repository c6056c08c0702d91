//! The article graph and its article, embedded in the binary so that `factgraph` works from any
//! directory, and what the rest of the crate asks of them.

use crate::fact_file::SourceText;

/// The article graph, embedded so that `factgraph` works from any directory.
pub const BUNDLED_NAME: &str = "graphs/al-sukhna.ron";
pub const BUNDLED_TEXT: &str = include_str!("../graphs/al-sukhna.ron");
/// The article the bundled graph names as its source's `text`, embedded with it so that its
/// quotes are checked, and shown in context, from any directory.
pub const BUNDLED_ARTICLE: (&str, &str) = (
    "graphs/sources/the-national-2017-08-06-al-sukhna.txt",
    include_str!("../graphs/sources/the-national-2017-08-06-al-sukhna.txt"),
);

/// The ids of the bundled graph's entities with `text` as id, name or alias (in any case), for
/// the help of an unknown entity: a file started by `factgraph new` lists them as ready to cite,
/// but a named file is loaded without them. Read on first use, which only an error reaches.
pub fn bundled_entity_ids(text: &str) -> Vec<&'static str> {
    static KEYS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let file = crate::fact_file::parse_with_ron(&SourceText::new(BUNDLED_NAME, BUNDLED_TEXT));
        let entities = file.map(|f| f.entities).unwrap_or_default();
        entities
            .into_iter()
            .flat_map(|e| {
                let e = e.value;
                let keys: Vec<String> = [e.id.clone(), e.name]
                    .into_iter()
                    .chain(e.aliases)
                    .map(|k| k.to_lowercase())
                    .collect();
                keys.into_iter().map(move |k| (k, e.id.clone()))
            })
            .collect()
    });
    let text = text.to_lowercase();
    let mut ids: Vec<&str> = Vec::new();
    for (_, id) in keys.iter().filter(|(key, _)| *key == text) {
        if !ids.contains(&id.as_str()) {
            ids.push(id);
        }
    }
    ids
}
