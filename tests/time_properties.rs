#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

//! Properties of the interval logic of dates (`When::at`, `When::during`, `TimeScope::fact`),
//! checked against a brute force that reads every date form as the days it may denote and tries
//! them one day at a time, written without the interval arithmetic it checks.

use factgraph::date::{Certainty, DatePoint, Day, Interval, Part, When};
use factgraph::query::TimeScope;
use proptest::prelude::*;

/// Far enough before every generated date to stand for "no known start" in a reading.
fn window_start() -> Day {
    DatePoint::Year { year: 2014 }.first_day()
}

fn point() -> impl Strategy<Value = DatePoint> {
    let year = 2016..=2017i32;
    prop_oneof![
        (year.clone(), 1..=12u8, 1..=28u8).prop_map(|(year, month, day)| DatePoint::Day {
            year,
            month,
            day
        }),
        (year.clone(), 1..=12u8).prop_map(|(year, month)| DatePoint::Month { year, month }),
        (year.clone(), 0..3usize).prop_map(|(year, p)| DatePoint::Part {
            year,
            part: [Part::Early, Part::Mid, Part::Late][p]
        }),
        year.prop_map(|year| DatePoint::Year { year }),
    ]
}

/// Every date form, ranges only where they can be written (the end not before the start).
fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        point().prop_map(When::At),
        (point(), point())
            .prop_filter("a range ends after it starts", |(a, b)| {
                b.last_day() >= a.first_day()
            })
            .prop_map(|(from, to)| When::Range { from, to }),
        point().prop_map(When::Since),
        point().prop_map(When::Until),
        point().prop_map(When::AsOf),
        point().prop_map(When::By),
    ]
}

/// A slice one can walk day by day: a point or a closed range.
fn slice() -> impl Strategy<Value = When> {
    when().prop_filter("a bounded slice", |w| {
        matches!(w, When::At(_) | When::Range { .. })
    })
}

fn days(p: DatePoint) -> std::ops::RangeInclusive<Day> {
    p.first_day()..=p.last_day()
}

/// Every reading of a date: the days the fact lasts for, for each choice of the days its points
/// may denote. An event is the day it happened, a span the days from its start to its end, and an
/// `as of` statement the days of its date. Unknown starts are the window's start, unknown ends
/// `Day::MAX`.
fn readings(when: When) -> Vec<(Day, Day)> {
    match when {
        When::At(p) => days(p).map(|x| (x, x)).collect(),
        When::By(p) => (window_start()..=p.last_day()).map(|x| (x, x)).collect(),
        When::AsOf(p) => vec![(p.first_day(), p.last_day())],
        When::Since(p) => days(p).map(|s| (s, Day::MAX)).collect(),
        When::Until(p) => days(p).map(|e| (window_start(), e)).collect(),
        When::Range { from, to } => days(from)
            .flat_map(|s| days(to).filter(move |&e| e >= s).map(move |e| (s, e)))
            .collect(),
    }
}

/// Whether the fact stands on `day` in a reading: an event from the day it happened on, a span
/// while it lasts, an `as of` statement on its date (after it, only as carried forward).
fn stands_on(when: When, (start, end): (Day, Day), day: Day) -> bool {
    match when {
        When::At(_) | When::By(_) | When::Since(_) => start <= day,
        When::AsOf(_) | When::Until(_) | When::Range { .. } => start <= day && day <= end,
    }
}

/// How a fact stands at `slice` by brute force: possibly if on some day of it in some reading,
/// certainly if on every day in every reading; an `as of` statement whose date is all before the
/// slice is carried forward.
fn brute_at(when: When, slice: Interval) -> Option<Certainty> {
    let readings = readings(when);
    let slice_days = slice.first..=slice.last;
    let certain = slice_days
        .clone()
        .all(|d| readings.iter().all(|&r| stands_on(when, r, d)));
    let possible = slice_days
        .clone()
        .any(|d| readings.iter().any(|&r| stands_on(when, r, d)));
    if let When::AsOf(p) = when {
        if slice.first > p.last_day() {
            return Some(Certainty::LastReported(p));
        }
    }
    match (certain, possible) {
        (true, _) => Some(Certainty::Certain),
        (false, true) => Some(Certainty::Possible),
        (false, false) => None,
    }
}

/// Whether a reading's days meet the period, tried day by day over the period's known days.
fn meets(period: Interval, (start, end): (Day, Day)) -> bool {
    let first = period.first.max(start);
    let last = period.last.min(end);
    (first..=last).next().is_some()
}

/// How a fact falls in `period` by brute force: possibly if some reading meets it, certainly if
/// every reading does.
fn brute_during(when: When, period: Interval) -> Option<Certainty> {
    let readings = readings(when);
    if readings.iter().all(|&r| meets(period, r)) {
        Some(Certainty::Certain)
    } else if readings.iter().any(|&r| meets(period, r)) {
        Some(Certainty::Possible)
    } else {
        None
    }
}

fn published() -> When {
    When::At(DatePoint::Year { year: 2018 })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn certainly_standing_implies_possibly_standing(when in when(), at in slice()) {
        let at = at.interval();
        if when.at(at) == Some(Certainty::Certain) {
            prop_assert!(brute_at(when, at).is_some());
            prop_assert_eq!(brute_at(when, at), Some(Certainty::Certain));
        }
    }

    #[test]
    fn a_slice_holds_the_facts_that_stand_on_its_days(
        facts in prop::collection::vec(when(), 1..8),
        at in slice(),
    ) {
        let scope = TimeScope::at(Some(at));
        for when in facts {
            prop_assert_eq!(
                scope.fact(Some(when), published()),
                brute_at(when, at.interval()),
                "{} at {}", when, at
            );
        }
    }

    #[test]
    fn certainly_during_implies_possibly_during(when in when(), period in when()) {
        let period = period.interval();
        if when.during(period) == Some(Certainty::Certain) {
            prop_assert_eq!(brute_during(when, period), Some(Certainty::Certain));
        }
        prop_assert_eq!(when.during(period).is_some(), brute_during(when, period).is_some());
    }

    #[test]
    fn during_is_monotone_in_the_period(
        when in when(),
        period in slice(),
        before in 0..400i32,
        after in 0..400i32,
    ) {
        let narrow = period.interval();
        let wide = Interval { first: narrow.first - before, last: narrow.last + after };
        let (in_narrow, in_wide) = (when.during(narrow), when.during(wide));
        if in_narrow.is_some() {
            prop_assert!(in_wide.is_some(), "{} in {} but not a wider period", when, period);
        }
        if in_narrow == Some(Certainty::Certain) {
            prop_assert_eq!(in_wide, Some(Certainty::Certain), "{} in {}", when, period);
        }
    }
}
