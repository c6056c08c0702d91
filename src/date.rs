//! The small date grammar used inside facts and queries, parsed with nom.
//!
//! Curated news facts are rarely dated to the day, so every date keeps the precision it was written
//! with (`2017-08-13`, `2015-05`, `2014`, `late 2014`) and is compared through the interval of days it
//! covers. Ranges (`2015..2017-03`) and open ranges (`since 2015`, `until 2017-03`) build on points.
//! Dates as people write them mean the same: `6 August 2017`, `Aug 2017`, `2017-8-6`; they print
//! back in the ISO form.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while_m_n};
use nom::character::complete::{char, space1};
use nom::combinator::{all_consuming, opt};
use nom::sequence::preceded;
use nom::{IResult, Parser};
use std::fmt;

/// A day as a count of days since 1970-01-01; negative before it.
pub type Day = i32;

/// A third of a year, as journalists write it: `early 2017` (Jan-Apr), `mid 2016` (May-Aug),
/// `late 2014` (Sep-Dec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    Early,
    Mid,
    Late,
}

impl Part {
    fn months(self) -> (u8, u8) {
        match self {
            Part::Early => (1, 4),
            Part::Mid => (5, 8),
            Part::Late => (9, 12),
        }
    }
    fn word(self) -> &'static str {
        match self {
            Part::Early => "early",
            Part::Mid => "mid",
            Part::Late => "late",
        }
    }
}

/// One point in time at the precision it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePoint {
    Day { year: i32, month: u8, day: u8 },
    Month { year: i32, month: u8 },
    Part { year: i32, part: Part },
    Year { year: i32 },
}

impl DatePoint {
    /// The first day this point may denote.
    pub fn first_day(self) -> Day {
        match self {
            DatePoint::Day { year, month, day } => days_from_civil(year, month, day),
            DatePoint::Month { year, month } => days_from_civil(year, month, 1),
            DatePoint::Part { year, part } => days_from_civil(year, part.months().0, 1),
            DatePoint::Year { year } => days_from_civil(year, 1, 1),
        }
    }

    /// The last day this point may denote.
    pub fn last_day(self) -> Day {
        let (year, month) = match self {
            DatePoint::Day { .. } => return self.first_day(),
            DatePoint::Month { year, month } => (year, month),
            DatePoint::Part { year, part } => (year, part.months().1),
            DatePoint::Year { year } => (year, 12),
        };
        days_from_civil(year, month, days_in_month(year, month))
    }

    pub fn year(self) -> i32 {
        match self {
            DatePoint::Day { year, .. }
            | DatePoint::Month { year, .. }
            | DatePoint::Part { year, .. }
            | DatePoint::Year { year } => year,
        }
    }
}

impl fmt::Display for DatePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DatePoint::Day { year, month, day } => write!(f, "{year:04}-{month:02}-{day:02}"),
            DatePoint::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            DatePoint::Part { year, part } => write!(f, "{} {year:04}", part.word()),
            DatePoint::Year { year } => write!(f, "{year:04}"),
        }
    }
}

/// When a fact holds or happened: a point, a closed range, an open one, or a report of a state
/// (`as of`) or of a deadline (`by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    At(DatePoint),
    Range {
        from: DatePoint,
        to: DatePoint,
    },
    Since(DatePoint),
    Until(DatePoint),
    /// `as of DATE`: the statement was true on DATE; nothing is claimed before it, and after it the
    /// statement is only carried forward ("last reported DATE").
    AsOf(DatePoint),
    /// `by DATE`: it happened at some time no later than DATE.
    By(DatePoint),
}

/// How surely a fact stands in a time slice, or falls in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Certainty {
    /// Whatever day the date really denotes, the fact stands (falls inside).
    Certain,
    /// It stands for some of the days the date may denote, not for all.
    Possible,
    /// An `as of` statement read after its date, which it names: carried forward, not reported.
    LastReported(DatePoint),
}

impl Certainty {
    pub fn is_certain(self) -> bool {
        self == Certainty::Certain
    }
}

