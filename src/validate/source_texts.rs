//! Sources that carry their text: the file a source's `text` field names is read beside its fact
//! file, and every quote citing a source with a text (from `text`, or `--text`) is checked
//! against it, with the closest passage suggested when a quote is not verbatim.

use super::{clip, Parsed, QuoteText, Validator};
use crate::diagnostic::{did_you_mean, suggestion_text, Diagnostic, Place};
use crate::fact_file::{FileKind, SourceText};
use crate::model::SourceId;
use crate::passage::{Miss, Omission, Passages, Quotable};
use std::cell::OnceCell;
use std::path::{Path, PathBuf};

/// Reads the file a source's `text` field names. The loader answers for the bundled graph from
/// the copy built into the binary; everything else is read from disk ([`FromDisk`]).
pub trait ReadText {
    /// The text at `path`: the `text` field joined to the folder of fact file number `file`.
    fn read_text(&self, file: usize, path: &Path) -> Result<String, Diagnostic>;
}

/// Reads texts from disk, as any text factgraph takes is read.
pub struct FromDisk;

impl ReadText for FromDisk {
    fn read_text(&self, _file: usize, path: &Path) -> Result<String, Diagnostic> {
        SourceText::read_kind(path, FileKind::Text).map(|t| t.text)
    }
}

/// Where a `text` field of fact file `fact_file` points: relative to that file's folder.
pub fn text_path(fact_file: &str, text: &str) -> PathBuf {
    Path::new(fact_file)
        .parent()
        .unwrap_or(Path::new(""))
        .join(text)
}

/// One source's text as quotes are checked against it.
struct Checked {
    /// How messages name the text: the path it was read from.
    name: String,
    text: String,
}

impl<'a> Validator<'a> {
    /// Reads the text of every declared source whose record names one into the model, and
    /// returns the paths read, by source; a text that cannot be read is a problem at its `text`
    /// field.
    pub(super) fn source_texts<G: Copy + 'static>(
        &mut self,
        parsed: &[Parsed<G>],
        reader: &dyn ReadText,
    ) -> Vec<(SourceId, String)> {
        let mut read = Vec::new();
        for (file, p) in parsed.iter().enumerate() {
            for record in p.sources() {
                let Some(text) = &record.value.text else {
                    continue;
                };
                let Some(&id) = self.declared.source_ids.get(&record.value.id) else {
                    continue;
                };
                // A second declaration of the id was reported; the first one's text counts.
                if self.model.source(id).text.is_some() {
                    continue;
                }
                let path = text_path(&self.files[file].name, text);
                match reader.read_text(file, &path) {
                    Ok(body) => {
                        self.model.sources[id.0 as usize].text = Some(body);
                        read.push((id, path.display().to_string()));
                    }
                    Err(e) => {
                        let place = self.field(file, record, "text");
                        let source = &record.value.id;
                        self.report(place, |_| {
                            Diagnostic::error(format!(
                                "cannot read the text of source `{}`",
                                clip(source)
                            ))
                            .label("named here")
                            .note(e.message)
                            .help(format!(
                                "`text` is relative to the fact file's folder; this one names `{}`",
                                path.display()
                            ))
                        });
                    }
                }
            }
        }
        read
    }

    /// Checks every quote citing a source that has a text: its own (`own`, as
    /// [`Validator::source_texts`] read them) or one given by `--text` (which wins), in one pass
    /// over the facts.
    pub(super) fn check_quotes<G: Copy + 'static>(
        &mut self,
        parsed: &[Parsed<G>],
        own: Vec<(SourceId, String)>,
        quote_texts: &[QuoteText],
    ) -> Result<(), G> {
        let mut texts: Vec<Option<Checked>> = self.model.sources.iter().map(|_| None).collect();
        for (id, name) in own {
            if let Some(text) = self.model.source(id).text.clone() {
                texts[id.0 as usize] = Some(Checked { name, text });
            }
        }
        for q in quote_texts {
            match self.declared.source_ids.get(&q.source_id) {
                Some(&SourceId(id)) => {
                    texts[id as usize] = Some(Checked {
                        name: q.text.name.clone(),
                        text: q.text.text.clone(),
                    })
                }
                None => self.unknown_text_source(&q.source_id),
            }
        }
        if texts.iter().all(Option::is_none) {
            return Ok(());
        }
        let quotables: Vec<Option<Quotable>> = texts
            .iter()
            .map(|t| t.as_ref().map(|c| Quotable::new(&c.text)))
            .collect();
        // Split into words at the first quote not found in it, once for all the others.
        let passages: Vec<OnceCell<Passages>> = texts.iter().map(|_| OnceCell::new()).collect();
        let files = self.files;
        // Shipped vocabularies, parsed after the files, declare relations only.
        for (file, p) in parsed.iter().enumerate().take(files.len()) {
            for record in p.facts(&files[file].text, 0) {
                let record = record?;
                let Some(&source) = self.declared.source_ids.get(&*record.value.source) else {
                    continue;
                };
                let (Some(checked), Some(quotable)) =
                    (&texts[source.0 as usize], &quotables[source.0 as usize])
                else {
                    continue;
                };
                let Err(miss) = quotable.check(&record.value.quote) else {
                    continue;
                };
                let place = self.field(file, &record, "quote");
                let source_id = &self.model.source(source).id;
                let d = Diagnostic::error(format!(
                    "quote not found in the text of source `{source_id}` ({})",
                    checked.name
                ))
                .label("not verbatim");
                let passages =
                    passages[source.0 as usize].get_or_init(|| Passages::new(&checked.text));
                self.report(place, |_| {
                    not_found_help(d, passages, quotable, &record.value.quote, miss)
                });
            }
        }
        Ok(())
    }

    fn unknown_text_source(&mut self, source_id: &str) {
        self.report(Place::Nowhere, |v| {
            let ids = v.model.sources.iter().map(|s| s.id.as_str());
            let d = Diagnostic::error(format!("--text names unknown source `{}`", clip(source_id)));
            match suggestion_text(&did_you_mean(source_id, ids)) {
                Some(s) => d.help(s),
                None => d,
            }
        });
    }
}

