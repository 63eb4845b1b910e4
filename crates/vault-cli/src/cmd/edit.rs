//! Changing vouchers: `edit` (with reading an amount and currency from the command line),
//! `review`, `trash`, `restore` and `empty-trash`.

use super::search::print_voucher;
use crate::output::{fail, print_json, Exit};
use anyhow::{anyhow, bail, Result};
use std::path::Path;
use vault_core::{Currency, Edit, Money, Vault};

/// What `vault edit` was asked to change, as given on the command line.
#[derive(clap::Args)]
pub struct EditArgs {
    #[arg(long)]
    pub merchant: Option<String>,
    /// Amount as a decimal ("49.99"), optionally with the currency ("49.99 EUR")
    #[arg(long)]
    pub amount: Option<String>,
    /// ISO 4217 code, e.g. EUR
    #[arg(long)]
    pub currency: Option<String>,
    /// Remove the amount
    #[arg(long, conflicts_with = "amount")]
    pub clear_amount: bool,
    /// When the payment happened: YYYY-MM-DD, "YYYY-MM-DD HH:MM" or RFC 3339
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub payment_method: Option<String>,
    #[arg(long)]
    pub order_ref: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Add a tag (repeatable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long = "untag")]
    pub untags: Vec<String>,
}

pub fn edit(dir: &Path, json: bool, id: i64, args: EditArgs) -> Result<u8, Exit> {
    let EditArgs {
        merchant,
        amount,
        currency,
        clear_amount,
        date,
        payment_method,
        order_ref,
        title,
        notes,
        tags,
        untags,
    } = args;
    let mut v = Vault::open(dir).map_err(fail)?;
    let current = v.get(id).map_err(fail)?;
    let amount = if clear_amount {
        Some(None)
    } else if amount.is_some() || currency.is_some() {
        Some(Some(
            parse_money(
                amount.as_deref(),
                currency.as_deref(),
                current.summary.amount,
            )
            .map_err(|e| Exit(2, e))?,
        ))
    } else {
        None
    };
    let opt = |s: Option<String>| s.map(|s| if s.trim().is_empty() { None } else { Some(s) });
    let edit = Edit {
        title,
        merchant: opt(merchant),
        amount,
        payment_method: opt(payment_method),
        order_ref: opt(order_ref),
        occurred_at: date,
        notes,
        tags: None,
        add_tags: tags,
        remove_tags: untags,
    };
    let updated = v.edit(id, &edit).map_err(fail)?;
    if json {
        print_json(&updated)?;
    } else {
        print_voucher(&updated, &v);
    }
    Ok(0)
}

pub fn review(dir: &Path, json: bool, ids: &[i64], undo: bool) -> Result<u8, Exit> {
    changed(
        dir,
        json,
        if undo {
            "back in Needs review"
        } else {
            "marked as reviewed"
        },
        |v| v.set_reviewed(ids, !undo),
    )
}

pub fn trash(dir: &Path, json: bool, ids: &[i64]) -> Result<u8, Exit> {
    changed(dir, json, "moved to the Trash", |v| v.trash(ids))
}

pub fn restore(dir: &Path, json: bool, ids: &[i64]) -> Result<u8, Exit> {
    changed(dir, json, "restored", |v| v.restore(ids))
}

/// Refuses (exit code 2) without `--yes`.
pub fn empty_trash(dir: &Path, json: bool, yes: bool) -> Result<u8, Exit> {
    if !yes {
        return Err(Exit(
            2,
            anyhow!("emptying the Trash deletes its originals for good; add --yes"),
        ));
    }
    changed(dir, json, "deleted for good", |v| v.empty_trash())
}

/// Run a change over some vouchers and say how many changed.
fn changed(
    dir: &Path,
    json: bool,
    what: &str,
    f: impl FnOnce(&mut Vault) -> vault_core::Result<usize>,
) -> Result<u8, Exit> {
    let mut v = Vault::open(dir).map_err(fail)?;
    let n = f(&mut v).map_err(fail)?;
    if json {
        print_json(&serde_json::json!({ "changed": n }))?;
    } else {
        println!("{n} {} {what}", if n == 1 { "voucher" } else { "vouchers" });
    }
    Ok(0)
}

/// "49.99", "49.99 EUR", "EUR 49.99" with an optional separate --currency.
fn parse_money(
    amount: Option<&str>,
    currency: Option<&str>,
    current: Option<Money>,
) -> Result<Money> {
    let mut cur = currency.map(|c| {
        Currency::parse(c)
            .ok_or_else(|| anyhow!("{c:?} is not an ISO 4217 currency code such as EUR or USD"))
    });
    let mut number = None;
    if let Some(a) = amount {
        for part in a.split_whitespace() {
            if part.chars().all(|c| c.is_ascii_alphabetic()) {
                if cur.is_none() {
                    cur = Some(Currency::parse(part).ok_or_else(|| {
                        anyhow!("{part:?} is not an ISO 4217 currency code such as EUR or USD")
                    }));
                }
            } else {
                number = Some(part.to_string());
            }
        }
    }
    if cur.is_some() && number.is_none() && current.is_some() {
        bail!("give the amount in the new currency too, e.g. --amount \"3000 JPY\"");
    }
    let cur = match cur {
        Some(c) => c?,
        None => match current {
            Some(m) => m.currency,
            None => bail!("give the currency too, e.g. --amount \"49.99 EUR\" or --currency EUR"),
        },
    };
    let minor = match number {
        Some(n) => {
            let n = n.replace(',', ".");
            vault_core::vault::money::parse_amount(&n, cur).ok_or_else(|| {
                anyhow!(
                    "{n:?} is not an amount in {cur} (use digits with at most {} decimals)",
                    cur.exponent()
                )
            })?
        }
        None => match current {
            Some(m) => m.minor,
            None => bail!("give the amount too, e.g. --amount 49.99"),
        },
    };
    Ok(Money {
        minor,
        currency: cur,
    })
}
