//! The vault's settings, kept in its database so the app and the CLI share them.
//!
//! The default currency is what a receipt's bare amounts are taken to be in when the
//! receipt names no currency and nothing on it points to a country. Until a person sets
//! it, it is guessed from the system locale (`LC_ALL`, `LC_MONETARY`, `LANG`: "ms_MY.UTF-8"
//! is Malaysia, so ringgit); without a territory there, there is none, and such totals
//! are not taken.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vault::handle::Vault;
use crate::vault::money::Currency;

const DEFAULT_CURRENCY: &str = "default_currency";

/// The default currency and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DefaultCurrency {
    /// The currency in effect, if any.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub currency: Option<Currency>,
    /// A person chose it (else it is the locale's guess).
    pub chosen: bool,
    /// What the system locale suggests, shown beside the choice.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub locale: Option<Currency>,
}

impl Vault {
    /// The default currency: the one a person set, else the system locale's.
    pub fn default_currency(&self) -> Result<DefaultCurrency> {
        let locale = locale_currency();
        Ok(match chosen_currency(&self.conn)? {
            Some(c) => DefaultCurrency {
                currency: Some(c),
                chosen: true,
                locale,
            },
            None => DefaultCurrency {
                currency: locale,
                chosen: false,
                locale,
            },
        })
    }

    /// Sets the default currency (an ISO 4217 code), or with `None` goes back to the
    /// locale's guess. Vouchers already read keep their facts; the setting applies to
    /// what is read from now on (and to "read again").
    pub fn set_default_currency(&mut self, code: Option<&str>) -> Result<DefaultCurrency> {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => {
                let c = Currency::parse(code).ok_or_else(|| {
                    Error::Invalid(format!(
                        "{code:?} is not a currency code (three letters, like EUR or MYR)"
                    ))
                })?;
                self.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    params![DEFAULT_CURRENCY, c.code()],
                )?;
            }
            None => {
                self.conn
                    .execute("DELETE FROM settings WHERE key = ?1", [DEFAULT_CURRENCY])?;
            }
        }
        self.default_currency()
    }
}

/// The default currency in effect for the vault of `conn`.
pub(crate) fn default_currency_of(conn: &Connection) -> Result<Option<Currency>> {
    Ok(chosen_currency(conn)?.or_else(locale_currency))
}

/// The currency a person set, if any.
fn chosen_currency(conn: &Connection) -> Result<Option<Currency>> {
    let chosen: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [DEFAULT_CURRENCY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(chosen.as_deref().and_then(Currency::parse))
}

/// The currency of the system locale's territory: the first of `LC_ALL`, `LC_MONETARY`
/// and `LANG` that is set ("de_AT.UTF-8" -> EUR, "en_MY" -> MYR; "C", "POSIX" or a
/// language alone -> none).
pub fn locale_currency() -> Option<Currency> {
    ["LC_ALL", "LC_MONETARY", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| currency_of_locale(&v))
}

/// "en_MY.UTF-8@euro" -> the currency of MY.
fn currency_of_locale(locale: &str) -> Option<Currency> {
    let name = locale.split(['.', '@']).next()?;
    let (_, territory) = name.split_once(['_', '-'])?;
    Currency::of_territory(territory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locales_territory_names_the_currency() {
        let code = |l: &str| currency_of_locale(l).map(|c| c.code().to_string());
        assert_eq!(code("ms_MY.UTF-8").as_deref(), Some("MYR"));
        assert_eq!(code("en_MY").as_deref(), Some("MYR"));
        assert_eq!(code("de_AT.UTF-8@euro").as_deref(), Some("EUR"));
        assert_eq!(code("de_CH.UTF-8").as_deref(), Some("CHF"));
        assert_eq!(code("en_US.UTF-8").as_deref(), Some("USD"));
        assert_eq!(code("zh-TW").as_deref(), Some("TWD"));
        assert_eq!(code("C.UTF-8"), None);
        assert_eq!(code("POSIX"), None);
        assert_eq!(code("de"), None);
        assert_eq!(code("xx_QQ"), None);
    }

    #[test]
    fn a_chosen_currency_is_kept_and_can_be_unset() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = Vault::open_or_create(&dir.path().join("v")).unwrap();
        let locale = locale_currency();
        let d = v.default_currency().unwrap();
        assert_eq!((d.currency, d.chosen), (locale, false));
        let d = v.set_default_currency(Some(" myr ")).unwrap();
        assert_eq!(
            d.currency.map(|c| c.code().to_string()).as_deref(),
            Some("MYR")
        );
        assert!(d.chosen);
        drop(v);
        let mut v = Vault::open(&dir.path().join("v")).unwrap();
        assert!(v.default_currency().unwrap().chosen);
        let e = v.set_default_currency(Some("ringgit")).unwrap_err();
        assert!(e.to_string().contains("ringgit"), "{e}");
        let d = v.set_default_currency(None).unwrap();
        assert_eq!((d.currency, d.chosen), (locale, false));
    }
}