/// The days a `When` may cover, inclusive; open ends are `Day::MIN` / `Day::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub first: Day,
    pub last: Day,
}

impl Interval {
    /// Whether the two share a day: facts dated so may be about the same time.
    pub fn meets(self, other: Interval) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

impl When {
    pub fn interval(self) -> Interval {
        match self {
            When::At(p) => Interval {
                first: p.first_day(),
                last: p.last_day(),
            },
            When::Range { from, to } => Interval {
                first: from.first_day(),
                last: to.last_day(),
            },
            When::Since(p) => Interval {
                first: p.first_day(),
                last: Day::MAX,
            },
            When::Until(p) => Interval {
                first: Day::MIN,
                last: p.last_day(),
            },
            When::AsOf(p) => Interval {
                first: p.first_day(),
                last: p.last_day(),
            },
            When::By(p) => Interval {
                first: Day::MIN,
                last: p.last_day(),
            },
        }
    }

    /// Whether the date is an event's: a day or span in which something happened (a point, a
    /// range, `by`), not a report of how things stood (`as of`) or an open span.
    pub fn is_event(self) -> bool {
        matches!(self, When::At(_) | When::Range { .. } | When::By(_))
    }

    /// Whether the date states a span the fact lasts for (a range, `since`, `until`) rather than
    /// the day something happened or was reported.
    pub fn is_span(self) -> bool {
        matches!(self, When::Range { .. } | When::Since(_) | When::Until(_))
    }

    /// The days on which the fact surely stands, if any: for a span, the days every reading of
    /// its ends covers; for an event (a point, `by`), every day after it surely happened.
    fn certain_days(self) -> Option<Interval> {
        let days = match self {
            When::At(p) | When::By(p) => Interval {
                first: p.last_day(),
                last: Day::MAX,
            },
            When::Since(p) => Interval {
                first: p.last_day(),
                last: Day::MAX,
            },
            When::Until(p) => Interval {
                first: Day::MIN,
                last: p.first_day(),
            },
            When::Range { from, to } => Interval {
                first: from.last_day(),
                last: to.first_day(),
            },
            When::AsOf(p) => Interval {
                first: p.first_day(),
                last: p.last_day(),
            },
        };
        (days.first <= days.last).then_some(days)
    }

    /// Whether and how surely a fact dated `self` stands in the time slice `at` ("as things stood
    /// then"):
    /// - an event (a point, `by`) stands from the day it happened on; certainly once every day it
    ///   may denote is before the slice;
    /// - a span stands while it lasts; certainly if its surest reading covers the whole slice;
    /// - an `as of` statement stands on its date (certainly if the slice lies within it), is not
    ///   assumed before it, and after it is carried forward as last reported.
    pub fn at(self, at: Interval) -> Option<Certainty> {
        let may = self.interval();
        let begun = may.first <= at.last;
        let standing = match self {
            When::Range { .. } | When::Until(_) => begun && may.last >= at.first,
            When::AsOf(_) => begun,
            When::At(_) | When::By(_) | When::Since(_) => begun,
        };
        if !standing {
            return None;
        }
        if let When::AsOf(reported) = self {
            if at.first > may.last {
                return Some(Certainty::LastReported(reported));
            }
        }
        let covers = self
            .certain_days()
            .is_some_and(|d| d.first <= at.first && at.last <= d.last);
        Some(if covers {
            Certainty::Certain
        } else {
            Certainty::Possible
        })
    }

    /// Whether a fact dated `self` stands in the time slice `at`, however surely.
    pub fn stands_at(self, at: Interval) -> bool {
        self.at(at).is_some()
    }

