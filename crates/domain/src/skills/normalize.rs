//! Tag normalisation: the key under which "Rust", " rust ", "RUST!" and "Rusts" meet. Applied to
//! every label, alias and tag, and to every query, so they compare equal.

use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;
use unicode_security::confusable_detection::skeleton;

/// Characters that carry meaning in skill names (`C++`, `C#`, `.NET`, `Node.js`, `CI/CD`) and
/// so survive punctuation stripping.
const KEPT: [char; 4] = ['+', '#', '.', '/'];

/// The normalised key of a label or tag:
/// 1. Unicode NFKC (full-width and compatibility forms fold: `Ｒｕｓｔ` → `Rust`);
/// 2. a word mixing scripts is replaced by its confusable skeleton, so `Руthon` with Cyrillic
///    `Р` and `у` meets `Python`, while a word wholly in one script (`программирование`,
///    `データ`) is left as written;
/// 3. lower case (full Unicode case folding of the common kind);
/// 4. punctuation other than `+ # . /` becomes a space, and `.`/`/` at a word's edges go too;
/// 5. runs of white space collapse to one space;
/// 6. a simple English plural on the last word is dropped (`databases` → `database`,
///    `analyses` kept apart from `analysis` would need a lexicon, so only `-s` after a
///    non-`s` letter and `-ies` → `-y` are handled).
pub fn normalize(input: &str) -> String {
    let nfkc: String = input.nfkc().filter(|c| !is_invisible(*c)).collect();
    let mut words: Vec<String> = Vec::new();
    for raw in nfkc.split(|c: char| c.is_whitespace() || (is_separator(c) && !KEPT.contains(&c))) {
        let raw = raw.trim_matches(|c: char| c == '.' || c == '/');
        if raw.is_empty()
            || raw
                .chars()
                .all(|c| KEPT.contains(&c) && c != '+' && c != '#')
        {
            continue;
        }
        let word = if raw.is_single_script() {
            raw.to_string()
        } else {
            skeleton(raw).collect()
        };
        words.push(word.to_lowercase());
    }
    if let Some(last) = words.last_mut() {
        *last = singular(last);
    }
    words.join(" ")
}

/// Zero-width characters, bidi controls and soft hyphens: invisible, so they must not make a
/// different tag.
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x00AD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF)
}

fn is_separator(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !is_mark(c))
}

/// Combining marks belong to the letter before them (Devanagari vowel signs, accents).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x097F | 0x0E00..=0x0E7F | 0x3099..=0x309A)
        && !c.is_alphanumeric()
}

fn singular(word: &str) -> String {
    if !word.chars().all(|c| c.is_ascii_lowercase()) || word.len() <= 3 {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for keep in ["ss", "us", "is", "ous", "sis"] {
        if word.ends_with(keep) {
            return word.to_string();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if stem.ends_with(|c: char| c.is_ascii_alphabetic()) => stem.to_string(),
        _ => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn case_spacing_punctuation_plurals() {
        assert_eq!(normalize("  Rust  "), "rust");
        assert_eq!(normalize("RUST!"), "rust");
        assert_eq!(normalize("Relational   Databases"), "relational database");
        assert_eq!(normalize("data-engineering"), "data engineering");
        assert_eq!(normalize("Technologies"), "technology");
        assert_eq!(normalize("business analysis"), "business analysis");
        assert_eq!(
            normalize("Kubernetes"),
            "kubernete",
            "a known limit of suffix rules, applied alike to label and query"
        );
        assert_eq!(normalize("css"), "css");
    }

    #[test]
    fn meaningful_symbols_survive() {
        assert_eq!(normalize("C++"), "c++");
        assert_eq!(normalize("C#"), "c#");
        assert_eq!(normalize(".NET"), "net");
        assert_eq!(normalize("Node.js"), "node.js");
        assert_eq!(normalize("CI/CD"), "ci/cd");
        assert_ne!(normalize("C++"), normalize("C#"));
    }

    #[test]
    fn compatibility_forms_fold() {
        assert_eq!(normalize("Ｒｕｓｔ"), "rust");
        assert_eq!(normalize("ﬁnance"), "finance");
        assert_eq!(normalize("Ⅻ"), "xii");
    }

    #[test]
    fn non_latin_scripts_are_kept() {
        assert_eq!(normalize("Программирование"), "программирование");
        assert_eq!(normalize("データ 分析"), "データ 分析");
        assert_eq!(normalize("हिन्दी"), "हिन्दी");
        assert_eq!(normalize("Ελληνικά"), "ελληνικά");
        assert_eq!(normalize("تحليل البيانات"), "تحليل البيانات");
    }

    #[test]
    fn look_alike_characters_meet_their_latin_twin() {
        // Cyrillic Р (U+0420) and у (U+0443) inside a Latin word.
        assert_eq!(normalize("Руthon"), normalize("Python"));
        // Greek omicron in "Gο".
        assert_eq!(normalize("Gο"), normalize("Go"));
        // Zero-width and bidi controls do not make a different tag.
        assert_eq!(normalize("Ru\u{200B}st"), "rust");
        assert_eq!(normalize("\u{202E}Rust\u{00AD}"), "rust");
    }
}
