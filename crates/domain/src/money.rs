//! Money: integer amounts in the minor unit of an ISO 4217 currency. No floating point anywhere
//! money is counted; splits round down and the remainder goes to a named party.

use serde::{Deserialize, Serialize};
use std::fmt;

/// ISO 4217 codes Guildhall accepts, with the number of digits of their minor unit (ISO 4217
/// "minor unit" column: 2 for cents, 0 for yen and won). Kept short on purpose: a typo in a
/// currency is worse than a missing exotic one.
const CURRENCIES: &[(&str, u8)] = &[
    ("AUD", 2),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("JPY", 0),
    ("KES", 2),
    ("KRW", 0),
    ("MXN", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("PHP", 2),
    ("PLN", 2),
    ("RON", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TRY", 2),
    ("UAH", 2),
    ("USD", 2),
    ("ZAR", 2),
];

/// The codes of every currency Guildhall counts money in.
pub fn currency_codes() -> impl Iterator<Item = &'static str> {
    CURRENCIES.iter().map(|(code, _)| *code)
}

/// An accepted ISO 4217 currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(&'static str);

impl Currency {
    /// Parses a code such as `EUR` (case-insensitive, surrounding spaces ignored).
    pub fn parse(raw: &str) -> Result<Currency, &'static str> {
        let code = raw.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, _)| Currency(c))
            .ok_or("must be an ISO 4217 code such as EUR or USD")
    }

    /// The code.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// Digits of the minor unit.
    pub fn exponent(self) -> u8 {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map_or(2, |(_, e)| *e)
    }

    /// Reads an amount written in major units (`80`, `80.50`; `8000` for JPY) as minor units.
    /// Refuses signs, exponents, more decimals than the currency has, and more than 12 digits
    /// before the point.
    pub fn parse_amount(self, raw: &str) -> Result<i64, &'static str> {
        let digits = usize::from(self.exponent());
        let raw = raw.trim();
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let well_formed = !whole.is_empty()
            && whole.len() <= 12
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && frac.len() <= digits;
        if !well_formed {
            return Err(if digits == 0 {
                "must be a whole amount such as 8000"
            } else {
                "must be an amount such as 80 or 80.50"
            });
        }
        let padded = format!("{whole}{frac:0<digits$}");
        padded.parse().map_err(|_| "is too large")
    }

    /// Every accepted code.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        CURRENCIES.iter().map(|(c, _)| *c)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Currency::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// An amount of one currency, in its minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Minor units (cents for EUR, yen for JPY).
    pub minor: i64,
    /// The currency `minor` counts in; serialised as its ISO 4217 code, such as `EUR`.
    pub currency: Currency,
}

impl Money {
    /// An amount.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// The amount as people read it, in the currency's own sign where it has one and with
    /// thousands grouped: `€1,234.50`, `¥1,500`, `CHF 80.00`, `-€5.00`.
    pub fn display(self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let number = group_thousands(&self.major_digits());
        match symbol(self.currency.code()) {
            Some(symbol) => format!("{sign}{symbol}{number}"),
            None => format!("{sign}{} {number}", self.currency),
        }
    }

    /// The amount for files meant for other programs (CSV statements): `1234.50 EUR`, no
    /// grouping, the code after the number.
    pub fn plain(self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        format!("{sign}{} {}", self.major_digits(), self.currency)
    }

    /// The amount as a form field shows it for editing, which [`Currency::parse_amount`] reads
    /// back: `1234.50`, `80` for a whole amount, `8000` for yen.
    pub fn decimal(self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let digits = self.major_digits();
        let whole = digits.strip_suffix(&format!(
            ".{}",
            "0".repeat(usize::from(self.currency.exponent()))
        ));
        format!("{sign}{}", whole.unwrap_or(&digits))
    }

    /// The absolute amount in major units, without grouping: `1234.50`, `1500`.
    fn major_digits(self) -> String {
        let e = u32::from(self.currency.exponent());
        let abs = self.minor.unsigned_abs();
        if e == 0 {
            return abs.to_string();
        }
        let scale = 10u64.pow(e);
        format!(
            "{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = e as usize
        )
    }
}

