//! Facts as fixed-width rows: the bulk of a large cache, decoded in a tight loop with every index
//! and date checked, so a damaged row is refused rather than trusted.

use crate::date::{days_in_month, DatePoint, Part, When};
use crate::model::{EntityId, Fact, Origin, RelationId, SourceId};

/// Bytes of one fact row: subject, relation, object, source, file and line as `u32`, then the date.
pub const FACT_ROW: usize = 24 + WHEN_BYTES;
/// A date: its form (0 for none), then two points of 7 bytes (precision, month, day or part,
/// year), the second used by ranges only; padded to 16.
const WHEN_BYTES: usize = 16;

fn put_point(out: &mut [u8], p: DatePoint) {
    let (form, month, detail, year) = match p {
        DatePoint::Day { year, month, day } => (0, month, day, year),
        DatePoint::Month { year, month } => (1, month, 0, year),
        DatePoint::Part { year, part } => (2, 0, part as u8, year),
        DatePoint::Year { year } => (3, 0, 0, year),
    };
    out[..3].copy_from_slice(&[form, month, detail]);
    out[3..7].copy_from_slice(&year.to_le_bytes());
}

fn get_point(b: &[u8]) -> Option<DatePoint> {
    let year = i32::from_le_bytes(b.get(3..7)?.try_into().ok()?);
    // The grammar writes years in four digits.
    if !(0..=9999).contains(&year) {
        return None;
    }
    let (month, detail) = (b[1], b[2]);
    let month_ok = (1..=12).contains(&month);
    Some(match b[0] {
        0 if month_ok && detail >= 1 && detail <= days_in_month(year, month) => DatePoint::Day {
            year,
            month,
            day: detail,
        },
        1 if month_ok => DatePoint::Month { year, month },
        2 => DatePoint::Part {
            year,
            part: [Part::Early, Part::Mid, Part::Late]
                .get(usize::from(detail))
                .copied()?,
        },
        3 => DatePoint::Year { year },
        _ => return None,
    })
}

/// Encodes one fact as a row of [`FACT_ROW`] bytes.
pub fn put_fact(f: &Fact) -> [u8; FACT_ROW] {
    let mut row = [0u8; FACT_ROW];
    let ids = [
        f.subject.0,
        f.relation.0,
        f.object.0,
        f.source.0,
        f.origin.file,
        f.origin.line,
    ];
    for (k, id) in ids.into_iter().enumerate() {
        row[4 * k..4 * k + 4].copy_from_slice(&id.to_le_bytes());
    }
    let when = &mut row[24..];
    let (form, first, second) = match f.when {
        None => return row,
        Some(When::At(p)) => (1, p, None),
        Some(When::Range { from, to }) => (2, from, Some(to)),
        Some(When::Since(p)) => (3, p, None),
        Some(When::Until(p)) => (4, p, None),
        Some(When::AsOf(p)) => (5, p, None),
        Some(When::By(p)) => (6, p, None),
    };
    when[0] = form;
    put_point(&mut when[1..8], first);
    if let Some(p) = second {
        put_point(&mut when[8..15], p);
    }
    row
}

/// How many of each thing a fact row may point at.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub entities: usize,
    pub relations: usize,
    pub sources: usize,
    pub files: usize,
}

/// Decodes a row [`put_fact`] wrote; `None` if any index or date is out of bounds.
pub fn get_fact(row: &[u8], bounds: Bounds) -> Option<Fact> {
    let id = |k: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            row.get(4 * k..4 * k + 4)?.try_into().ok()?,
        ))
    };
    let below = |v: u32, n: usize| ((v as usize) < n).then_some(v);
    let when = row.get(24..24 + WHEN_BYTES)?;
    let when = match when[0] {
        0 => None,
        1 => Some(When::At(get_point(&when[1..8])?)),
        2 => Some(When::Range {
            from: get_point(&when[1..8])?,
            to: get_point(&when[8..15])?,
        }),
        3 => Some(When::Since(get_point(&when[1..8])?)),
        4 => Some(When::Until(get_point(&when[1..8])?)),
        5 => Some(When::AsOf(get_point(&when[1..8])?)),
        6 => Some(When::By(get_point(&when[1..8])?)),
        _ => return None,
    };
    Some(Fact {
        subject: EntityId(below(id(0)?, bounds.entities)?),
        relation: RelationId(below(id(1)?, bounds.relations)?),
        object: EntityId(below(id(2)?, bounds.entities)?),
        source: SourceId(below(id(3)?, bounds.sources)?),
        when,
        origin: Origin {
            file: below(id(4)?, bounds.files)?,
            line: id(5)?,
        },
    })
}