/// What a curator needs to fix a quote not found in `text`: the passage it shortens (and the
/// shortened quote the check takes), the passage it paraphrases, or why its elision fails.
fn not_found_help(
    d: Diagnostic,
    passages: &Passages,
    quotable: &Quotable,
    quote: &str,
    miss: Miss,
) -> Diagnostic {
    match miss {
        Miss::NotVerbatim => match passages.omitting(quote) {
            Some(o) => {
                let d = d.help(format!(
                    "the closest passage of the text is \"{}\"",
                    escape(&o.passage)
                ));
                let elided = o.elided();
                // The shortened quote is offered only as the check would take it.
                match quotable.check(&elided) {
                    Ok(_) => d.help(format!(
                        "the quote leaves out {}; the check takes the quote with `…` where {} stood: \"{}\"",
                        left_out(&o),
                        if o.words_left_out() == 1 { "it" } else { "they" },
                        escape(&elided)
                    )),
                    Err(_) => d.help(format!("the quote leaves out {}", left_out(&o))),
                }
            }
            None => match passages.closest(quote) {
                Some(passage) => d.help(format!(
                    "the closest passage of the text is \"{}\"",
                    escape(&passage)
                )),
                None => d.help("copy the clause exactly as the source writes it; whitespace and curly quotes are normalised"),
            },
        },
        Miss::PartMissing(part) => {
            let d = d.help(format!("\"{}\" is not in the text", escape(&clip(&part))));
            match passages.closest(&part) {
                Some(passage) => d.help(format!(
                    "the closest passage of the text to it is \"{}\"",
                    escape(&passage)
                )),
                None => d,
            }
        }
        Miss::CutsWord(part) => d.help(format!(
            "\"{}\" is in the text only inside a longer word; `…` stands for whole words left out",
            escape(&clip(&part))
        )),
        Miss::NothingLeftOut(before, after) => d.help(format!(
            "no word stands between \"{}\" and \"{}\" in the text: the `…` between them leaves nothing out; take it away",
            escape(&clip(&before)),
            escape(&clip(&after))
        )),
        Miss::NotInOneSentence => d.help(
            "each part is in the text, but not in this order within one sentence: `…` stands only for words left out between parts of one sentence",
        ),
    }
}

/// The words a quote leaves out, named when they are few, counted when not.
fn left_out(o: &Omission) -> String {
    let count = o.words_left_out();
    let words = if count == 1 { "word" } else { "words" };
    if count > 12 {
        return format!("{count} {words} of it");
    }
    let runs: Vec<String> = o
        .left_out
        .iter()
        .map(|r| format!("\"{}\"", escape(r)))
        .collect();
    format!("{count} {words} of it ({})", runs.join(", "))
}

/// A passage as it is written inside a RON string, ready to paste.
fn escape(passage: &str) -> String {
    passage.replace('\\', "\\\\").replace('"', "\\\"")
}
