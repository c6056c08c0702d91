//! What a date that did not parse was probably meant to be, as people write dates in notes
//! (`13/08/2017`, `August 13, 2017`, `mid-August 2017`, `on Tuesday`), so its error can say how to
//! write it.

use crate::date::{
    civil_from_days, days_in_month, iso_day, parse_when, Interval, When, MONTH_NAMES, WEEKDAY_NAMES,
};

/// What a date was probably meant to be.
enum Guess {
    /// One date that parses, and what it was counted from (empty, or `: ...`).
    Date(String, String),
    /// No one date: what to do instead.
    Say(String),
}

/// A help line for `text`, which did not parse as a date, or `None` when it looks like no form
/// we know. `published` is the publication date of the fact's source, when there is one: a
/// weekday or a date without its year counts back from it, as the article's reader does.
/// Every date the help offers parses.
pub fn hint(text: &str, published: Option<When>) -> Option<String> {
    let text = text.trim();
    let guess = prefixed(text, published.map(When::interval))
        .or_else(|| plain(text, published.map(When::interval)))?;
    Some(match guess {
        Guess::Date(date, why) => format!("write it `{date}`{why}"),
        Guess::Say(say) => say,
    })
}

/// `since August 13`, `by 13 Aug`, `as of August 20, 2017`: the word kept, the date mended.
fn prefixed(text: &str, published: Option<Interval>) -> Option<Guess> {
    let lower = text.to_lowercase();
    let word = ["since ", "until ", "by ", "as of "]
        .into_iter()
        .find(|w| lower.starts_with(w))?;
    let rest = text.get(word.len()..)?.trim();
    match plain(rest, published)? {
        Guess::Date(date, why) => {
            let date = format!("{}{date}", &lower[..word.len()]);
            parse_when(&date).is_ok().then_some(Guess::Date(date, why))
        }
        say => Some(say),
    }
}

/// The guess for a date with no `since`, `until`, `by` or `as of` before it.
fn plain(text: &str, published: Option<Interval>) -> Option<Guess> {
    let lower = text.to_lowercase();
    let date = |d: Option<String>| {
        d.filter(|d| parse_when(d).is_ok())
            .map(|d| Guess::Date(d, String::new()))
    };
    let said = |s: Option<String>| s.map(Guess::Say);
    let in_year = ["in ", "on "]
        .iter()
        .find_map(|w| text.get(w.len()..).filter(|_| lower.starts_with(w)))
        .filter(|rest| parse_when(rest).is_ok())
        .map(str::to_string);
    date(in_year)
        .or_else(|| approximate(text))
        .or_else(|| season(&lower))
        .or_else(|| date(quarter(&lower)))
        .or_else(|| date(decade(&lower)))
        .or_else(|| date(iso_week(&lower)))
        .or_else(|| date(part_of_year_said(&lower)))
        .or_else(|| date(years_apart(&lower)))
        .or_else(|| date(days_apart(text)))
        .or_else(|| numeric(text))
        .or_else(|| said(part_of_month(text)))
        .or_else(|| date(written_out(text)))
        .or_else(|| weekday(&lower, published))
        .or_else(|| without_year(text, published))
        .or_else(|| comparison(text))
}

