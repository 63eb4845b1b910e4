//! Money as integer minor units plus an ISO 4217 currency code.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Active ISO 4217 alphabetic codes with their minor-unit exponent.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// Territories (ISO 3166-1 alpha-2) and the currency they pay in: the euro area, the
/// other European currencies, the Americas, Asia-Pacific, the Middle East and Africa's
/// largest economies.
#[rustfmt::skip]
pub const TERRITORIES: &[(&str, &str)] = &[
    ("AT", "EUR"), ("BE", "EUR"), ("CY", "EUR"), ("DE", "EUR"), ("EE", "EUR"), ("ES", "EUR"),
    ("FI", "EUR"), ("FR", "EUR"), ("GR", "EUR"), ("HR", "EUR"), ("IE", "EUR"), ("IT", "EUR"),
    ("LT", "EUR"), ("LU", "EUR"), ("LV", "EUR"), ("MT", "EUR"), ("NL", "EUR"), ("PT", "EUR"),
    ("SI", "EUR"), ("SK", "EUR"), ("MC", "EUR"), ("AD", "EUR"), ("SM", "EUR"), ("VA", "EUR"),
    ("ME", "EUR"), ("XK", "EUR"),
    ("GB", "GBP"), ("CH", "CHF"), ("LI", "CHF"), ("SE", "SEK"), ("NO", "NOK"), ("DK", "DKK"),
    ("IS", "ISK"), ("PL", "PLN"), ("CZ", "CZK"), ("HU", "HUF"), ("RO", "RON"), ("BG", "BGN"),
    ("RS", "RSD"), ("BA", "BAM"), ("MK", "MKD"), ("AL", "ALL"), ("MD", "MDL"), ("UA", "UAH"),
    ("BY", "BYN"), ("RU", "RUB"), ("TR", "TRY"), ("GE", "GEL"), ("AM", "AMD"), ("AZ", "AZN"),
    ("US", "USD"), ("CA", "CAD"), ("MX", "MXN"), ("BR", "BRL"), ("AR", "ARS"), ("CL", "CLP"),
    ("CO", "COP"), ("PE", "PEN"), ("UY", "UYU"), ("PY", "PYG"), ("BO", "BOB"), ("EC", "USD"),
    ("VE", "VES"), ("CR", "CRC"), ("PA", "PAB"), ("GT", "GTQ"), ("DO", "DOP"), ("JM", "JMD"),
    ("PR", "USD"), ("SV", "USD"),
    ("CN", "CNY"), ("HK", "HKD"), ("MO", "MOP"), ("TW", "TWD"), ("JP", "JPY"), ("KR", "KRW"),
    ("MY", "MYR"), ("SG", "SGD"), ("ID", "IDR"), ("TH", "THB"), ("VN", "VND"), ("PH", "PHP"),
    ("IN", "INR"), ("PK", "PKR"), ("BD", "BDT"), ("LK", "LKR"), ("NP", "NPR"), ("KH", "KHR"),
    ("MM", "MMK"), ("LA", "LAK"), ("BN", "BND"), ("MN", "MNT"), ("KZ", "KZT"), ("UZ", "UZS"),
    ("AU", "AUD"), ("NZ", "NZD"), ("FJ", "FJD"), ("PG", "PGK"),
    ("AE", "AED"), ("SA", "SAR"), ("QA", "QAR"), ("KW", "KWD"), ("BH", "BHD"), ("OM", "OMR"),
    ("IL", "ILS"), ("JO", "JOD"), ("LB", "LBP"), ("EG", "EGP"), ("IR", "IRR"), ("IQ", "IQD"),
    ("ZA", "ZAR"), ("NG", "NGN"), ("KE", "KES"), ("GH", "GHS"), ("MA", "MAD"), ("TN", "TND"),
    ("DZ", "DZD"), ("ET", "ETB"), ("TZ", "TZS"), ("UG", "UGX"), ("ZM", "ZMW"), ("BW", "BWP"),
    ("NA", "NAD"), ("MU", "MUR"), ("SN", "XOF"), ("CI", "XOF"), ("CM", "XAF"),
];

