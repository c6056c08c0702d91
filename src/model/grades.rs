//! Admiralty grades, as intelligence analysts rate reports: how reliable a source is (A to F) and
//! how credible one of its facts is (1 to 6), kept apart because a good source can pass on a
//! doubtful report and a poor one can be right.

use std::fmt;

/// A source's reliability, `A` (completely reliable) to `E` (unreliable); `F`: cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reliability(u8);

impl Reliability {
    pub const LETTERS: [&'static str; 6] = ["A", "B", "C", "D", "E", "F"];
    const MEANINGS: [&'static str; 6] = [
        "completely reliable",
        "usually reliable",
        "fairly reliable",
        "not usually reliable",
        "unreliable",
        "reliability cannot be judged",
    ];

    /// The grade a letter names, in either case.
    pub fn parse(text: &str) -> Option<Reliability> {
        Reliability::LETTERS
            .iter()
            .position(|l| l.eq_ignore_ascii_case(text))
            .map(|i| Reliability(i as u8))
    }

    /// The grade stored as `0..6`, as the cache writes it.
    pub fn from_index(i: u8) -> Option<Reliability> {
        (i < 6).then_some(Reliability(i))
    }

    pub fn index(self) -> u8 {
        self.0
    }

    pub fn letter(self) -> &'static str {
        Reliability::LETTERS[usize::from(self.0)]
    }

    pub fn meaning(self) -> &'static str {
        Reliability::MEANINGS[usize::from(self.0)]
    }
}

impl fmt::Display for Reliability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

/// A fact's credibility, `1` (confirmed by other sources) to `5` (improbable); `6`: cannot be
/// judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Credibility(u8);

impl Credibility {
    const MEANINGS: [&'static str; 6] = [
        "confirmed",
        "probably true",
        "possibly true",
        "doubtful",
        "improbable",
        "truth cannot be judged",
    ];

    pub fn new(grade: i64) -> Option<Credibility> {
        (1..=6).contains(&grade).then_some(Credibility(grade as u8))
    }

    pub fn grade(self) -> u8 {
        self.0
    }

    pub fn meaning(self) -> &'static str {
        Credibility::MEANINGS[usize::from(self.0 - 1)]
    }
}

impl fmt::Display for Credibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The grade as analysts write it beside a report: `B2`, `B` (no credibility), `2` (no
/// reliability); `None` when neither is given.
pub fn grade_text(
    reliability: Option<Reliability>,
    credibility: Option<Credibility>,
) -> Option<String> {
    match (reliability, credibility) {
        (None, None) => None,
        (r, c) => Some(format!(
            "{}{}",
            r.map_or(String::new(), |r| r.to_string()),
            c.map_or(String::new(), |c| c.to_string())
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_read_and_print_as_analysts_write_them() {
        let b = Reliability::parse("b").unwrap();
        assert_eq!(b.letter(), "B");
        assert_eq!(b.meaning(), "usually reliable");
        assert_eq!(Reliability::parse("G"), None);
        assert_eq!(Reliability::parse(""), None);
        assert_eq!(Credibility::new(0), None);
        assert_eq!(Credibility::new(7), None);
        let two = Credibility::new(2).unwrap();
        assert_eq!(two.meaning(), "probably true");
        assert_eq!(grade_text(Some(b), Some(two)).as_deref(), Some("B2"));
        assert_eq!(grade_text(None, Some(two)).as_deref(), Some("2"));
        assert_eq!(grade_text(None, None), None);
    }
}
