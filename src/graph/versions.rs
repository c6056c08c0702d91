//! Versions of who held a place: where sources disagree about it, the replay's version and each
//! rival one with its source, so that `show`, `match` and `changes` never silently pick one.
//!
//! The replay merges every source. Three signs that a source would have told it differently,
//! each found here once for those answers and for `conflicts`:
//! - held already: a capture, dated as an event, by the side the replay says already holds the
//!   place (its source has the place taken only then);
//! - two holders: two sides reported holding the place `as of` the same days, or the side
//!   another source's capture displaced reported still holding it (`spells::read_report`);
//! - ended early: a capture ending a spell that another source, replayed alone, has lasting past
//!   the capture (a source that says nothing of that spell has no say on it).
//!
//! A rival version is the spell the disagreeing source's own facts replay to. Cost: O(k log k)
//! per source of a place with k state facts; nothing for a place with one source.

use super::conflict_kind::ConflictKind;
use super::spells::{began, replay, Rival, StateSpell};
use crate::date::When;
use crate::model::{FactId, Model, SourceId};

/// Captures by the side the replay already has holding the place: (its spell's start, the
/// capture), in replay order. A capture that may have begun on a day the spell may have begun is
/// the start told again by another source (two papers reporting the same recapture, or a hold
/// dated from the day of it), not a second capture.
pub(crate) fn held_again<'a>(
    model: &'a Model,
    spells: &'a [StateSpell],
) -> impl Iterator<Item = (FactId, FactId)> + 'a {
    spells.iter().flat_map(move |s| {
        let start = began_days(model, s.started_by);
        s.corroborated_by
            .iter()
            .filter(move |&&again| model.fact(again).when.is_some_and(When::is_event))
            .filter(move |&&again| match (start, began_days(model, again)) {
                (Some(a), Some(b)) => !a.meets(b),
                _ => true,
            })
            .map(move |&again| (s.started_by, again))
    })
}

/// The days on which what a fact states may have begun (`since 2015` began in 2015).
fn began_days(model: &Model, fact: FactId) -> Option<crate::date::Interval> {
    let when = model.fact(fact).when?;
    Some(began(when).interval())
}

