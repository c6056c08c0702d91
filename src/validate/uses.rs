//! A file's `uses: ["conflict"]`: the shipped vocabularies it names are read once each and
//! validated as files of their own, numbered after the loaded files, so that their relations are
//! declared exactly as if a file had declared them, and problems in them point into their text.

use super::{Parsed, Validator};
use crate::diagnostic::{clip, did_you_mean, suggestion_text, Diagnostic, Location, Place};
use crate::fact_file::{self, FactFile, RelationRecord, SourceText, Spanned};
use crate::model::Origin;
use crate::vocabulary::{self, Vocabulary};

/// A vocabulary taken in, and the first `uses` that named it.
pub(super) struct Used {
    vocabulary: &'static Vocabulary,
    /// Where its relations are said to come from in the model, which numbers only loaded files.
    first_use: Origin,
}

impl<'a> Validator<'a> {
    /// The text of file `file`: a loaded file, or past them a vocabulary taken in.
    pub(super) fn source(&self, file: usize) -> &'a SourceText {
        match self.files.get(file) {
            Some(source) => source,
            None => &self.vocabularies[file - self.files.len()].vocabulary.text,
        }
    }

    /// The files in the order their declarations are read: vocabularies first, then the files.
    pub(super) fn declaration_order(&self) -> impl Iterator<Item = usize> {
        let files = self.files.len();
        (files..files + self.vocabularies.len()).chain(0..files)
    }

    /// The origin a relation declared at `offset` of `file` has in the model: a vocabulary's
    /// relations are placed at the `uses` that took the vocabulary in.
    pub(super) fn relation_origin(&self, file: usize, offset: usize) -> Origin {
        match file.checked_sub(self.files.len()) {
            Some(v) => self.vocabularies[v].first_use,
            None => self.origin(file, offset),
        }
    }

    /// `file:line:col` of a place, for notes that point at a second place.
    pub(super) fn place_text(&self, place: &Place) -> String {
        match place {
            Place::Bytes { file, bytes } => {
                let source = self.source(*file);
                let at = Location::from_span(&source.name, &source.text, bytes.clone());
                format!("{}:{}:{}", at.file, at.line, at.column)
            }
            Place::File(file) => self.source(*file).name.clone(),
            Place::Nowhere => "?".to_string(),
        }
    }

    /// Reads every vocabulary the parsed files use, once each, and appends it to `parsed`;
    /// reports names that are no shipped vocabulary.
    pub(super) fn take_in_vocabularies<G: Copy + 'static>(&mut self, parsed: &mut Vec<Parsed<G>>) {
        let mut wanted = Vec::new();
        for (file, p) in parsed.iter().enumerate() {
            for name in p.uses() {
                match vocabulary::find(&name.value) {
                    Some(v) => wanted.push((v, self.origin(file, name.span.start))),
                    None => {
                        let place = Place::Bytes {
                            file,
                            bytes: name.span.clone(),
                        };
                        self.report(place, |_| unknown_vocabulary(&name.value));
                    }
                }
            }
        }
        for (vocabulary, first_use) in wanted {
            if self
                .vocabularies
                .iter()
                .any(|u| std::ptr::eq(u.vocabulary, vocabulary))
            {
                continue;
            }
            self.vocabularies.push(Used {
                vocabulary,
                first_use,
            });
            self.line_cursor.push(std::cell::Cell::new((0, 1)));
            let file = parsed.len();
            // A shipped vocabulary reads cleanly (a test says so); were it ever not to, its
            // problems are reported in its own text like any file's.
            let read = fact_file::read_with_ron(&vocabulary.text).unwrap_or_else(|errors| {
                for e in errors {
                    let place =
                        e.at.map_or(Place::File(file), |bytes| Place::Bytes { file, bytes });
                    self.problems.push(place, e.diagnostic);
                }
                FactFile::default()
            });
            parsed.push(Parsed::Ron(read));
        }
    }
}

fn unknown_vocabulary(name: &str) -> Diagnostic {
    let d = Diagnostic::error(format!("unknown vocabulary `{}`", clip(name)))
        .label("not a vocabulary shipped with factgraph");
    let known: Vec<&str> = vocabulary::names().collect();
    let d = match suggestion_text(&did_you_mean(name, known.iter().copied())) {
        Some(s) => d.help(s),
        None => d,
    };
    d.note(format!(
        "the shipped vocabularies are: {}; see docs/vocabulary.md",
        known.join(", ")
    ))
}

impl Validator<'_> {
    /// Reports a relation declared at `again` with other fields than at `first`, showing both.
    pub(super) fn declared_differently(
        &mut self,
        first_file: usize,
        first: &Spanned<RelationRecord>,
        file: usize,
        again: &Spanned<RelationRecord>,
    ) {
        let place = self.field(file, again, "name");
        let first_place = self.field(first_file, first, "name");
        self.report(place, |v| {
            let (was, is) = (fields(&first.value), fields(&again.value));
            let differing: Vec<String> = was
                .keys()
                .chain(is.keys().filter(|k| !was.contains_key(*k)))
                .filter(|k| was.get(*k) != is.get(*k))
                .map(|k| {
                    let shown = |f: &serde_json::Map<String, serde_json::Value>| {
                        f.get(k).map_or("absent".to_string(), |x| clip(&x.to_string()).into())
                    };
                    format!("`{k}` is {} there, {} here", shown(&was), shown(&is))
                })
                .collect();
            let there = v.place_text(&first_place);
            let mut d = Diagnostic::error(format!(
                "relation `{}` is declared twice, differently",
                clip(&first.value.name)
            ))
            .label("declared again here, with other fields")
            .note(format!("first declared at {there}{}", v.vocabulary_of(first_file)));
            for difference in differing {
                d = d.note(difference);
            }
            d.help(format!(
                "declare it exactly as at {there} (then both are one relation), leave this declaration out, or give it another name"
            ))
        });
    }

    /// `, in vocabulary `conflict`` when `file` is a vocabulary taken in, else nothing.
    fn vocabulary_of(&self, file: usize) -> String {
        file.checked_sub(self.files.len())
            .map_or(String::new(), |v| {
                format!(
                    ", in the vocabulary `{}` that `uses` takes in",
                    self.vocabularies[v].vocabulary.name
                )
            })
    }
}

/// A relation record's fields as written (fields left at their default are absent), by name.
fn fields(record: &RelationRecord) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(record) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}