fn number(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u16> {
    (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `13/08/2017`, `8.6.2017`, `08/2017`, `2017/08/13`: numbers with `/` or `.` between them.
fn numeric(text: &str) -> Option<Guess> {
    let parts: Vec<&str> = text.split(['/', '.']).collect();
    let year_first = parts.first().and_then(|p| number(p, 4..=4));
    let date = |d: String| {
        parse_when(&d)
            .is_ok()
            .then(|| Guess::Date(d, String::new()))
    };
    match (parts.as_slice(), year_first) {
        ([_, m, d], Some(y)) => date(format!(
            "{y}-{:02}-{:02}",
            number(m, 1..=2)?,
            number(d, 1..=2)?
        )),
        ([m, y], None) => date(format!("{}-{:02}", number(y, 4..=4)?, number(m, 1..=2)?)),
        ([a, b, y], None) => {
            let (a, b, y) = (number(a, 1..=2)?, number(b, 1..=2)?, number(y, 4..=4)?);
            match (a > 12, b > 12) {
                (true, false) => date(format!("{y}-{b:02}-{a:02}")),
                (false, true) => date(format!("{y}-{a:02}-{b:02}")),
                (false, false) if a == b => date(format!("{y}-{a:02}-{a:02}")),
                (false, false) => {
                    let day_first = format!("{y}-{b:02}-{a:02}");
                    let month_first = format!("{y}-{a:02}-{b:02}");
                    (parse_when(&day_first).is_ok() && parse_when(&month_first).is_ok()).then(|| {
                        Guess::Say(format!(
                            "`{text}` may be day/month or month/day: write `{day_first}` or `{month_first}` (year-month-day)"
                        ))
                    })
                }
                (true, true) => None,
            }
        }
        _ => None,
    }
}

fn month(word: &str) -> Option<u8> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    (1..=12u8).find(|&m| {
        let name = MONTH_NAMES[usize::from(m) - 1].to_lowercase();
        name == word || (name.starts_with(&word) && word.len() <= 4)
    })
}

/// `end of 2014`, `beginning of 2017`: the thirds of a year that factgraph names.
fn part_of_year_said(lower: &str) -> Option<String> {
    let (part, year) = [
        ("end of ", "late"),
        ("start of ", "early"),
        ("beginning of ", "early"),
    ]
    .iter()
    .find_map(|(w, part)| Some((part, lower.strip_prefix(w)?)))?;
    Some(format!("{part} {}", number(year.trim(), 4..=4)?))
}

/// `around 2015`, `c. 2015`: a date keeps the precision it is written with, so the year already
/// says "some day of 2015"; how sure the source is belongs in a fact's note (the same help serves
/// a query, which has none).
fn approximate(text: &str) -> Option<Guess> {
    let lower = text.to_lowercase();
    let word = [
        "around ",
        "about ",
        "approximately ",
        "roughly ",
        "circa ",
        "ca. ",
        "c. ",
        "c.",
    ]
    .into_iter()
    .find(|w| lower.starts_with(w))?;
    let rest = text.get(word.len()..)?.trim();
    parse_when(rest).ok()?;
    Some(Guess::Say(format!(
        "write `{rest}`: a date keeps the precision it is written with (`{rest}` is some day of \
         it); a fact's `note` can say `{}`",
        word.trim()
    )))
}

/// `summer 2017`: the months of a season (the northern hemisphere's, which the help says). A
/// winter spans two years, so both readings are offered.
fn season(lower: &str) -> Option<Guess> {
    let [name, year] = words(lower)[..] else {
        return None;
    };
    let year = i32::from(number(year, 4..=4)?);
    let (first, last) = match name {
        "spring" => (3, 5),
        "summer" => (6, 8),
        "autumn" | "fall" => (9, 11),
        "winter" => {
            let ranges = [year - 1, year].map(|y| format!("{y}-12..{}-02", y + 1));
            return ranges.iter().all(|r| parse_when(r).is_ok()).then(|| {
                Guess::Say(format!(
                    "`{lower}` may be either winter: write `{}` or `{}`",
                    ranges[0], ranges[1]
                ))
            });
        }
        _ => return None,
    };
    let range = format!("{year}-{first:02}..{year}-{last:02}");
    parse_when(&range).is_ok().then(|| {
        let why = format!(": the months of the northern {name}");
        Guess::Date(range, why)
    })
}

/// `Q3 2017`, `2017 Q3`, `2017-Q3`: a quarter's three months.
fn quarter(lower: &str) -> Option<String> {
    let spaced = lower.replace('-', " ");
    let (q, year) = match words(&spaced)[..] {
        [q, y] if q.starts_with('q') => (q, y),
        [y, q] if q.starts_with('q') => (q, y),
        _ => return None,
    };
    let q = number(q.get(1..)?, 1..=1).filter(|q| (1..=4).contains(q))?;
    let year = number(year, 4..=4)?;
    Some(format!("{year}-{:02}..{year}-{:02}", 3 * q - 2, 3 * q))
}

/// `2010s`, `the 2010s`: a decade's years.
fn decade(lower: &str) -> Option<String> {
    let text = lower.strip_prefix("the ").unwrap_or(lower);
    let digits = text.strip_suffix("'s").or_else(|| text.strip_suffix('s'))?;
    let year = number(digits, 4..=4).filter(|y| y % 10 == 0)?;
    Some(format!("{year}..{}", year + 9))
}

/// `2017-W33`: an ISO 8601 week, Monday to Sunday.
fn iso_week(lower: &str) -> Option<String> {
    let (year, week) = lower.split_once("-w")?;
    let (year, week) = (i32::from(number(year, 4..=4)?), number(week, 1..=2)?);
    // Week 1 holds 4 January; day 0 (1970-01-01) was a Thursday, weekday 3 counting from Monday.
    let jan4 = crate::date::days_from_civil(year, 1, 4);
    let monday = jan4 - (jan4 + 3).rem_euclid(7) + 7 * (i32::from(week) - 1);
    // A week is its Thursday's year's: 2017 has no week 53, 2015 does.
    let (thursday_year, _, _) = civil_from_days(monday + 3);
    ((1..=53).contains(&week) && thursday_year == year)
        .then(|| Some(format!("{}..{}", iso_day(monday)?, iso_day(monday + 6)?)))
        .flatten()
}

/// `early August 2017`, `mid-August 2017`: `early`, `mid` and `late` qualify a year only, so
/// offer the month's days.
fn part_of_month(text: &str) -> Option<String> {
    let text = text.replacen('-', " ", 1);
    let words: Vec<&str> = text.split_whitespace().collect();
    let [part, m, y] = words.as_slice() else {
        return None;
    };
    let (m, y) = (month(m)?, number(y, 4..=4)?);
    let last = days_in_month(i32::from(y), m);
    let (first, last) = match part.to_lowercase().as_str() {
        "early" => (1, 10),
        "mid" => (11, 20),
        "late" => (21, last),
        _ => return None,
    };
    let range = format!("{y}-{m:02}-{first:02}..{y}-{m:02}-{last:02}");
    parse_when(&range).is_ok().then(|| {
        format!(
            "`early`, `mid` and `late` qualify a year (`late 2014`); for part of a month give its days, such as `{range}`"
        )
    })
}

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect()
}

/// A day of the month, `13` or `13th`.
fn day(w: &str) -> Option<u8> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = w.get(digits.len()..)?;
    let ordinal = ["", "st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str());
    number(digits, 1..=2)
        .filter(|_| ordinal)
        .and_then(|d| u8::try_from(d).ok())
}

/// `August 13, 2017`, `13th August 2017`, `Aug 13 2017`.
fn written_out(text: &str) -> Option<String> {
    match words(text).as_slice() {
        [m, d, y] | [d, m, y] if month(m).is_some() && day(d).is_some() => {
            let (m, d, y) = (month(m)?, day(d)?, number(y, 4..=4)?);
            Some(format!("{y}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

/// `2015-2017`, `2015–2017`: two years with a dash between them.
fn years_apart(lower: &str) -> Option<String> {
    let (from, to) = lower.split_once(['-', '–', '—'])?;
    let (from, to) = (number(from.trim(), 4..=4)?, number(to.trim(), 4..=4)?);
    Some(format!("{from}..{to}"))
}

/// `13-15 August 2017`: days of one month with a dash between them.
fn days_apart(text: &str) -> Option<String> {
    let [days, m, y] = words(text)[..] else {
        return None;
    };
    let (first, last) = days.split_once(['-', '–'])?;
    let (first, last, m, y) = (day(first)?, day(last)?, month(m)?, number(y, 4..=4)?);
    Some(format!("{y}-{m:02}-{first:02}..{y}-{m:02}-{last:02}"))
}

/// `August 13`, `in March`: a day or month without its year. The source's publication gives the
/// year the article means, the last such day or month on or before it; with no source, an example.
fn without_year(text: &str, published: Option<Interval>) -> Option<Guess> {
    let text = text.strip_prefix("in ").unwrap_or(text);
    let (m, d) = match words(text).as_slice() {
        [m, d] | [d, m] if month(m).is_some() && day(d).is_some() => (month(m)?, Some(day(d)?)),
        [m] if month(m).is_some() => (month(m)?, None),
        _ => return None,
    };
    let name = MONTH_NAMES[usize::from(m) - 1];
    let written = |year: i32| match d {
        Some(d) => format!("{d} {name} {year}"),
        None => format!("{name} {year}"),
    };
    let Some(published) = published else {
        return Some(Guess::Say(match d {
            Some(_) => format!(
                "write the day first, then the month and its year, such as `{}`",
                written(2017)
            ),
            None => format!("a date needs its year: `{name} 2017`, `6 {name} 2017`"),
        }));
    };
    let (year, pm, pd) = civil_from_days(published.last);
    let year = if (m, d.unwrap_or(1)) <= (pm, pd) {
        year
    } else {
        year - 1
    };
    let date = written(year);
    parse_when(&date).ok()?;
    let what = written(year);
    let what = what.trim_end_matches(|c: char| c.is_ascii_digit()).trim();
    let why = format!(
        ": the last {what} on or before the source was published ({})",
        iso_day(published.last)?
    );
    Some(Guess::Date(date, why))
}

/// `on Tuesday`, `last Sunday`: news dates the days of its own week by their names, and means
/// the last day of that name on or before publication; `last` the week before when the source
/// came out on that very day. With no source, there is no day to name.
fn weekday(lower: &str, published: Option<Interval>) -> Option<Guess> {
    let last = lower.strip_prefix("last ");
    let name = lower.strip_prefix("on ").or(last).unwrap_or(lower).trim();
    let wanted = WEEKDAY_NAMES.iter().position(|w| {
        let w = w.to_lowercase();
        w == name || (name.len() >= 3 && w.starts_with(name))
    })?;
    let Some(published) = published.filter(|p| p.first == p.last) else {
        return Some(Guess::Say(
            "a weekday is no date by itself: write the day it names, such as `2017-08-15`"
                .to_string(),
        ));
    };
    // 1970-01-01, day 0, was a Thursday: index 3 counted from Monday.
    let on_publication = (published.last + 3).rem_euclid(7);
    let back = (on_publication - wanted as i32).rem_euclid(7);
    // "Last Sunday" in a Sunday paper is not that day's.
    let (back, before) = match (back, last.is_some()) {
        (0, true) => (7, "before"),
        (back, _) => (back, "on or before"),
    };
    let why = format!(
        ": the last {} {before} the source was published ({}); say so in a `note`",
        WEEKDAY_NAMES[wanted],
        iso_day(published.last)?
    );
    Some(Guess::Date(iso_day(published.last - back)?, why))
}

/// `before X`, `after X`, `between X and Y`, `from X to Y`, `X to Y`: the words factgraph uses.
fn comparison(text: &str) -> Option<Guess> {
    let lower = text.to_lowercase();
    let valid = |t: &str| parse_when(t.trim()).is_ok();
    if let Some(rest) = lower.strip_prefix("before ").filter(|r| valid(r)) {
        let rest = rest.trim();
        return Some(Guess::Say(format!(
            "write `by {rest}` (it happened on or before), or `until {rest}` (it held until then)"
        )));
    }
    if let Some(rest) = lower.strip_prefix("after ").filter(|r| valid(r)) {
        return Some(Guess::Say(format!("write `since {}`", rest.trim())));
    }
    let between = lower
        .strip_prefix("between ")
        .and_then(|r| r.split_once(" and "))
        .or_else(|| {
            lower
                .strip_prefix("from ")
                .and_then(|r| r.split_once(" to "))
        })
        .or_else(|| lower.split_once(" to "));
    let (from, to) = between.filter(|(a, b)| valid(a) && valid(b))?;
    let range = format!("{}..{}", from.trim(), to.trim());
    valid(&range).then(|| Guess::Date(range, String::new()))
}

#[cfg(test)]
mod tests {
    use super::hint;

    #[test]
    fn dates_as_people_write_them_get_the_form_to_write() {
        for (typed, help) in [
            ("13/08/2017", "write it `2017-08-13`"),
            ("13.08.2017", "write it `2017-08-13`"),
            ("8/13/2017", "write it `2017-08-13`"),
            ("2017/08/13", "write it `2017-08-13`"),
            ("08/2017", "write it `2017-08`"),
            ("August 13, 2017", "write it `2017-08-13`"),
            ("13th August 2017", "write it `2017-08-13`"),
            ("Aug 13 2017", "write it `2017-08-13`"),
            ("after 2015", "write `since 2015`"),
            ("between 2017-01 and 2017-03", "write it `2017-01..2017-03`"),
            (
                "2017-08-13 to 2017-08-20",
                "write it `2017-08-13..2017-08-20`",
            ),
        ] {
            assert_eq!(hint(typed, None).as_deref(), Some(help), "{typed}");
        }
    }

    #[test]
    fn an_ambiguous_or_partial_date_says_what_it_lacks() {
        let both = hint("08/06/2017", None).unwrap();
        assert!(both.contains("`2017-06-08` or `2017-08-06`"), "{both}");
        let early = hint("early August 2017", None).unwrap();
        assert!(early.contains("`2017-08-01..2017-08-10`"), "{early}");
        let late = hint("late February 2016", None).unwrap();
        assert!(late.contains("`2016-02-21..2016-02-29`"), "{late}");
        assert!(hint("August", None).unwrap().contains("needs its year"));
        assert!(hint("13 August", None)
            .unwrap()
            .contains("`13 August 2017`"));
        assert!(hint("August 13", None)
            .unwrap()
            .contains("`13 August 2017`"));
        assert!(hint("before 2017-03", None)
            .unwrap()
            .contains("`by 2017-03`"));
    }

    #[test]
    fn news_copy_forms_get_the_form_to_write() {
        for (typed, help) in [
            ("2015-2017", "write it `2015..2017`"),
            ("2015 – 2017", "write it `2015..2017`"),
            ("13-15 August 2017", "write it `2017-08-13..2017-08-15`"),
            ("in May 2015", "write it `May 2015`"),
            ("end of 2014", "write it `late 2014`"),
            ("as of August 20, 2017", "write it `as of 2017-08-20`"),
        ] {
            assert_eq!(hint(typed, None).as_deref(), Some(help), "{typed}");
        }
        let mid = hint("mid-August 2017", None).unwrap();
        assert!(mid.contains("`2017-08-11..2017-08-20`"), "{mid}");
    }

    #[test]
    fn a_weekday_or_a_day_without_its_year_counts_back_from_publication() {
        let sunday = Some(crate::date::parse_when("2017-08-20").unwrap());
        let tuesday = hint("on Tuesday", sunday).unwrap();
        assert!(tuesday.starts_with("write it `2017-08-15`"), "{tuesday}");
        // The day of publication is its own Sunday, but "last Sunday" in a Sunday paper is the
        // week before; "last Tuesday" in it is that week's.
        assert!(hint("Sunday", sunday)
            .unwrap()
            .starts_with("write it `2017-08-20`"));
        let last = hint("last Sunday", sunday).unwrap();
        assert!(last.starts_with("write it `2017-08-13`"), "{last}");
        assert!(last.contains("the last Sunday before the source"), "{last}");
        assert!(hint("last Tuesday", sunday)
            .unwrap()
            .starts_with("write it `2017-08-15`"));
        assert!(hint("since August 13", sunday)
            .unwrap()
            .starts_with("write it `since 13 August 2017`"));
        // A day later in the year than publication is last year's.
        assert!(hint("December 30", sunday)
            .unwrap()
            .starts_with("write it `30 December 2016`"));
        assert!(hint("in March", sunday)
            .unwrap()
            .starts_with("write it `March 2017`"));
        // With no source to count from, a weekday names no day.
        assert!(hint("Tuesday", None).unwrap().contains("no date by itself"));
        // A publication known only to the month names no weekday either.
        let august = Some(crate::date::parse_when("2017-08").unwrap());
        assert!(hint("Tuesday", august)
            .unwrap()
            .contains("no date by itself"));
    }

    #[test]
    fn seasons_quarters_decades_weeks_and_approximations_get_their_spans() {
        for (typed, help) in [
            (
                "summer 2017",
                "write it `2017-06..2017-08`: the months of the northern summer",
            ),
            (
                "Autumn 2016",
                "write it `2016-09..2016-11`: the months of the northern autumn",
            ),
            ("Q3 2017", "write it `2017-07..2017-09`"),
            ("2017-Q1", "write it `2017-01..2017-03`"),
            ("the 2010s", "write it `2010..2019`"),
            ("1990's", "write it `1990..1999`"),
            // 2017's week 33 ran from Monday 14 to Sunday 20 August; 2015's week 1 began in 2014.
            ("2017-W33", "write it `2017-08-14..2017-08-20`"),
            ("2015-W01", "write it `2014-12-29..2015-01-04`"),
        ] {
            assert_eq!(hint(typed, None).as_deref(), Some(help), "{typed}");
        }
        let winter = hint("winter 2017", None).unwrap();
        assert!(
            winter.contains("`2016-12..2017-02` or `2017-12..2018-02`"),
            "{winter}"
        );
        for (typed, date) in [
            ("around 2015", "2015"),
            ("c. 2015", "2015"),
            ("circa May 2015", "May 2015"),
        ] {
            let help = hint(typed, None).unwrap();
            assert!(
                help.starts_with(&format!("write `{date}`: a date keeps the precision")),
                "{typed}: {help}"
            );
            assert!(help.contains("a fact's `note` can say"), "{typed}: {help}");
        }
        // Not a quarter, decade or week.
        assert_eq!(
            hint("2015-W53", None).as_deref(),
            Some("write it `2015-12-28..2016-01-03`")
        );
        for typed in ["Q5 2017", "2015s", "2017-W53", "2017-W00", "summer"] {
            assert_eq!(hint(typed, None), None, "{typed}");
        }
    }

    #[test]
    fn what_looks_like_no_date_gets_no_guess() {
        for typed in [
            "",
            "soon",
            "32/13/2017",
            "13/08/17",
            "Augustus 2017",
            "the war",
        ] {
            assert_eq!(hint(typed, None), None, "{typed}");
        }
    }
}
