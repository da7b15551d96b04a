//! What generated members are made of: skills drawn by a Zipf law over the skills ESCO's ICT
//! occupations ask for, ranked by how many occupations ask for each; hourly rates from the US
//! wage percentiles of the computer and mathematical occupations (BLS OEWS, May 2025); names
//! and places. Shared by `guildhall seed` and `guildhall bench match`.

use super::Rng;
use crate::AppError;
use crate::taxonomy::{Occupation, ict_occupations, wage_percentiles};
use std::collections::BTreeMap;

/// The ICT occupations and their skills, ranked for a Zipf law.
pub struct SkillRanks {
    /// Skill labels, the ones most occupations ask for first.
    pub labels: Vec<String>,
    /// Per occupation, its label and the ranks of its skills.
    pub occupations: Vec<(String, Vec<usize>)>,
}

impl SkillRanks {
    /// The bundled ESCO ICT occupations, ranked.
    pub fn new() -> Result<SkillRanks, AppError> {
        Ok(SkillRanks::of(&ict_occupations()?))
    }

    /// `occupations`, ranked.
    pub fn of(occupations: &[Occupation]) -> SkillRanks {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for skill in occupations.iter().flat_map(|o| &o.skills) {
            *counts.entry(skill.as_str()).or_default() += 1;
        }
        let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let rank: BTreeMap<&str, usize> = ranked
            .iter()
            .enumerate()
            .map(|(i, (label, _))| (*label, i))
            .collect();
        SkillRanks {
            labels: ranked.iter().map(|(l, _)| l.to_string()).collect(),
            occupations: occupations
                .iter()
                .map(|o| {
                    let skills = o.skills.iter().map(|s| rank[s.as_str()]).collect();
                    (o.label.clone(), skills)
                })
                .collect(),
        }
    }
}

/// A Zipf law over ranks `0..n`: rank r drawn with weight 1 / (r + 1).
pub struct Zipf(Vec<f64>);

impl Zipf {
    /// The law over `n` ranks (`n` > 0).
    pub fn new(n: usize) -> Zipf {
        let mut total = 0.0;
        Zipf(
            (0..n)
                .map(|rank| {
                    total += 1.0 / (rank as f64 + 1.0);
                    total
                })
                .collect(),
        )
    }

    /// A rank.
    pub fn draw(&self, rng: &mut Rng) -> usize {
        let last = self.0.len() - 1;
        let u = rng.unit() * self.0[last];
        self.0.partition_point(|c| *c < u).min(last)
    }
}

/// Hourly wages of the computer and mathematical occupations.
pub struct Wages(Vec<[f64; 5]>);

impl Wages {
    /// The bundled percentiles of the detailed occupations under SOC 15.
    pub fn new() -> Result<Wages, AppError> {
        let rows = wage_percentiles()?;
        Ok(Wages(
            rows.into_iter()
                .filter(|w| w.level == 3 && w.soc.starts_with("15"))
                .map(|w| w.percentiles)
                .collect(),
        ))
    }

    /// A rate in US cents: one occupation's wage at a uniform quantile between its 10th and
    /// 90th percentiles, interpolated between the published ones.
    pub fn rate(&self, rng: &mut Rng) -> i64 {
        let p = self.0[rng.below(self.0.len())];
        let at = rng.unit() * 4.0;
        let i = (at.floor() as usize).min(3);
        let dollars = p[i] + (p[i + 1] - p[i]) * (at - i as f64);
        (dollars * 100.0).round() as i64
    }
}

/// Given names, from many languages.
pub const GIVEN_NAMES: [&str; 48] = [
    "Ana",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elif",
    "Farah",
    "Gustavo",
    "Hana",
    "Ibrahim",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomoko",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Amara",
    "Bao",
    "Carmen",
    "Diego",
    "Esther",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kenji",
    "Leila",
    "Marek",
    "Noor",
    "Olga",
    "Pablo",
    "Rania",
    "Samuel",
    "Tariq",
    "Ulla",
    "Valentina",
    "Yara",
];

/// Family names, from many languages.
pub const FAMILY_NAMES: [&str; 48] = [
    "Silva",
    "Novak",
    "Rossi",
    "Ivanova",
    "Yilmaz",
    "Haddad",
    "Pereira",
    "Sato",
    "Mensah",
    "Kowalski",
    "Schmidt",
    "Garcia",
    "Okafor",
    "Nguyen",
    "Larsen",
    "Sharma",
    "Dubois",
    "Moreno",
    "Berg",
    "Tanaka",
    "Khan",
    "Petrova",
    "Chen",
    "Lopez",
    "Demir",
    "Wojcik",
    "Adeyemi",
    "Tran",
    "Ortiz",
    "Fernandes",
    "Cohen",
    "Balogun",
    "Fischer",
    "Martin",
    "Costa",
    "Jensen",
    "Watanabe",
    "Rahimi",
    "Horvat",
    "Aziz",
    "Popescu",
    "Ramirez",
    "Saleh",
    "Mwangi",
    "Ali",
    "Nieminen",
    "Romano",
    "Nasser",
];

/// Places members work from, with their time zones and standard offsets from UTC (minutes).
pub const PLACES: [(&str, &str, i32); 24] = [
    ("Lisbon, Portugal", "Europe/Lisbon", 0),
    ("London, United Kingdom", "Europe/London", 0),
    ("Berlin, Germany", "Europe/Berlin", 60),
    ("Warsaw, Poland", "Europe/Warsaw", 60),
    ("Madrid, Spain", "Europe/Madrid", 60),
    ("Athens, Greece", "Europe/Athens", 120),
    ("Istanbul, Türkiye", "Europe/Istanbul", 180),
    ("Nairobi, Kenya", "Africa/Nairobi", 180),
    ("Lagos, Nigeria", "Africa/Lagos", 60),
    ("Cairo, Egypt", "Africa/Cairo", 120),
    ("Dubai, United Arab Emirates", "Asia/Dubai", 240),
    ("Bengaluru, India", "Asia/Kolkata", 330),
    ("Ho Chi Minh City, Vietnam", "Asia/Ho_Chi_Minh", 420),
    ("Singapore", "Asia/Singapore", 480),
    ("Tokyo, Japan", "Asia/Tokyo", 540),
    ("Sydney, Australia", "Australia/Sydney", 600),
    ("Auckland, New Zealand", "Pacific/Auckland", 720),
    ("São Paulo, Brazil", "America/Sao_Paulo", -180),
    (
        "Buenos Aires, Argentina",
        "America/Argentina/Buenos_Aires",
        -180,
    ),
    ("Mexico City, Mexico", "America/Mexico_City", -360),
    ("Bogotá, Colombia", "America/Bogota", -300),
    ("New York, United States", "America/New_York", -300),
    ("Chicago, United States", "America/Chicago", -360),
    ("Vancouver, Canada", "America/Vancouver", -480),
];
