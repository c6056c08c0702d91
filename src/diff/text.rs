//! A diff as text for people: one section per kind of record, `+` added, `-` removed, `~` changed,
//! in the order of the lists (sorted), coloured only when asked to (a terminal).

use super::{
    CorpusDiff, FactRef, FieldChange, HeldDifferently, HolderRef, StateChange, TransitionRef,
};
use std::fmt::Write;

const ADDED: &str = "\x1b[32m";
const REMOVED: &str = "\x1b[31m";
const CHANGED: &str = "\x1b[33m";
const HEADING: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

struct Page {
    out: String,
    colour: bool,
}

impl Page {
    /// One line; control characters in names and quotes are shown escaped, never obeyed.
    fn line(&mut self, paint: &str, text: &str) {
        let text = crate::visible::visible(text);
        if self.colour && !paint.is_empty() {
            let _ = writeln!(self.out, "{paint}{text}{RESET}");
        } else {
            let _ = writeln!(self.out, "{text}");
        }
    }

    /// `Facts: 1 added, 2 removed`, or nothing when every count is zero.
    fn heading(&mut self, title: &str, counts: &[(usize, &str)]) -> bool {
        let parts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        if parts.is_empty() {
            return false;
        }
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.line(HEADING, &format!("{title}: {}", parts.join(", ")));
        true
    }
}

/// The whole page; `no differences` when there are none.
pub fn render(diff: &CorpusDiff, colour: bool) -> String {
    let mut page = Page {
        out: String::new(),
        colour,
    };
    facts(&mut page, diff);
    entities(&mut page, diff);
    sources(&mut page, diff);
    relations(&mut page, diff);
    states(&mut page, &diff.states);
    if !page.out.is_empty() {
        page.out.push('\n');
    }
    match diff.count() {
        0 => page.out.push_str("no differences\n"),
        1 => page.out.push_str("1 difference\n"),
        n => {
            let _ = writeln!(page.out, "{n} differences");
        }
    }
    page.out
}

fn facts(page: &mut Page, diff: &CorpusDiff) {
    let f = &diff.facts;
    let counts = [
        (f.added.len(), "added"),
        (f.removed.len(), "removed"),
        (f.changed.len(), "changed"),
    ];
    if !page.heading("Facts", &counts) {
        return;
    }
    for (mark, paint, list) in [('+', ADDED, &f.added), ('-', REMOVED, &f.removed)] {
        for fact in list {
            page.line(paint, &format!("  {mark} {}", statement(fact)));
            page.line("", &format!("      {}: {}", fact.at, quoted(&fact.quote)));
        }
    }
    for change in &f.changed {
        page.line(CHANGED, &format!("  ~ {}", statement(&change.fact)));
        let at = match change.old_at == change.fact.at {
            true => change.fact.at.clone(),
            false => format!("{} (was {})", change.fact.at, change.old_at),
        };
        page.line("", &format!("      {at}: {}", quoted(&change.fact.quote)));
        for field in &change.fields {
            page.line(CHANGED, &format!("      {}", field_change(field)));
        }
    }
}

