//! `search` for people: each hit as its fact or entity, then the text it was found in with the
//! matched words in `[` `]` (text answers carry no colour, so marks work in pipes and files too).

use super::{chain_step, entity_label, plural, Page};
use crate::query::answer::Step;
use crate::query::eval::search::SearchHit;
use crate::render::search::{hit_text, marked};
use crate::render::when;
use crate::search_index::Text;

impl Page<'_> {
    pub(super) fn search(
        &mut self,
        text: &str,
        terms: &[String],
        hits: &[SearchHit],
        total: usize,
        truncated: Option<&str>,
    ) {
        let count = plural(total, "hit", "hits");
        let asked = crate::query::quoted_string(text);
        if total == 0 {
            self.out
                .line(format_args!("No hits for {asked}{}.", self.slice));
        } else {
            self.out.line(format_args!(
                "{count} for {asked}{}, best first:",
                self.slice
            ));
        }
        let rank_width = hits.len().to_string().len();
        for (i, hit) in hits.iter().enumerate() {
            let head = format!("  {:>rank_width$}. ", i + 1);
            let indent = " ".repeat(head.len() + 2);
            let about = format!("({}, score {})", hit.text.field().name(), hit.score_text());
            let found = marked(&hit_text(self.graph, hit.text), terms);
            match hit.text {
                Text::Quote(f) | Text::Note(f) => {
                    let step = chain_step(
                        self.graph,
                        Step {
                            fact: f,
                            backwards: false,
                        },
                    );
                    let date = when(self.graph, f);
                    let date = if date.is_empty() { date } else { date + "  " };
                    self.out.line(format_args!("{head}{step}  {date}{about}"));
                    let label = if hit.text.field() == crate::search_index::Field::Note {
                        "note: "
                    } else {
                        ""
                    };
                    let place = self.place(f);
                    self.out.hanging(
                        format_args!("{indent}{label}\"{found}\" ({place})"),
                        indent.len() + 1,
                    );
                }
                Text::Name(e) => {
                    let id = &self.graph.model.entity(e).id;
                    let label = entity_label(self.graph, e);
                    self.out.line(format_args!("{head}{label} {id}  {about}"));
                    self.out
                        .hanging(format_args!("{indent}{found}"), indent.len());
                }
            }
        }
        if hits.len() < total {
            self.out.line(format_args!(
                "note: the best {} of {total} shown; `limit N` shows more",
                hits.len()
            ));
        }
        self.truncated(truncated);
    }

    /// `The National, 2017-08-08, graphs/al-sukhna.ron:473`: where a fact was read and stated.
    fn place(&self, fact: crate::model::FactId) -> String {
        let model = &self.graph.model;
        let f = model.fact(fact);
        let source = model.source(f.source);
        let file = self
            .files
            .get(f.origin.file as usize)
            .or_else(|| model.files.get(f.origin.file as usize))
            .map_or("?", String::as_str);
        format!(
            "{}, {}, {file}:{}",
            source.publisher, source.published, f.origin.line
        )
    }
}