    /// Whether and how surely a fact dated `self` falls in the period `period` ("what happened
    /// during it"): it may fall in it when the days it may denote meet the period, and certainly
    /// does when all those days lie inside the period. A span (and an `as of` statement, which
    /// stands over its whole date) also certainly falls in it when its surest reading meets it.
    pub fn during(self, period: Interval) -> Option<Certainty> {
        let may = self.interval();
        if may.first > period.last || may.last < period.first {
            return None;
        }
        let inside = period.first <= may.first && may.last <= period.last;
        let lasting = self.is_span() || matches!(self, When::AsOf(_));
        let certain = inside
            || (lasting
                && self
                    .certain_days()
                    .is_some_and(|d| d.first <= period.last && d.last >= period.first));
        Some(if certain {
            Certainty::Certain
        } else {
            Certainty::Possible
        })
    }

    /// The earliest day the fact may have started: the order in which state is replayed.
    pub fn sort_key(self) -> Day {
        self.interval().first
    }

    /// How exactly the date is known, as one word for programs and spreadsheets: `day`, `month`,
    /// `part` (early, mid or late in a year), `year`, `range`, `since`, `until`, `as-of` or `by`.
    /// Every form of
    /// date names its precision here, so a new form is added in this one place.
    pub fn precision(self) -> &'static str {
        match self {
            When::At(DatePoint::Day { .. }) => "day",
            When::At(DatePoint::Month { .. }) => "month",
            When::At(DatePoint::Part { .. }) => "part",
            When::At(DatePoint::Year { .. }) => "year",
            When::Range { .. } => "range",
            When::Since(_) => "since",
            When::Until(_) => "until",
            When::AsOf(_) => "as-of",
            When::By(_) => "by",
        }
    }

    /// The first and last ISO day the date may denote; `None` at an open end.
    pub fn iso_bounds(self) -> (Option<String>, Option<String>) {
        let span = self.interval();
        (iso_day(span.first), iso_day(span.last))
    }

    /// Where a date sorts in a timeline: by the earliest day it may denote when that is known,
    /// else (`until`, `by`) by its latest, so that `until 2014` sorts at the end of 2014 rather
    /// than before everything; ties by the latest day. Callers break the remaining ties by file
    /// order.
    pub fn timeline_key(self) -> (Day, Day) {
        let days = self.interval();
        let first = if days.first == Day::MIN {
            days.last
        } else {
            days.first
        };
        (first, days.last)
    }
}