/// `ISIL recaptured Tadmor  2016-12  [courier]`.
fn statement(f: &FactRef) -> String {
    let when = f
        .when
        .as_deref()
        .map(|w| format!("  {w}"))
        .unwrap_or_default();
    format!(
        "{} {} {}{when}  [{}]",
        f.subject.name, f.relation, f.object.name, f.source
    )
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

/// `when: 2017-03 -> 2017-03-02`; a missing value is `none`.
fn field_change(f: &FieldChange) -> String {
    let show = |v: &Option<String>| match (f.field.as_str(), v) {
        (_, None) => "none".to_string(),
        ("note", Some(v)) => quoted(v),
        (_, Some(v)) => v.clone(),
    };
    format!("{}: {} -> {}", f.field, show(&f.old), show(&f.new))
}

fn entities(page: &mut Page, diff: &CorpusDiff) {
    let e = &diff.entities;
    let counts = [
        (e.added.len(), "added"),
        (e.removed.len(), "removed"),
        (e.renamed.len(), "renamed"),
        (e.aliases.len(), "with other aliases"),
        (e.merged.len(), "merged"),
    ];
    if !page.heading("Entities", &counts) {
        return;
    }
    for (mark, paint, list) in [('+', ADDED, &e.added), ('-', REMOVED, &e.removed)] {
        for entity in list {
            page.line(paint, &format!("  {mark} {} ({})", entity.id, entity.name));
        }
    }
    for r in &e.renamed {
        page.line(
            CHANGED,
            &format!("  ~ {} renamed: {} -> {}", r.id, r.old, r.new),
        );
    }
    for a in &e.aliases {
        let words: Vec<String> = (a.added.iter().map(|w| format!("+\"{w}\"")))
            .chain(a.removed.iter().map(|w| format!("-\"{w}\"")))
            .collect();
        let line = format!(
            "  ~ {} ({}) aliases: {}",
            a.entity.id,
            a.entity.name,
            words.join(" ")
        );
        page.line(CHANGED, &line);
    }
    for m in &e.merged {
        let how = match (&m.same_as, &m.by) {
            (Some(at), _) => format!("same_as in {at}"),
            (None, Some(word)) => format!("by \"{word}\""),
            (None, None) => String::new(),
        };
        let line = format!(
            "  ~ {} ({}) merged into {} ({}), {how}",
            m.from.id, m.from.name, m.into.id, m.into.name
        );
        page.line(CHANGED, &line);
    }
}

fn sources(page: &mut Page, diff: &CorpusDiff) {
    let s = &diff.sources;
    let counts = [
        (s.added.len(), "added"),
        (s.removed.len(), "removed"),
        (s.changed.len(), "changed"),
    ];
    if !page.heading("Sources", &counts) {
        return;
    }
    for (mark, paint, list) in [('+', ADDED, &s.added), ('-', REMOVED, &s.removed)] {
        for source in list {
            let line = format!(
                "  {mark} {}: \"{}\" ({}, {})",
                source.id, source.title, source.publisher, source.published
            );
            page.line(paint, &line);
        }
    }
    for change in &s.changed {
        page.line(CHANGED, &format!("  ~ {}", change.id));
        for field in &change.fields {
            page.line(CHANGED, &format!("      {}", field_change(field)));
        }
    }
}

fn relations(page: &mut Page, diff: &CorpusDiff) {
    let r = &diff.relations;
    if !page.heading(
        "Relations",
        &[(r.added.len(), "added"), (r.removed.len(), "removed")],
    ) {
        return;
    }
    for (mark, paint, list) in [('+', ADDED, &r.added), ('-', REMOVED, &r.removed)] {
        for name in list {
            page.line(paint, &format!("  {mark} {name}"));
        }
    }
}

fn states(page: &mut Page, states: &[StateChange]) {
    let places = if states.len() == 1 { "place" } else { "places" };
    if !page.heading("States", &[(states.len(), places)]) {
        return;
    }
    for s in states {
        page.line("", &format!("  {} of {}:", s.state, s.place.name));
        for h in &s.held {
            page.line(CHANGED, &format!("    ~ {}", held(h)));
        }
        for (mark, paint, list) in [('-', REMOVED, &s.removed), ('+', ADDED, &s.added)] {
            for t in list {
                page.line(paint, &format!("    {mark} {}", transition(t)));
            }
        }
    }
}

/// `from 2016-12 until 2017-03: held by ISIL (old) -> by Syrian government (new)`. Not
/// `2016-12..2017-03`: the period ends where the next change begins (1 March), and the language
/// reads a range as lasting through its last date.
fn held(h: &HeldDifferently) -> String {
    let period = match (&h.from, &h.to) {
        (Some(from), Some(to)) => format!("from {from} until {to}"),
        (Some(from), None) => format!("since {from}"),
        (None, Some(to)) => format!("until {to}"),
        (None, None) => "always".to_string(),
    };
    format!(
        "{period}: {} (old) -> {} (new)",
        holding(&h.old),
        holding(&h.new)
    )
}

/// `held by ISIL`, `held by nobody`, or `holder unknown` where nothing earlier is known.
fn holding(h: &HolderRef) -> String {
    match (&h.id, h.name.as_str()) {
        (None, "unknown") => "holder unknown".to_string(),
        _ => format!("held by {}", h.name),
    }
}

/// `2016-12  Syrian government -> ISIL (recaptured)  file:line`.
fn transition(t: &TransitionRef) -> String {
    let when = t.when.as_deref().unwrap_or("undated");
    format!(
        "{when}  {} -> {} ({}, {})  {}",
        t.from.name, t.to.name, t.relation, t.source, t.at
    )
}