/// An ISO 4217 currency code known to this program.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Parse a code, case-insensitively. Unknown codes are `None`.
    pub fn parse(code: &str) -> Option<Currency> {
        let up = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == up)
            .map(|(c, _)| Currency(c.as_bytes().try_into().unwrap_or([b'X'; 3])))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// The currency of a territory by its ISO 3166 code ("MY" -> MYR, "AT" -> EUR),
    /// case-insensitively; `None` for a territory not in [`TERRITORIES`].
    pub fn of_territory(code: &str) -> Option<Currency> {
        let up = code.trim().to_ascii_uppercase();
        TERRITORIES
            .iter()
            .find(|(t, _)| *t == up)
            .and_then(|(_, c)| Currency::parse(c))
    }

    /// Number of decimal digits of the minor unit (2 for EUR, 0 for JPY, 3 for KWD).
    pub fn exponent(&self) -> u32 {
        CURRENCIES
            .iter()
            .find(|(c, _)| c.as_bytes() == self.0)
            .map(|(_, e)| *e as u32)
            .unwrap_or(2)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown currency code {s:?}")))
    }
}

/// A decimal number as typed by a person ("12.50", "1234", "-3.5"), kept exact:
/// `units / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub units: i64,
    pub scale: u32,
}

impl Decimal {
    /// Parse a plain decimal with `.` as the separator and no grouping.
    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if int.len() + frac.len() > 17 {
            return None;
        }
        let digits = format!("{int}{frac}");
        let mut units: i64 = digits.parse().ok()?;
        if neg {
            units = -units;
        }
        Some(Decimal {
            units,
            scale: frac.len() as u32,
        })
    }

    /// Convert to minor units of a currency; `None` if that would lose digits.
    pub fn to_minor(self, currency: Currency) -> Option<i64> {
        let exp = currency.exponent();
        if self.scale <= exp {
            self.units.checked_mul(10i64.checked_pow(exp - self.scale)?)
        } else {
            let div = 10i64.checked_pow(self.scale - exp)?;
            if self.units % div == 0 {
                Some(self.units / div)
            } else {
                None
            }
        }
    }
}

/// Parse "49.99 EUR", "EUR 49.99" or "49.99" with a separate currency into minor units.
pub fn parse_amount(amount: &str, currency: Currency) -> Option<i64> {
    Decimal::parse(amount)?.to_minor(currency)
}

/// Format minor units as a plain decimal string ("49.99", "3000" for JPY).
pub fn format_minor(minor: i64, currency: Currency) -> String {
    let exp = currency.exponent();
    if exp == 0 {
        return minor.to_string();
    }
    let div = 10i64.pow(exp);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / div as u64,
        abs % div as u64,
        width = exp as usize
    )
}

impl Money {
    /// "49.99 EUR"
    pub fn display(&self) -> String {
        format!(
            "{} {}",
            format_minor(self.minor, self.currency),
            self.currency
        )
    }
}

/// An amount of money: integer minor units plus an ISO 4217 code. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Money {
    /// Amount in the currency's minor units (cents for EUR, yen for JPY).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub minor: i64,
    /// ISO 4217 alphabetic code, upper case.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_territory_pays_in_a_known_currency() {
        for (t, c) in TERRITORIES {
            assert_eq!(
                Currency::of_territory(t)
                    .map(|c| c.code().to_string())
                    .as_deref(),
                Some(*c),
                "{t}"
            );
        }
        assert_eq!(
            Currency::of_territory("my")
                .map(|c| c.code().to_string())
                .as_deref(),
            Some("MYR")
        );
        assert_eq!(Currency::of_territory("QQ"), None);
    }

    #[test]
    fn currencies_parse_and_have_exponents() {
        let eur = Currency::parse("eur").unwrap();
        assert_eq!(eur.code(), "EUR");
        assert_eq!(eur.exponent(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::parse("KWD").unwrap().exponent(), 3);
        assert!(Currency::parse("XYZ").is_none());
        assert!(Currency::parse("").is_none());
    }

    #[test]
    fn decimals_convert_exactly() {
        let eur = Currency::parse("EUR").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(parse_amount("49.99", eur), Some(4999));
        assert_eq!(parse_amount("12.5", eur), Some(1250));
        assert_eq!(parse_amount("12", eur), Some(1200));
        assert_eq!(parse_amount("3000", jpy), Some(3000));
        assert_eq!(parse_amount("30.5", jpy), None);
        assert_eq!(parse_amount("1.005", eur), None);
        assert_eq!(parse_amount("abc", eur), None);
        assert_eq!(parse_amount("1e5", eur), None);
        assert_eq!(parse_amount("99999999999999999999", eur), None);
    }

    #[test]
    fn formats() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(format_minor(4999, eur), "49.99");
        assert_eq!(format_minor(5, eur), "0.05");
        assert_eq!(format_minor(-150, eur), "-1.50");
        assert_eq!(format_minor(3000, Currency::parse("JPY").unwrap()), "3000");
    }
}
