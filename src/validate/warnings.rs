//! Curation warnings as the curator reads them: each at the spot it is about (the date, the quote,
//! the hedging word), with what to write instead and how to accept it.

use super::curation::{hedge, Warning, Warnings};
use super::Validator;
use crate::date::When;
use crate::diagnostic::{clip, Diagnostic, Place};
use crate::fact_file::fast::FactRef;
use crate::fact_file::Spanned;
use crate::model::Fact;

impl Validator<'_> {
    /// Reports the warnings of a fact the model took; a warning past the cap is only counted.
    pub(super) fn warn(
        &mut self,
        file: usize,
        record: &Spanned<FactRef<'_>>,
        fact: &Fact,
        warnings: Warnings,
    ) {
        for w in warnings.iter() {
            let place = self.warning_place(file, record, w);
            if self.warnings.keeps(&place) {
                let d = self.describe_warning(record, fact, w);
                self.warnings.push(place, d);
            } else {
                self.warnings.pass_over();
            }
        }
    }

    fn warning_place(&self, file: usize, record: &Spanned<FactRef<'_>>, w: Warning) -> Place {
        match w {
            Warning::OpenStart | Warning::AfterPublication => self.field(file, record, "when"),
            Warning::NamesNeither => self.field(file, record, "quote"),
            Warning::Hedged => self.hedge_place(file, record),
        }
    }

    /// The hedging word inside the quote; the whole quote if the file writes it with escapes,
    /// where offsets in the text and in the string differ.
    fn hedge_place(&self, file: usize, record: &Spanned<FactRef<'_>>) -> Place {
        let whole = self.field(file, record, "quote");
        let quote = &record.value.quote;
        let (Place::Bytes { bytes, .. }, Some(word)) = (&whole, hedge(quote, &mut Vec::new()))
        else {
            return whole;
        };
        let written = &self.files[file].text[bytes.clone()];
        if written.len() != quote.len() + 2 || &written[1..written.len() - 1] != quote.as_ref() {
            return whole;
        }
        let start = bytes.start + 1;
        Place::Bytes {
            file,
            bytes: start + word.start..start + word.end,
        }
    }

    fn describe_warning(
        &self,
        record: &Spanned<FactRef<'_>>,
        fact: &Fact,
        w: Warning,
    ) -> Diagnostic {
        let m = &self.model;
        let relation = m.relation(fact.relation);
        let when = fact.when.map(|w| w.to_string()).unwrap_or_default();
        let d = match w {
            Warning::OpenStart => {
                let (verb, state) = match (&relation.starts_state, &relation.ends_state) {
                    (Some(state), _) => ("starts", state.as_str()),
                    (None, Some(state)) => ("ends", state.as_str()),
                    (None, None) => ("changes", ""),
                };
                let end = match fact.when {
                    Some(When::Until(p)) => p.to_string(),
                    _ => when.clone(),
                };
                Diagnostic::warning(format!(
                    "state fact with no start: `{}` {verb} `{state}`, and `{when}` reaches back without limit",
                    relation.name
                ))
                .label(format!("stands at every date before {end}"))
                .help(format!(
                    "for what the source states in the present tense (\"holds\", \"now\"), write `as of {end}`; if the start is known, write a range `START..{end}`"
                ))
            }
            Warning::AfterPublication => {
                let source = m.source(fact.source);
                Diagnostic::warning(format!(
                    "fact dated after its source was published: `{when}` begins after `{}` ({})",
                    clip(&source.id),
                    source.published
                ))
                .label("after the source's publication")
                .help("check the date (a plan or forecast is not an event) or the source")
            }
            Warning::NamesNeither => Diagnostic::warning(format!(
                "quote names neither `{}` nor `{}`",
                clip(&m.entity(fact.subject).id),
                clip(&m.entity(fact.object).id)
            ))
            .label("no id, name, alias or word of a name of either")
            .help(
                "quote the words that state the fact, or add the name the source uses as an alias",
            ),
            Warning::Hedged => {
                let word = hedge(&record.value.quote, &mut Vec::new())
                    .map(|r| record.value.quote[r].to_string())
                    .unwrap_or_default();
                Diagnostic::warning(format!(
                    "hedged wording `{}` in a quote of `{}`, which states facts as done",
                    clip(&word),
                    relation.name
                ))
                .label("hedge")
                .help("if the source reports only a plan, claim or possibility, leave the fact out or use a relation about plans or claims, declared with `hedged: true`")
            }
        };
        d.help(format!(
            "if the fact is right as it stands, say why in it: `accept: [(\"{}\", \"REASON\")]`",
            w.name()
        ))
    }
}