impl When {
    /// The date as answers print it: a range whose ends are one date prints as that date, since
    /// `2017-08-06..2017-08-06` reads as an empty period. `Display` keeps the range, so that
    /// exports and fact files written from a date read back as the same date.
    pub fn shown(self) -> String {
        match self {
            When::Range { from, to } if from == to => from.to_string(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::At(p) => write!(f, "{p}"),
            When::Range { from, to } => write!(f, "{from}..{to}"),
            When::Since(p) => write!(f, "since {p}"),
            When::Until(p) => write!(f, "until {p}"),
            When::AsOf(p) => write!(f, "as of {p}"),
            When::By(p) => write!(f, "by {p}"),
        }
    }
}

/// Why a date did not parse: where (in characters from the start of the date text) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub char_offset: usize,
    pub message: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

const EXPECTED: &str = "expected a date such as `2017-08-13`, `6 August 2017`, `2015-05`, \
                        `May 2015`, `2014`, `late 2014`, `2015..2017-03`, `since 2015`, \
                        `until 2017-03`, `as of 2017-08-06` or `by 2017-08-03`";

/// Parses a whole date expression (`when` of a fact, `at` of a query).
pub fn parse_when(text: &str) -> Result<When, DateError> {
    let trimmed_start = text.len() - text.trim_start().len();
    let body = text.trim();
    let result = all_consuming(when).parse(body);
    let error_at = |rest: &str| {
        let byte = trimmed_start + body.len() - rest.len();
        text[..byte].chars().count()
    };
    match result {
        Ok((_, raw)) => raw.check().map_err(|(rest, message)| DateError {
            char_offset: error_at(rest_in(body, rest)),
            message,
        }),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(DateError {
            char_offset: error_at(e.input),
            message: if body.is_empty() {
                format!("empty date; {EXPECTED}")
            } else {
                EXPECTED.to_string()
            },
        }),
        Err(nom::Err::Incomplete(_)) => Err(DateError {
            char_offset: 0,
            message: EXPECTED.to_string(),
        }),
    }
}

/// Parses a single point (no ranges), for `from`/`to` in timelines.
pub fn parse_point(text: &str) -> Result<DatePoint, DateError> {
    match parse_when(text)? {
        When::At(p) => Ok(p),
        _ => Err(DateError {
            char_offset: 0,
            message: "expected a single date here, not a range".to_string(),
        }),
    }
}

// The grammar keeps the text of each point and of its month and day, so that semantic errors (day
// 30 of February) can point at the right place after parsing succeeds.
struct RawPoint<'a> {
    at: &'a str,
    year: i32,
    month: Option<(u8, &'a str)>,
    day: Option<(u8, &'a str)>,
    part: Option<Part>,
}

enum RawWhen<'a> {
    At(RawPoint<'a>),
    Range(RawPoint<'a>, RawPoint<'a>),
    Since(RawPoint<'a>),
    Until(RawPoint<'a>),
    AsOf(RawPoint<'a>),
    By(RawPoint<'a>),
}

fn rest_in<'a>(body: &'a str, rest: &'a str) -> &'a str {
    // `rest` always points inside `body`; this only guards the arithmetic in `error_at`.
    if rest.len() <= body.len() {
        rest
    } else {
        body
    }
}

impl RawPoint<'_> {
    fn check(&self) -> Result<DatePoint, (&str, String)> {
        let year = self.year;
        if let Some(part) = self.part {
            return Ok(DatePoint::Part { year, part });
        }
        let Some((month, month_at)) = self.month else {
            return Ok(DatePoint::Year { year });
        };
        if !(1..=12).contains(&month) {
            return Err((
                month_at,
                format!("month {month:02} does not exist; months run 01 to 12"),
            ));
        }
        let Some((day, day_at)) = self.day else {
            return Ok(DatePoint::Month { year, month });
        };
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err((
                day_at,
                format!(
                    "day {day:02} does not exist in {} {year} ({last} days)",
                    month_name_of(month)
                ),
            ));
        }
        Ok(DatePoint::Day { year, month, day })
    }
}

impl RawWhen<'_> {
    fn check(&self) -> Result<When, (&str, String)> {
        Ok(match self {
            RawWhen::At(p) => When::At(p.check()?),
            RawWhen::Since(p) => When::Since(p.check()?),
            RawWhen::Until(p) => When::Until(p.check()?),
            RawWhen::AsOf(p) => When::AsOf(p.check()?),
            RawWhen::By(p) => When::By(p.check()?),
            RawWhen::Range(a, b) => {
                let (from, to) = (a.check()?, b.check()?);
                if to.last_day() < from.first_day() {
                    return Err((
                        b.at,
                        format!("this range ends ({to}) before it starts ({from})"),
                    ));
                }
                When::Range { from, to }
            }
        })
    }
}

fn when(input: &str) -> IResult<&str, RawWhen<'_>> {
    alt((
        preceded((tag_no_case("since"), space1), point).map(RawWhen::Since),
        preceded((tag_no_case("until"), space1), point).map(RawWhen::Until),
        preceded(
            (tag_no_case("as"), space1, tag_no_case("of"), space1),
            point,
        )
        .map(RawWhen::AsOf),
        preceded((tag_no_case("by"), space1), point).map(RawWhen::By),
        (point, opt(preceded(tag(".."), point))).map(|(a, b)| match b {
            Some(b) => RawWhen::Range(a, b),
            None => RawWhen::At(a),
        }),
    ))
    .parse(input)
}

fn point(input: &str) -> IResult<&str, RawPoint<'_>> {
    alt((part_of_year, day_month_year, month_year, calendar)).parse(input)
}

fn part_of_year(input: &str) -> IResult<&str, RawPoint<'_>> {
    let word = alt((
        tag_no_case("early").map(|_| Part::Early),
        tag_no_case("mid").map(|_| Part::Mid),
        tag_no_case("late").map(|_| Part::Late),
    ));
    // `mid-2016` is how most news copy writes it.
    let (rest, (part, _, (_, year))) = (word, alt((space1, tag("-"))), year).parse(input)?;
    let point = RawPoint {
        at: input,
        year,
        month: None,
        day: None,
        part: Some(part),
    };
    Ok((rest, point))
}

