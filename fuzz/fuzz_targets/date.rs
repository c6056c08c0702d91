//! The date grammar: any text parses or fails at a character inside it; what parses prints back to
//! text that parses to the same date, and its interval of days is well ordered.
#![no_main]

use factgraph::date::{civil_from_days, iso_day, parse_point, parse_when, DatePoint, When};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = parse_point(text);
    match parse_when(text) {
        Ok(when) => {
            let printed = when.to_string();
            assert_eq!(
                parse_when(&printed),
                Ok(when),
                "{text:?} printed as {printed:?}"
            );
            let interval = when.interval();
            assert!(interval.first <= interval.last, "{text:?}: {interval:?}");
            if let When::Range { from, to } = when {
                assert!(from.first_day() <= to.last_day());
            }
            let _ = when.sort_key();
            // The day arithmetic inverts: a written day maps to a count and back to itself.
            if let When::At(DatePoint::Day { year, month, day }) = when {
                let count = when.sort_key();
                assert_eq!(civil_from_days(count), (year, month, day));
                assert!(iso_day(count).is_some());
            }
        }
        Err(e) => {
            assert!(e.char_offset <= text.chars().count(), "{text:?}: {e:?}");
            assert!(!e.message.is_empty());
        }
    }
});
