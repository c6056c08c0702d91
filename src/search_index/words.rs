//! What counts as the same word for `search`: case, diacritics and the common English endings
//! are ignored, so that `Ḥimṣ` finds `Hims` and `captures` finds `captured`.
//!
//! The stemmer is deliberately light (plural `-s`/`-es`/`-ies`, `-ed`, `-ing`, a final `-e`):
//! quotes are short news sentences where a full Porter stemmer mostly adds surprises (`general` and
//! `generate`, `organ` and `organization`), and irregular forms (`withdrew`, `withdrawal`) are beyond any
//! suffix rule. Everything here is a pure function of the text, shared by the index and the query.

use std::ops::Range;

/// Calls `each(range, term)` for every word of `text`: its byte range in `text` and its
/// normalised term. A word is a run of letters and digits; apostrophes inside it are dropped
/// (`ISIL's` is `isils`, stemmed `isil`), anything else separates words. O(length of `text`).
pub fn each_word(text: &str, mut each: impl FnMut(Range<usize>, &str)) {
    let mut term = String::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            end = i + c.len_utf8();
            push_folded(&mut term, c);
        } else if start.is_some() && is_apostrophe(c) {
            continue;
        } else if let Some(s) = start.take() {
            each(s..end, stem(&mut term));
            term.clear();
        }
    }
    if let Some(s) = start {
        each(s..end, stem(&mut term));
    }
}

/// The terms of `text` in order, repeats kept (a phrase needs them).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, |_, term| out.push(term.to_string()));
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | 'ʿ' | 'ʾ')
}

/// Lowercase, without diacritics: the Latin letters of European names and of the usual
/// transliterations of Arabic (`ḥ`, `ṣ`, `ā`). Other scripts are only lowercased.
fn push_folded(term: &mut String, c: char) {
    if c.is_ascii() {
        term.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        match fold(lower) {
            Some(plain) => term.push_str(plain),
            None => term.push(lower),
        }
    }
}

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ạ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'ḍ' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'ẹ' => "e",
        'ğ' | 'ġ' => "g",
        'ḥ' | 'ḩ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'ị' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'ọ' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' | 'ṣ' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ṭ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' | 'ụ' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'ẓ' => "z",
        _ => return None,
    })
}

/// Strips one inflection from a lowercased word in place and returns it. Words of three letters or
/// fewer, and words with digits, are left alone (`gas`, `is`, `T4`).
fn stem(word: &mut String) -> &str {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word;
    }
    if let Some(base) = word.strip_suffix("ies") {
        let keep = base.len();
        word.truncate(keep);
        word.push('y');
    } else if word.ends_with("sses") || word.ends_with("shes") || word.ends_with("ches") {
        word.truncate(word.len() - 2);
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word.truncate(word.len() - 1);
    } else if let Some(base) = word.strip_suffix("ied") {
        let keep = base.len();
        word.truncate(keep);
        word.push('y');
    } else if let Some(keep) = ending_base(word, "ed")
        .filter(|&keep| !word[..keep].ends_with('e'))
        .or_else(|| ending_base(word, "ing"))
    {
        word.truncate(keep);
        undouble(word);
    }
    // `capture`, `captured` and `capturing` all end as `captur`.
    if word.len() > 4 && word.ends_with('e') && !word.ends_with("ee") {
        word.pop();
    }
    word
}

/// Where `word` would end without `suffix`, if what is left is a word: three letters or more,
/// with a vowel (`shelled` -> `shell`, but `bed` and `sing` stay).
fn ending_base(word: &str, suffix: &str) -> Option<usize> {
    let base = word.strip_suffix(suffix)?;
    (base.len() >= 3 && base.bytes().any(|b| b"aeiouy".contains(&b))).then_some(base.len())
}

/// `stopp` -> `stop`, but `shell`, `pass` and `buzz` keep their pair.
fn undouble(word: &mut String) {
    let b = word.as_bytes();
    if let [.., x, y] = b {
        if x == y && !b"lsz".contains(x) && !b"aeiou".contains(x) {
            word.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_of_one_word_share_a_term() {
        for group in [
            &["captured", "captures", "capturing", "capture"][..],
            &["withdraw", "withdraws", "withdrawing"],
            &["shelled", "shelling", "shells"],
            &["militias", "militia"],
            &["stopped", "stopping", "stop"],
            &["cities", "city"],
            &["fighters", "fighter"],
        ] {
            let stems: Vec<Vec<String>> = group.iter().map(|w| terms(w)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "{group:?} -> {stems:?}"
            );
        }
        assert_ne!(terms("agreed"), terms("agr"), "`-eed` is not `-ed`");
        assert_ne!(terms("bed"), terms("be"));
    }

    #[test]
    fn case_diacritics_and_apostrophes_do_not_matter() {
        assert_eq!(terms("Ḥimṣ"), terms("himS"));
        assert_eq!(terms("Tadmur's"), terms("tadmur"));
        assert_eq!(terms("Raqqa, al-Raqqa"), vec!["raqqa", "al", "raqqa"]);
    }

    #[test]
    fn word_ranges_point_into_the_text() {
        let text = "Ḥims — ISIL's";
        let mut ranges = Vec::new();
        each_word(text, |r, _| ranges.push(&text[r]));
        assert_eq!(ranges, vec!["Ḥims", "ISIL's"]);
    }
}
