//! Curation checks: a valid fact that probably says more or other than its source. They are
//! warnings, not errors (`check --deny-warnings` makes them errors), and a fact can accept one with
//! a reason (`accept: [("hedged", "...")]`). Written once, for both fact drivers; each costs a
//! look at the fact's date and one pass over its quote.

use super::rules::FactRules;
use crate::date::{Day, When};
use crate::model::{Entity, EntityId, Fact};
use std::ops::Range;

/// One kind of curation warning, by the name a fact's `accept` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warning {
    /// A fact that starts or ends a state, dated `until X`: the state reaches back without limit.
    OpenStart,
    /// A fact that begins after its source was published.
    AfterPublication,
    /// A quote with no name, alias or significant word of a name of either end of the fact.
    NamesNeither,
    /// Hedged wording ("could", "plans to") quoted for a relation that states things as done.
    Hedged,
}

impl Warning {
    pub const ALL: [Warning; 4] = [
        Warning::OpenStart,
        Warning::AfterPublication,
        Warning::NamesNeither,
        Warning::Hedged,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Warning::OpenStart => "open_start",
            Warning::AfterPublication => "after_publication",
            Warning::NamesNeither => "names_neither",
            Warning::Hedged => "hedged",
        }
    }

    pub fn parse(name: &str) -> Option<Warning> {
        Warning::ALL.into_iter().find(|w| w.name() == name)
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of warnings, one bit each, so that a checked fact carries its warnings for free.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Warnings(u8);

impl Warnings {
    pub fn insert(&mut self, w: Warning) {
        self.0 |= w.bit();
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Warning> {
        Warning::ALL
            .into_iter()
            .filter(move |w| self.0 & w.bit() != 0)
    }
}

/// Buffers reused from fact to fact, so that the checks allocate nothing per fact.
#[derive(Default)]
pub(super) struct Scratch {
    quote: String,
    name: String,
    words: Vec<Range<usize>>,
}

impl FactRules<'_> {
    /// The warnings a fact that meets every rule deserves and does not accept. The drivers call
    /// it once a fact is checked (the parallel one for a chunk at a time). Its cost on a large
    /// graph is reading the two entities' names: a cache miss each.
    pub(super) fn warnings(
        &self,
        fact: &Fact,
        accepted: Warnings,
        quote: &str,
        scratch: &mut Scratch,
    ) -> Warnings {
        let mut found = self.found(fact, quote, scratch);
        found.0 &= !accepted.0;
        found
    }

    fn found(&self, fact: &Fact, quote: &str, scratch: &mut Scratch) -> Warnings {
        let relation = &self.relations[fact.relation.index()];
        let mut found = Warnings::default();
        let is_state = relation.starts_state.is_some() || relation.ends_state.is_some();
        if is_state && matches!(fact.when, Some(When::Until(_))) {
            found.insert(Warning::OpenStart);
        }
        let published = self.sources[fact.source.index()].published;
        if fact.when.is_some_and(|w| after_publication(w, published)) {
            found.insert(Warning::AfterPublication);
        }
        // Imported facts have no quote: there is nothing to judge.
        if quote.trim().is_empty() {
            return found;
        }
        if !relation.hedged && hedge(quote, &mut scratch.words).is_some() {
            found.insert(Warning::Hedged);
        }
        // Most quotes write a name as it is declared: found without folding anything, and
        // mostly without reading the entities (on a large graph each entity read is a cache
        // miss, and its name on the heap another; the name table is one small block).
        let name = |e: EntityId| match self.names {
            Some(table) => table.name(e),
            None => &self.entities[e.index()].name,
        };
        if occurs(quote, name(fact.subject)) || occurs(quote, name(fact.object)) {
            return found;
        }
        let (subject, object) = (
            &self.entities[fact.subject.index()],
            &self.entities[fact.object.index()],
        );
        if names(subject).any(|n| occurs(quote, n)) || names(object).any(|n| occurs(quote, n)) {
            return found;
        }
        fold(quote, &mut scratch.quote);
        if !named(&scratch.quote, subject, &mut scratch.name)
            && !named(&scratch.quote, object, &mut scratch.name)
        {
            found.insert(Warning::NamesNeither);
        }
        found
    }
}

/// Every entity's name, end to end in one string: the curation checks of a large file read a
/// name per fact, and this block stays in cache where the entities' records and their names'
/// heap allocations, scattered over many megabytes, do not.
pub(super) struct NameTable {
    text: String,
    /// Where each entity's name ends in `text`, by entity index.
    ends: Vec<u32>,
}

impl NameTable {
    /// `None` if the names do not fit offsets of 32 bits; the checks then read the entities.
    pub(super) fn new(entities: &[Entity]) -> Option<NameTable> {
        let mut table = NameTable {
            text: String::with_capacity(entities.iter().map(|e| e.name.len()).sum()),
            ends: Vec::with_capacity(entities.len()),
        };
        for e in entities {
            table.text.push_str(&e.name);
            table.ends.push(u32::try_from(table.text.len()).ok()?);
        }
        Some(table)
    }

    fn name(&self, e: EntityId) -> &str {
        let i = e.index();
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        &self.text[start..self.ends[i] as usize]
    }
}

/// An entity's name, id, aliases and shared names, in the order a quote most often uses them.
fn names(entity: &Entity) -> impl Iterator<Item = &str> {
    std::iter::once(entity.name.as_str())
        .chain(std::iter::once(entity.id.as_str()))
        .chain(entity.aliases().iter().map(String::as_str))
        .chain(entity.shared_names().iter().map(String::as_str))
}

/// Whether `name` occurs in `quote` exactly as written, as whole words.
fn occurs(quote: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    // Quotes are short: finding the first byte and comparing costs less than building a finder.
    let (bytes, wanted) = (quote.as_bytes(), name.as_bytes());
    memchr::memchr_iter(wanted[0], bytes).any(|at| {
        bytes[at..].starts_with(wanted) && {
            let before = quote[..at].chars().next_back();
            let after = quote[at + name.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        }
    })
}

/// Whether a fact dated `when` certainly begins after the last day `published` may denote.
pub(crate) fn after_publication(when: When, published: When) -> bool {
    let last = published.interval().last;
    last != Day::MAX && when.interval().first > last
}

/// Words too common to show that a quote is about an entity: "al" in "Al Sukhna", "the" in "the
/// Syrian government". Words under three letters never count on their own either.
const STOP_WORDS: [&str; 12] = [
    "the", "and", "for", "with", "from", "its", "into", "over", "near", "between", "der", "del",
];

fn significant(word: &str) -> bool {
    word.chars().nth(2).is_some() && !STOP_WORDS.contains(&word)
}

/// Whether `quote` (folded) names `entity`: contains its id, name, an alias or a shared name as
/// whole words, or a word that starts with a significant word of one ("Russian" names Russia,
/// "government" names the Syrian government).
fn named(quote: &str, entity: &Entity, name: &mut String) -> bool {
    for text in names(entity) {
        fold(text, name);
        if name.len() > 2 && quote.contains(name.as_str()) {
            return true;
        }
        // Each word with the space before it: a word of the quote must start with it.
        let mut start = 0;
        while let Some(end) = name[start + 1..].find(' ').map(|i| start + 1 + i) {
            let word = &name[start + 1..end];
            if significant(word) && quote.contains(&name[start..end]) {
                return true;
            }
            start = end;
        }
    }
    false
}

/// `text` as names are compared: lowercase, common Latin diacritics and transliteration marks
/// dropped ("Ḥimṣ" reads "hims"), every run of other characters one space, with a space at both
/// ends so that whole words can be found with `contains`.
fn fold(text: &str, out: &mut String) {
    out.clear();
    out.push(' ');
    for c in text.chars() {
        if matches!(c, 'ʿ' | 'ʾ' | 'ʼ') {
            continue;
        }
        if !c.is_alphanumeric() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase().map(crate::spelling::plain_letter));
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Words that hedge on their own.
const HEDGES: [&str; 7] = [
    "could",
    "may",
    "might",
    "would",
    "will",
    "reportedly",
    "allegedly",
];

/// Words that hedge when `to` follows: "is expected to", "plans to".
const HEDGES_BEFORE_TO: [&str; 10] = [
    "expected", "expects", "plans", "plan", "planned", "planning", "intends", "intended", "likely",
    "aims",
];

/// Words before "May" that make it the month: "in May", "since May", "early May".
const BEFORE_MONTH: [&str; 14] = [
    "in", "of", "on", "since", "until", "by", "from", "early", "mid", "late", "last", "next",
    "this", "between",
];

/// Words before "will" that make it a noun: "the will of the people".
const BEFORE_NOUN_WILL: [&str; 8] = [
    "the",
    "a",
    "free",
    "good",
    "ill",
    "political",
    "their",
    "its",
];

/// The first hedge in `quote`, as a byte range of it: "could", "may", "might", "would", "will",
/// "reportedly", "allegedly", or "expected to", "plans to" and their kin. "could not" states an
/// inability, not a possibility; "May" next to a number or after "in" is the month.
pub(super) fn hedge(quote: &str, words: &mut Vec<Range<usize>>) -> Option<Range<usize>> {
    words.clear();
    // Words are split at ASCII punctuation and spaces only, byte by byte: the hedges are ASCII,
    // and the ranges stay on character boundaries.
    let mut start = None;
    for (i, &b) in quote.as_bytes().iter().enumerate() {
        match (b.is_ascii_alphanumeric() || b >= 0x80, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(s..quote.len());
    }
    let word = |k: usize| words.get(k).map(|r| &quote[r.clone()]);
    let is = |k: usize, options: &[&str]| {
        word(k).is_some_and(|w| options.iter().any(|o| w.eq_ignore_ascii_case(o)))
    };
    let numeric = |k: usize| word(k).is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    for k in 0..words.len() {
        let previous = k.checked_sub(1);
        let hedged = match word(k) {
            Some(_) if is(k + 1, &["to"]) && is(k, &HEDGES_BEFORE_TO) => {
                return Some(words[k].start..words[k + 1].end);
            }
            Some(w) if !HEDGES.iter().any(|h| w.eq_ignore_ascii_case(h)) => false,
            Some("May") => {
                let month =
                    numeric(k + 1) || previous.is_some_and(|p| numeric(p) || is(p, &BEFORE_MONTH));
                !month
            }
            Some(w) if w.eq_ignore_ascii_case("could") => !is(k + 1, &["not"]),
            Some(w) if w.eq_ignore_ascii_case("will") => {
                !previous.is_some_and(|p| is(p, &BEFORE_NOUN_WILL))
            }
            Some(_) => true,
            None => false,
        };
        if hedged {
            return Some(words[k].clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Origin};

    fn hedge_word(quote: &str) -> Option<&str> {
        hedge(quote, &mut Vec::new()).map(|r| &quote[r])
    }

    #[test]
    fn hedges_are_found_and_look_alikes_are_not() {
        assert_eq!(
            hedge_word("a meeting could be held in October"),
            Some("could")
        );
        assert_eq!(
            hedge_word("Russia is expected to broker it"),
            Some("expected to")
        );
        assert_eq!(hedge_word("He said it will fight ISIL"), Some("will"));
        assert_eq!(hedge_word("They may withdraw"), Some("may"));
        assert_eq!(hedge_word("May Russia withdraw?"), Some("May"));
        assert_eq!(hedge_word("in May 2015 overran Tadmor"), None);
        assert_eq!(hedge_word("on 3 May the town fell"), None);
        assert_eq!(hedge_word("Col Dillon could not specify"), None);
        assert_eq!(hedge_word("against the will of the people"), None);
        assert_eq!(hedge_word("the plans were made"), None);
        assert_eq!(hedge_word(""), None);
    }

    fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
        let origin = Origin { file: 0, line: 1 };
        Entity::new(id.into(), name.into(), Kind::Actor, origin).with_details(
            aliases.iter().map(|a| a.to_string()).collect(),
            Vec::new(),
            Default::default(),
        )
    }

    fn names(quote: &str, e: &Entity) -> bool {
        let mut folded = String::new();
        fold(quote, &mut folded);
        named(&folded, e, &mut String::new())
    }

    #[test]
    fn a_quote_names_an_entity_by_any_name_or_significant_word() {
        let government = entity("syrian_government", "Syrian government", &[]);
        assert!(names("government forces advanced", &government));
        assert!(names("the Syrian army", &government));
        assert!(!names("the army advanced", &government));
        let sukhna = entity("al_sukhna", "Al Sukhna", &["Sukhnah"]);
        assert!(!names("al-Qaeda fighters left", &sukhna), "`al` is no name");
        assert!(names("the town of Sukhnah", &sukhna));
        assert!(names("AL SUKHNA fell", &sukhna));
        let homs = entity("homs", "Ḥimṣ", &[]);
        assert!(names("fighting in Hims", &homs), "diacritics are ignored");
        assert!(names("fighting in homs", &homs), "so is the id");
        let russia = entity("russia", "Russia", &[]);
        assert!(names("a Russian-brokered ceasefire", &russia));
        let us = entity("us", "United States", &["US"]);
        assert!(names("US forces", &us), "a short alias counts whole");
        assert!(!names("the status quo", &us));
    }

    #[test]
    fn only_a_date_certainly_after_publication_is_after_it() {
        let parse = |t: &str| crate::date::parse_when(t).unwrap();
        let published = parse("2017-08-06");
        assert!(after_publication(parse("2017-10"), published));
        assert!(after_publication(parse("as of 2017-08-07"), published));
        assert!(!after_publication(parse("2017-08"), published));
        assert!(!after_publication(parse("2017"), published));
        assert!(!after_publication(parse("until 2018"), published));
        assert!(!after_publication(parse("2017-10"), parse("since 2017")));
    }
}