/// `6 August 2017`, `6 Aug 2017`.
fn day_month_year(input: &str) -> IResult<&str, RawPoint<'_>> {
    let (rest, (day, _, month, _, (_, year))) =
        (one_or_two_digits, space1, month_name, space1, year).parse(input)?;
    let point = RawPoint {
        at: input,
        year,
        month: Some((month, input)),
        day: Some(day),
        part: None,
    };
    Ok((rest, point))
}

/// `August 2017`, `Aug 2017`, `Aug. 2017`.
fn month_year(input: &str) -> IResult<&str, RawPoint<'_>> {
    let (rest, (month, _, (_, year))) = (month_name, space1, year).parse(input)?;
    let point = RawPoint {
        at: input,
        year,
        month: Some((month, input)),
        day: None,
        part: None,
    };
    Ok((rest, point))
}

/// `2017-08-06`, and `2017-8-6` as people also write it.
fn calendar(input: &str) -> IResult<&str, RawPoint<'_>> {
    let (rest, ((_, year), month_day)) = (
        year,
        opt((
            preceded(char('-'), one_or_two_digits),
            opt(preceded(char('-'), one_or_two_digits)),
        )),
    )
        .parse(input)?;
    let (month, day) = match month_day {
        Some((m, d)) => (Some(m), d),
        None => (None, None),
    };
    let point = RawPoint {
        at: input,
        year,
        month,
        day,
        part: None,
    };
    Ok((rest, point))
}

fn year(input: &str) -> IResult<&str, (&str, i32)> {
    let (rest, digits) = take_while_m_n(4, 4, |c: char| c.is_ascii_digit()).parse(input)?;
    Ok((rest, (input, digits.parse().unwrap_or_default())))
}

/// A month or day number with the text it starts at.
fn one_or_two_digits(input: &str) -> IResult<&str, (u8, &str)> {
    let (rest, digits) = take_while_m_n(1, 2, |c: char| c.is_ascii_digit()).parse(input)?;
    Ok((rest, (digits.parse().unwrap_or_default(), input)))
}

/// An English month name or its abbreviation (`Sept` too, a dot allowed after one), in any case;
/// not the start of a longer word.
fn month_name(input: &str) -> IResult<&str, u8> {
    let full = (1..=12u8).find_map(|m| {
        let name = month_name_of(m);
        let (head, _) = input.split_at_checked(name.len())?;
        head.eq_ignore_ascii_case(name).then_some((m, name.len()))
    });
    let abbreviation = || {
        let (head, _) = input.split_at_checked(4)?;
        if head.eq_ignore_ascii_case("sept") {
            return Some((9, 4));
        }
        (1..=12u8).find_map(|m| {
            let (head, _) = input.split_at_checked(3)?;
            head.eq_ignore_ascii_case(&month_name_of(m)[..3])
                .then_some((m, 3))
        })
    };
    let no_match = || nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Tag));
    let (month, len) = full.or_else(abbreviation).ok_or_else(no_match)?;
    let mut rest = &input[len..];
    if len < month_name_of(month).len() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    if rest.starts_with(char::is_alphanumeric) {
        return Err(no_match());
    }
    Ok((rest, month))
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// Month names in English, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Weekday names in English, Monday first (as ISO 8601 numbers the days).
pub const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn month_name_of(month: u8) -> &'static str {
    MONTH_NAMES
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i32, month: u8, day: u8) -> Day {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i32::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i32::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count: the inverse of [`days_from_civil`] (Howard Hinnant's algorithm).
pub fn civil_from_days(day: Day) -> (i32, u8, u8) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m as u8, d as u8)
}

