//! How names are spelt, set aside: a key that ignores case, diacritics, punctuation, spaces and a
//! leading article, and a skeleton that also ignores how a transliteration spells vowels, doubled
//! letters and Arabic particles. `check` compares names by them to find duplicate entities, and a
//! query name not found as written is looked up by them.

/// Articles dropped from the front of a name's key: "Al Sukhna" and "Sukhna" are one key.
const ARTICLES: [&str; 3] = ["the", "al", "el"];

/// Arabic articles as transliterations write them before sun letters ("ez-Zor", "as-Sukhna"),
/// dropped anywhere in a skeleton.
const PARTICLES: [&str; 20] = [
    "al", "el", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er",
    "es", "esh", "et", "ez", "the",
];

/// Words for the members of a group: "Islamic State fighters" are the Islamic State as the
/// reports that name them mean it. Other words after a name name another entity ("Homs province").
pub const MEMBERS: [&str; 18] = [
    "fighters",
    "fighter",
    "forces",
    "troops",
    "militants",
    "militant",
    "soldiers",
    "members",
    "militia",
    "militias",
    "militiamen",
    "units",
    "jihadists",
    "loyalists",
    "gunmen",
    "combatants",
    "personnel",
    "insurgents",
];

/// Shortest skeleton compared: two consonants ("Iraq", "Raqqa") are too few to tell names apart.
pub const MIN_SKELETON: usize = 3;

/// `name`'s words, lowercased, without diacritics or apostrophes, split at everything else that is
/// not a letter or digit.
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        if matches!(c, 'ʿ' | 'ʾ' | 'ʼ' | '\'' | '’' | '‘') {
            continue;
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase().map(plain_letter));
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The words without a leading article, unless the article is all there is.
fn without_article(words: &[String]) -> &[String] {
    match words {
        [first, rest @ ..] if !rest.is_empty() && ARTICLES.contains(&first.as_str()) => rest,
        _ => words,
    }
}

/// The key two names share when they differ only in case, diacritics, punctuation, hyphens,
/// spaces and a leading article: "Deir ez-Zor" and "Deir Ezzor" are both "deirezzor".
pub fn key(words: &[String]) -> String {
    without_article(words).concat()
}

/// The key of `words` without the words for members that end it, and those words; `None` when
/// none ends it or nothing else is left: "Islamic State fighters" is "islamicstate" + "fighters".
pub fn without_members(words: &[String]) -> Option<(String, String)> {
    let words = without_article(words);
    let kept = words
        .iter()
        .rposition(|w| !MEMBERS.contains(&w.as_str()))
        .map_or(0, |i| i + 1);
    if kept == 0 || kept == words.len() {
        return None;
    }
    Some((key(&words[..kept]), words[kept..].join(" ")))
}

/// The consonants of a name as transliterations agree on them: particles dropped, vowels and the
/// semivowels `w` and `y` dropped, `q` read as `k`, a final `h` after a vowel dropped, and doubled
/// letters written once. "Deir ez-Zor", "Deir Ezzor" and "Dayr az-Zawr" are all "drzr".
pub fn skeleton(words: &[String]) -> String {
    let mut out = String::new();
    let kept = words.iter().filter(|w| !PARTICLES.contains(&w.as_str()));
    for word in kept {
        let chars: Vec<char> = word.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w');
            if vowel(c) || (c == 'h' && i + 1 == chars.len() && i > 0 && vowel(chars[i - 1])) {
                continue;
            }
            let c = if c == 'q' { 'k' } else { c };
            if c.is_alphabetic() && out.ends_with(c) {
                continue;
            }
            out.push(c);
        }
    }
    out
}

/// The letter without its diacritic, for the letters of European names and of transliterated
/// Arabic; others are kept as they are.
pub(crate) fn plain_letter(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ḍ' | 'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ġ' => 'g',
        'ḥ' | 'ḫ' => 'h',
        'ì'..='ï' | 'ī' | 'ı' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ŕ' | 'ř' => 'r',
        'ṣ' | 'ś' | 'š' | 'ş' => 's',
        'ṭ' | 'ť' | 'ţ' => 't',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ẓ' | 'ž' | 'ż' | 'ź' => 'z',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(name: &str) -> String {
        key(&words(name))
    }

    fn skeleton_of(name: &str) -> String {
        skeleton(&words(name))
    }

    #[test]
    fn keys_set_aside_case_marks_spaces_and_the_article() {
        assert_eq!(key_of("Deir ez-Zor"), key_of("Deir Ezzor"));
        assert_eq!(key_of("al-Sukhna"), key_of("Sukhna"));
        assert_eq!(key_of("The Coalition"), key_of("coalition"));
        assert_eq!(key_of("Ḥimṣ"), key_of("Hims"));
        assert_eq!(
            key_of("Palmyra’s amphitheatre"),
            key_of("palmyras amphitheatre")
        );
        assert_ne!(key_of("Homs"), key_of("Homs province"));
        assert_eq!(key_of("Al"), "al", "an article alone is the name");
    }

    #[test]
    fn transliterations_share_a_skeleton() {
        let deir = skeleton_of("Deir ez-Zor");
        assert_eq!(deir, "drzr");
        assert_eq!(skeleton_of("Deir Ezzor"), deir);
        assert_eq!(skeleton_of("Dayr az-Zawr"), deir);
        assert_eq!(skeleton_of("Al Sukhna"), skeleton_of("Sukhnah"));
        assert_ne!(skeleton_of("Tadmor"), skeleton_of("Palmyra"));
        assert_ne!(
            skeleton_of("Actor 1"),
            skeleton_of("Actor 11"),
            "digits stay doubled"
        );
    }

    #[test]
    fn member_words_come_off_the_end_only() {
        let (key, extra) = without_members(&words("Islamic State fighters")).unwrap();
        assert_eq!((key.as_str(), extra.as_str()), ("islamicstate", "fighters"));
        assert_eq!(without_members(&words("Homs province")), None);
        assert_eq!(without_members(&words("fighters")), None);
        assert_eq!(without_members(&words("forces of the regime")), None);
    }
}
