//! Reading the vault: `list`, `search` and `show`, with the one-line-per-voucher table and
//! the full voucher view (which `edit` also prints after a change).

use crate::output::{fail, print_json, trunc, Exit};
use anyhow::anyhow;
use std::path::Path;
use vault_core::{Order, Vault};

pub fn list(dir: &Path, json: bool, limit: i64, offset: i64, order: &str) -> Result<u8, Exit> {
    let v = Vault::open(dir).map_err(fail)?;
    let items = match parse_order(order)? {
        Order::Newest => v.list(offset, limit).map_err(fail)?,
        order => v
            .search("", order, offset, limit)
            .map_err(fail)?
            .hits
            .into_iter()
            .map(|h| h.voucher)
            .collect(),
    };
    if json {
        print_json(&items)?;
    } else {
        print_table(items.iter(), None);
        println!("({} of {} vouchers)", items.len(), v.count().map_err(fail)?);
    }
    Ok(0)
}

pub fn search(
    dir: &Path,
    json: bool,
    query: &[String],
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<u8, Exit> {
    let v = Vault::open(dir).map_err(fail)?;
    let order = parse_order(order)?;
    let q = query.join(" ");
    let res = v.search(&q, order, offset, limit).map_err(fail)?;
    if json {
        print_json(&res)?;
    } else {
        for h in &res.hits {
            print_table(std::iter::once(&h.voucher), h.snippet.as_deref());
        }
        if res.hits.is_empty() {
            println!("no vouchers match");
        } else if res.more {
            println!("(more: use --offset {})", offset.saturating_add(limit));
        }
    }
    Ok(0)
}

pub fn show(dir: &Path, json: bool, id: i64) -> Result<u8, Exit> {
    let v = Vault::open(dir).map_err(fail)?;
    let item = v.get(id).map_err(fail)?;
    if json {
        print_json(&item)?;
    } else {
        print_voucher(&item, &v);
    }
    Ok(0)
}

fn parse_order(order: &str) -> Result<Order, Exit> {
    Order::parse(order).ok_or_else(|| {
        Exit(
            2,
            anyhow!("--order {order}: use newest, oldest, relevance, amount, amount-asc, merchant or added"),
        )
    })
}

fn print_table<'a>(
    items: impl Iterator<Item = &'a vault_core::VoucherSummary>,
    snippet: Option<&str>,
) {
    for s in items {
        println!(
            "{:>6}  {}  {:<6} {:<22} {:>16}  {}",
            s.id,
            s.occurred_at.get(..10).unwrap_or(""),
            s.kind.as_str(),
            trunc(s.merchant.as_deref().unwrap_or("-"), 22),
            s.amount_display.as_deref().unwrap_or("-"),
            trunc(&s.title, 50)
        );
        if let Some(sn) = snippet {
            println!("        {}", trunc(sn, 200));
        }
    }
}

/// Everything about one voucher, one fact a line, then its text.
pub fn print_voucher(v: &vault_core::Voucher, vault: &Vault) {
    print_facts(v);
    print_file(v, vault);
    if !v.text.is_empty() {
        println!("\n{}", trunc(&v.text, 2000));
    }
    if !v.ocr_text.is_empty() {
        println!("\n[OCR]\n{}", trunc(&v.ocr_text, 2000));
    }
}

/// The payment facts, with where each came from, and the voucher's state.
fn print_facts(v: &vault_core::Voucher) {
    let s = &v.summary;
    let c = &v.confidence;
    let origin = |o: vault_core::Origin, conf: Option<f64>| match (o, conf) {
        (vault_core::Origin::User, _) => " (yours)".to_string(),
        (vault_core::Origin::Extracted, Some(c)) => format!(" ({:.0} % sure)", c * 100.0),
        (vault_core::Origin::Extracted, None) => String::new(),
    };
    println!("Voucher {}: {}", s.id, s.title);
    println!("  kind          {} ({})", s.kind.as_str(), s.media_type);
    match s.occurred_source {
        vault_core::DateSource::FileMtime => println!(
            "  date          none known (the file was last changed {})",
            s.occurred_at
        ),
        vault_core::DateSource::Added => {
            println!("  date          none known (added {})", s.occurred_at)
        }
        source => println!(
            "  date          {} (from {})",
            s.occurred_at,
            source.as_str()
        ),
    }
    match &v.merchant_fact {
        Some(f) => println!(
            "  merchant      {}{}",
            f.value,
            origin(f.origin, c.merchant)
        ),
        None => println!("  merchant      -"),
    }
    match &v.amount_fact {
        Some(f) => println!(
            "  amount        {}{}",
            f.value.display(),
            origin(f.origin, c.amount)
        ),
        None => println!("  amount        -"),
    }
    if let Some(f) = &v.payment_method {
        println!(
            "  paid with     {}{}",
            f.value,
            origin(f.origin, c.payment_method)
        );
    }
    if let Some(f) = &v.order_ref {
        println!(
            "  order/ref     {}{}",
            f.value,
            origin(f.origin, c.order_ref)
        );
    }
    if let Some(t) = &v.tax {
        println!("  tax           {}", t.display());
    }
    if s.needs_review {
        println!("  review        needs review (missing or uncertain amount or date)");
    } else if let Some(r) = &v.reviewed_at {
        println!("  review        reviewed {r}");
    }
    match (s.ocr_state, &v.ocr_error) {
        (vault_core::OcrState::None, _) => {}
        (state, Some(e)) => println!("  ocr           {}: {e}", state.as_str()),
        (state, None) => println!("  ocr           {}", state.as_str()),
    }
    if let Some(d) = &s.deleted_at {
        println!("  in the Trash  since {d}");
    }
    if !s.tags.is_empty() {
        println!("  tags          {}", s.tags.join(", "));
    }
    if !v.notes.is_empty() {
        println!("  notes         {}", v.notes);
    }
}

/// The original: its file, hash, where it is stored and where it came from.
fn print_file(v: &vault_core::Voucher, vault: &Vault) {
    let s = &v.summary;
    println!("  file          {} ({} bytes)", s.original_name, s.size);
    println!("  sha256        {}", s.sha256);
    println!(
        "  stored at     {}",
        vault.store().path(&s.sha256).display()
    );
    println!("  added         {}", s.added_at);
    for src in &v.sources {
        println!("  from          {}", src.path);
    }
    if let (Some(w), Some(h)) = (v.width, v.height) {
        println!("  size          {w}×{h} px");
    }
    if let Some(e) = &v.email {
        println!("  email from    {}", e.from);
        println!("  email to      {}", e.to);
        println!("  subject       {}", e.subject);
    }
    if let Some(p) = s.parent_id {
        println!("  attached to   voucher {p}");
    }
    if !v.attachments.is_empty() {
        println!(
            "  attachments   {}",
            v.attachments
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for w in &v.warnings {
        println!("  note          {w}");
    }
}