/// `YYYY-MM-DD` for a day, or `None` for the open ends of an interval.
pub fn iso_day(day: Day) -> Option<String> {
    if day == Day::MIN || day == Day::MAX {
        return None;
    }
    let (y, m, d) = civil_from_days(day);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> When {
        match parse_when(text) {
            Ok(w) => w,
            Err(e) => panic!("{text:?} failed: {e:?}"),
        }
    }

    #[test]
    fn every_form_parses_and_prints_back() {
        for text in [
            "2017-08-13",
            "2015-05",
            "2014",
            "late 2014",
            "early 2017",
            "mid 2016",
            "2015..2017-03",
            "late 2014..2015",
            "since 2015",
            "until 2017-03",
            "as of 2017-08-06",
            "by 2017-08-03",
            "as of late 2014",
        ] {
            assert_eq!(ok(text).to_string(), text);
        }
    }

    fn days(text: &str) -> Interval {
        ok(text).interval()
    }

    #[test]
    fn as_of_holds_on_its_date_is_not_assumed_before_and_is_carried_after() {
        let held = ok("as of 2017-08-06");
        assert_eq!(held.at(days("2017-08-06")), Some(Certainty::Certain));
        assert_eq!(held.at(days("2017-08-05")), None);
        assert_eq!(held.at(days("1990")), None);
        assert_eq!(held.at(days("2017-08")), Some(Certainty::Possible));
        let DatePoint::Day { .. } = (match held.at(days("2017-09")) {
            Some(Certainty::LastReported(p)) => p,
            other => panic!("{other:?}"),
        }) else {
            panic!("the day it was last reported")
        };
    }

    #[test]
    fn by_may_have_happened_any_time_before_and_surely_has_after() {
        let brokered = ok("by 2017-08-03");
        assert_eq!(brokered.at(days("2016")), Some(Certainty::Possible));
        assert_eq!(brokered.at(days("2017-08-04")), Some(Certainty::Certain));
        assert_eq!(brokered.during(days("2017")), Some(Certainty::Possible));
        assert_eq!(brokered.during(days("2018")), None);
    }

    #[test]
    fn spans_stand_while_they_last_and_events_from_when_they_happened() {
        let siege = ok("2015..2017-03");
        assert_eq!(siege.at(days("2016")), Some(Certainty::Certain));
        assert_eq!(siege.at(days("2015-06")), Some(Certainty::Possible));
        assert_eq!(siege.at(days("2017-04")), None);
        let captured = ok("2017-08-06");
        assert_eq!(captured.at(days("2017-08")), Some(Certainty::Possible));
        assert_eq!(captured.at(days("2017-09")), Some(Certainty::Certain));
        assert_eq!(captured.at(days("2017-07")), None);
        assert_eq!(captured.during(days("2017")), Some(Certainty::Certain));
        assert_eq!(
            ok("2017").during(days("2017-08")),
            Some(Certainty::Possible)
        );
        // A span certainly meets a period its surest reading reaches into.
        assert_eq!(siege.during(days("2016-05")), Some(Certainty::Certain));
        assert_eq!(
            ok("until 2014").during(days("2011")),
            Some(Certainty::Certain)
        );
        assert_eq!(ok("until 2014").during(days("2015")), None);
        // Every reading of these lies in the period, or stands over all of it.
        assert_eq!(
            ok("2017..2017-03").during(days("2017")),
            Some(Certainty::Certain)
        );
        assert_eq!(
            ok("as of 2017-08").during(days("2017-08-10..2017-08-12")),
            Some(Certainty::Certain)
        );
    }

    #[test]
    fn intervals_follow_precision() {
        let may = ok("2015-05").interval();
        assert_eq!(may.first, days_from_civil(2015, 5, 1));
        assert_eq!(may.last, days_from_civil(2015, 5, 31));
        let late = ok("late 2014").interval();
        assert_eq!(late.first, days_from_civil(2014, 9, 1));
        assert_eq!(late.last, days_from_civil(2014, 12, 31));
        assert_eq!(ok("since 2015").interval().last, Day::MAX);
        assert_eq!(
            ok("until 2017-03").interval().last,
            days_from_civil(2017, 3, 31)
        );
        assert_eq!(ok("2016-02").interval().last, days_from_civil(2016, 2, 29));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2017, 8, 6), (1899, 12, 31)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(iso_day(Day::MAX), None);
    }

    #[test]
    fn precision_and_bounds_read_as_a_spreadsheet_would() {
        let cases = [
            ("2017-08-06", "day", Some("2017-08-06"), Some("2017-08-06")),
            ("Aug 2016", "month", Some("2016-08-01"), Some("2016-08-31")),
            ("2016-02", "month", Some("2016-02-01"), Some("2016-02-29")),
            ("late 2014", "part", Some("2014-09-01"), Some("2014-12-31")),
            ("2015", "year", Some("2015-01-01"), Some("2015-12-31")),
            (
                "2015..2017-03",
                "range",
                Some("2015-01-01"),
                Some("2017-03-31"),
            ),
            ("since mid 2015", "since", Some("2015-05-01"), None),
            ("until 2017-08-06", "until", None, Some("2017-08-06")),
        ];
        for (text, precision, earliest, latest) in cases {
            let when = ok(text);
            assert_eq!(when.precision(), precision, "{text}");
            let (first, last) = when.iso_bounds();
            assert_eq!(first.as_deref(), earliest, "{text}");
            assert_eq!(last.as_deref(), latest, "{text}");
        }
    }

    #[test]
    fn impossible_dates_point_at_the_bad_part() {
        let e = parse_when("2017-02-30").unwrap_err();
        assert_eq!(e.char_offset, 8);
        assert!(
            e.message.contains("February 2017 (28 days)"),
            "{}",
            e.message
        );
        let e = parse_when("2017-13").unwrap_err();
        assert_eq!(e.char_offset, 5);
        let e = parse_when("late 2014..2013").unwrap_err();
        assert_eq!(e.char_offset, 11);
        assert!(e
            .message
            .contains("ends (2013) before it starts (late 2014)"));
    }

    #[test]
    fn dates_as_people_write_them_mean_the_iso_dates() {
        for (text, iso) in [
            ("6 August 2017", "2017-08-06"),
            ("06 aug 2017", "2017-08-06"),
            ("August 2017", "2017-08"),
            ("Aug 2017", "2017-08"),
            ("Aug. 2017", "2017-08"),
            ("sept 2016", "2016-09"),
            ("SEPTEMBER 2016", "2016-09"),
            ("May 2015", "2015-05"),
            ("2017-8-6", "2017-08-06"),
            ("2017-8", "2017-08"),
            ("Late 2014", "late 2014"),
            ("mid-2016", "mid 2016"),
            ("since late-2014", "since late 2014"),
            ("Since March 2015", "since 2015-03"),
            ("1 March 2017..6 Aug 2017", "2017-03-01..2017-08-06"),
        ] {
            assert_eq!(ok(text).to_string(), iso, "{text}");
        }
    }

    #[test]
    fn month_names_are_checked_like_numbers() {
        let e = parse_when("30 February 2017").unwrap_err();
        assert_eq!(e.char_offset, 0);
        assert!(
            e.message.contains("February 2017 (28 days)"),
            "{}",
            e.message
        );
        let e = parse_when("2017-8-32").unwrap_err();
        assert_eq!(e.char_offset, 7);
        // Not a month: the start of a longer word, or a misspelling.
        assert!(parse_when("Augusta 2017").is_err());
        assert!(parse_when("Agust 2017").is_err());
        assert!(parse_when("Aug 17").is_err());
    }

    #[test]
    fn malformed_text_reports_where_parsing_stopped() {
        assert_eq!(parse_when("2017-8-133").unwrap_err().char_offset, 9);
        assert_eq!(parse_when("sometime 2014").unwrap_err().char_offset, 0);
        assert_eq!(parse_when("since").unwrap_err().char_offset, 0);
        assert!(parse_when("")
            .unwrap_err()
            .message
            .starts_with("empty date"));
        assert_eq!(parse_when("2015..").unwrap_err().char_offset, 4);
    }
}