/// Pairs of `as of` reports of different holders of one place on days that meet; `facts` are
/// the state facts about one place.
pub(crate) fn two_holders(model: &Model, facts: &[FactId]) -> Vec<(FactId, FactId)> {
    let reports: Vec<(FactId, &str)> = facts
        .iter()
        .filter_map(|&f| {
            let fact = model.fact(f);
            let state = model.relation(fact.relation).starts_state.as_deref()?;
            matches!(fact.when, Some(When::AsOf(_))).then_some((f, state))
        })
        .collect();
    let days = |f: FactId| model.fact(f).when.map(When::interval);
    let mut pairs = Vec::new();
    for (i, &(a, state_a)) in reports.iter().enumerate() {
        for &(b, state_b) in &reports[i + 1..] {
            let meet = match (days(a), days(b)) {
                (Some(x), Some(y)) => x.meets(y),
                _ => false,
            };
            if state_a == state_b && model.fact(a).subject != model.fact(b).subject && meet {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// Reports of another holder that the replay keeps beside a spell (`reported_otherwise`), each
/// with the change it disputes: the spell's latest fact dated as an event before the report, the
/// capture the report has not happened or undone. In replay order.
pub(crate) fn reported_otherwise<'a>(
    model: &'a Model,
    spells: &'a [StateSpell],
) -> impl Iterator<Item = (FactId, FactId)> + 'a {
    spells.iter().flat_map(move |s| {
        s.reported_otherwise.iter().map(move |&report| {
            // By days, not replay order: a report of the capture's own day is replayed after it.
            let days = |f: FactId| {
                model
                    .fact(f)
                    .when
                    .map(|w| (w.interval().first, w.interval().last))
            };
            let before = days(report);
            let change = std::iter::once(s.started_by)
                .chain(s.corroborated_by.iter().copied())
                .rfind(|&f| model.fact(f).when.is_some_and(When::is_event) && days(f) <= before)
                .unwrap_or(s.started_by);
            (change, report)
        })
    })
}

/// Every rival version of the replay of one place: `facts` in replay order, `spells` their
/// replay. A source disputes a spell at most once, by its most specific kind.
pub fn rivals(model: &Model, facts: &[FactId], spells: &[StateSpell]) -> Vec<Rival> {
    let mut out: Vec<Rival> = Vec::new();
    let mut push = |rival: Rival| {
        let same = |r: &Rival| r.disputed == rival.disputed && r.source == rival.source;
        if !out.iter().any(same) {
            out.push(rival);
        }
    };
    for rival in ended_early(model, facts, spells) {
        push(rival);
    }
    // The version the source of fact `by` gives, disputing fact `disputed`.
    let mut rival = |kind, disputed, by: FactId| {
        let source = model.fact(by).source;
        if let Some(version) = own_spell(model, facts, source, by) {
            push(Rival {
                kind,
                disputed,
                source,
                version,
            });
        }
    };
    for (started, again) in held_again(model, spells) {
        if model.fact(again).source != model.fact(started).source {
            rival(ConflictKind::HeldAlready, started, again);
        }
    }
    for (change, report) in reported_otherwise(model, spells) {
        rival(ConflictKind::TwoHolders, change, report);
    }
    for (a, b) in two_holders(model, facts) {
        rival(ConflictKind::TwoHolders, b, a);
    }
    out
}

/// Captures ending a spell that another of its sources, replayed alone, has lasting past them.
fn ended_early(model: &Model, facts: &[FactId], spells: &[StateSpell]) -> Vec<Rival> {
    let mut out = Vec::new();
    for spell in spells {
        let Some(end) = spell.ended_by else { continue };
        let capturer = model.fact(end).source;
        let captured_by = model
            .fact(end)
            .when
            .map_or(i32::MIN, |w| began(w).interval().last);
        let mut sources: Vec<SourceId> = std::iter::once(spell.started_by)
            .chain(spell.corroborated_by.iter().copied())
            .map(|f| model.fact(f).source)
            .filter(|&s| s != capturer)
            .collect();
        sources.sort();
        sources.dedup();
        for source in sources {
            let Some(version) = own_spell(model, facts, source, spell.started_by).or_else(|| {
                let f = spell.corroborated_by.iter().copied();
                f.filter(|&f| model.fact(f).source == source)
                    .find_map(|f| own_spell(model, facts, source, f))
            }) else {
                continue;
            };
            if held_surely_until(model, &version) > captured_by {
                out.push(Rival {
                    kind: ConflictKind::EndedEarly,
                    disputed: end,
                    source,
                    version,
                });
            }
        }
    }
    out
}

/// The spell containing `fact` when only `source`'s facts about the place are replayed.
fn own_spell(
    model: &Model,
    facts: &[FactId],
    source: SourceId,
    fact: FactId,
) -> Option<StateSpell> {
    let own: Vec<FactId> = facts
        .iter()
        .copied()
        .filter(|&f| model.fact(f).source == source)
        .collect();
    replay(model, &own)
        .into_iter()
        .find(|s| s.started_by == fact || s.corroborated_by.contains(&fact))
}

/// The last day on which a spell's facts surely have its holder holding the place: the earliest
/// day of the fact that ended it, or of its latest report (`since` runs to its source's
/// publication).
fn held_surely_until(model: &Model, spell: &StateSpell) -> i32 {
    let reported = std::iter::once(spell.started_by)
        .chain(spell.corroborated_by.iter().copied())
        .map(|f| {
            let fact = model.fact(f);
            match fact.when {
                Some(When::Since(_)) => model.source(fact.source).published.interval().first,
                Some(When::Range { to, .. }) => to.first_day(),
                Some(w) => w.interval().first,
                None => i32::MIN,
            }
        });
    let ended = spell
        .ended_by
        .and_then(|f| model.fact(f).when)
        .map(|w| w.interval().first);
    reported.chain(ended).max().unwrap_or(i32::MIN)
}

/// Hands each spell the rivals that dispute its start or a report of it, and marks the spells
/// whose end a rival disputes.
pub fn attach(spells: &mut [StateSpell], rivals: &[Rival]) {
    for spell in spells {
        let disputes = |r: &&Rival| {
            r.disputed == spell.started_by || spell.corroborated_by.contains(&r.disputed)
        };
        spell.rivals = rivals.iter().filter(disputes).cloned().collect();
        spell.end_contested = spell
            .ended_by
            .is_some_and(|e| rivals.iter().any(|r| r.disputed == e));
    }
}
