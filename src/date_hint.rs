//! What a date that did not parse was probably meant to be, as people write dates in notes
//! (`13/08/2017`, `August 13, 2017`, `early August 2017`), so its error can say how to write it.

use crate::date::{days_in_month, parse_when, MONTH_NAMES};

/// A help line for `text`, which did not parse as a date, or `None` when it looks like no form
/// we know. Every date the help offers parses.
pub fn hint(text: &str) -> Option<String> {
    let text = text.trim();
    numeric(text)
        .or_else(|| part_of_month(text))
        .or_else(|| written_out(text))
        .or_else(|| comparison(text))
}

/// A suggestion that parses, as "write it `...`".
fn write_as(date: String) -> Option<String> {
    parse_when(&date)
        .is_ok()
        .then(|| format!("write it `{date}`"))
}

fn number(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u16> {
    (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `13/08/2017`, `8.6.2017`, `08/2017`, `2017/08/13`: numbers with `/` or `.` between them.
fn numeric(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '.']).collect();
    let year_first = parts.first().and_then(|p| number(p, 4..=4));
    match (parts.as_slice(), year_first) {
        ([_, m, d], Some(y)) => write_as(format!(
            "{y}-{:02}-{:02}",
            number(m, 1..=2)?,
            number(d, 1..=2)?
        )),
        ([m, y], None) => write_as(format!("{}-{:02}", number(y, 4..=4)?, number(m, 1..=2)?)),
        ([a, b, y], None) => {
            let (a, b, y) = (number(a, 1..=2)?, number(b, 1..=2)?, number(y, 4..=4)?);
            match (a > 12, b > 12) {
                (true, false) => write_as(format!("{y}-{b:02}-{a:02}")),
                (false, true) => write_as(format!("{y}-{a:02}-{b:02}")),
                (false, false) if a == b => write_as(format!("{y}-{a:02}-{a:02}")),
                (false, false) => {
                    let day_first = format!("{y}-{b:02}-{a:02}");
                    let month_first = format!("{y}-{a:02}-{b:02}");
                    (parse_when(&day_first).is_ok() && parse_when(&month_first).is_ok()).then(|| {
                        format!(
                            "`{text}` may be day/month or month/day: write `{day_first}` or `{month_first}` (year-month-day)"
                        )
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

/// `early August 2017`: `early`, `mid` and `late` qualify a year only, so offer the month's days.
fn part_of_month(text: &str) -> Option<String> {
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

/// `August 13, 2017`, `13th August 2017`, `Aug 13 2017`, and a month or day without its year.
fn written_out(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let day = |w: &str| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        let ordinal = ["", "st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str());
        number(digits, 1..=2).filter(|_| ordinal)
    };
    match words.as_slice() {
        [m, d, y] | [d, m, y] if month(m).is_some() && day(d).is_some() => {
            let (m, d, y) = (month(m)?, day(d)?, number(y, 4..=4)?);
            write_as(format!("{y}-{m:02}-{d:02}"))
        }
        [m, d] | [d, m] if month(m).is_some() && day(d).is_some() => Some(format!(
            "write the day first, then the month and its year: `{} {} 2017`",
            day(d)?,
            MONTH_NAMES[usize::from(month(m)?) - 1]
        )),
        [m] | [m, _] if month(m).is_some() => Some(format!(
            "a date needs its year: `{} 2017`, `6 {} 2017`",
            MONTH_NAMES[usize::from(month(m)?) - 1],
            MONTH_NAMES[usize::from(month(m)?) - 1]
        )),
        _ => None,
    }
}

/// `before X`, `after X`, `between X and Y`, `from X to Y`, `X to Y`: the words factgraph uses.
fn comparison(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let valid = |t: &str| parse_when(t.trim()).is_ok();
    if let Some(rest) = lower.strip_prefix("before ").filter(|r| valid(r)) {
        let rest = rest.trim();
        return Some(format!(
            "write `by {rest}` (it happened on or before), or `until {rest}` (it held until then)"
        ));
    }
    if let Some(rest) = lower.strip_prefix("after ").filter(|r| valid(r)) {
        return Some(format!("write `since {}`", rest.trim()));
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
    write_as(format!("{}..{}", from.trim(), to.trim()))
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
            assert_eq!(hint(typed).as_deref(), Some(help), "{typed}");
        }
    }

    #[test]
    fn an_ambiguous_or_partial_date_says_what_it_lacks() {
        let both = hint("08/06/2017").unwrap();
        assert!(both.contains("`2017-06-08` or `2017-08-06`"), "{both}");
        let early = hint("early August 2017").unwrap();
        assert!(early.contains("`2017-08-01..2017-08-10`"), "{early}");
        let late = hint("late February 2016").unwrap();
        assert!(late.contains("`2016-02-21..2016-02-29`"), "{late}");
        assert!(hint("August").unwrap().contains("needs its year"));
        assert!(hint("13 August").unwrap().contains("`13 August 2017`"));
        assert!(hint("August 13").unwrap().contains("`13 August 2017`"));
        assert!(hint("before 2017-03").unwrap().contains("`by 2017-03`"));
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
            assert_eq!(hint(typed), None, "{typed}");
        }
    }
}