/// The sign a currency is written with, where it is unambiguous among the accepted ones
/// (the dollars and yuan carry their country's letters, as in CLDR's English short forms).
fn symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        "CNY" => "CN¥",
        "INR" => "₹",
        "KRW" => "₩",
        "AUD" => "A$",
        "CAD" => "CA$",
        "NZD" => "NZ$",
        "HKD" => "HK$",
        "MXN" => "MX$",
        "BRL" => "R$",
        "ILS" => "₪",
        "NGN" => "₦",
        "PHP" => "₱",
        "UAH" => "₴",
        "TRY" => "₺",
        "THB" => "฿",
        _ => return None,
    })
}

/// `1234567.50` → `1,234,567.50`.
fn group_thousands(digits: &str) -> String {
    let (whole, frac) = digits.split_at(digits.find('.').unwrap_or(digits.len()));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + frac
}

/// `amount × basis_points / 10 000`, rounded down, without overflow. Basis points are
/// hundredths of a percent: 250 is 2.5 %.
pub fn share(amount: i64, basis_points: u32) -> i64 {
    (i128::from(amount) * i128::from(basis_points) / 10_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_major_units() {
        let eur = Currency::parse("EUR").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(eur.parse_amount("80"), Ok(8000));
        assert_eq!(eur.parse_amount(" 80.5 "), Ok(8050));
        assert_eq!(eur.parse_amount("0.07"), Ok(7));
        assert_eq!(jpy.parse_amount("8000"), Ok(8000));
        for bad in ["80.5", "-1", "1e3", "", ".5", "1,000", "9999999999999"] {
            assert!(jpy.parse_amount(bad).is_err() || bad == "80.5", "{bad}");
            assert!(eur.parse_amount(bad).is_err() || bad == "80.5", "{bad}");
        }
        assert!(jpy.parse_amount("80.5").is_err());
        assert!(eur.parse_amount("80.505").is_err());
        assert_eq!(eur.parse_amount("999999999999.99"), Ok(99_999_999_999_999));
    }

    #[test]
    fn currencies_parse_and_show() {
        let eur = Currency::parse(" eur ").unwrap();
        assert_eq!(eur.code(), "EUR");
        assert!(Currency::parse("EURO").is_err());
        assert!(Currency::parse("XXX").is_err());
        assert_eq!(Money::new(123_450, eur).display(), "€1,234.50");
        assert_eq!(Money::new(150_000_000, eur).display(), "€1,500,000.00");
        assert_eq!(Money::new(-5, eur).display(), "-€0.05");
        assert_eq!(Money::new(99_999, eur).plain(), "999.99 EUR");
        assert_eq!(Money::new(-123_450, eur).plain(), "-1234.50 EUR");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Money::new(1500, jpy).display(), "¥1,500");
        let chf = Currency::parse("CHF").unwrap();
        assert_eq!(Money::new(8_000, chf).display(), "CHF 80.00");
    }

    #[test]
    fn a_form_field_shows_an_amount_as_parse_amount_reads_it() {
        let (eur, jpy) = (
            Currency::parse("EUR").unwrap(),
            Currency::parse("JPY").unwrap(),
        );
        for (minor, currency, text) in [
            (8_050, eur, "80.50"),
            (8_000, eur, "80"),
            (5, eur, "0.05"),
            (8_000, jpy, "8000"),
            (123_456_700, eur, "1234567"),
        ] {
            assert_eq!(Money::new(minor, currency).decimal(), text);
            assert_eq!(currency.parse_amount(text), Ok(minor));
        }
    }

    #[test]
    fn shares_round_down_and_never_overflow() {
        assert_eq!(share(10_000, 250), 250);
        assert_eq!(share(999, 1000), 99);
        assert_eq!(share(i64::MAX, 10_000), i64::MAX);
        assert_eq!(share(1, 9_999), 0);
    }
}
