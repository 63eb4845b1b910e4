//! Tests of [`extract`] on till receipts and scanned (OCR) receipts: tax lines, bare
//! numbers, cash given and change, tax tables, misread totals and dates.

use super::{date, money, none};
use crate::understand::extract::date::repaired_year;
use crate::understand::extract::*;
use crate::vault::money::Currency;

fn eur(minor: i64) -> Money {
    Money {
        minor,
        currency: Currency::parse("EUR").unwrap(),
    }
}

fn amount(text: &str) -> Option<Scored<Money>> {
    extract(text, &Hints::default()).amount
}

fn tax(text: &str) -> Option<Money> {
    extract(text, &Hints::default()).tax.map(|t| t.value)
}

#[test]
fn tax_amounts() {
    let usd = |m| Money {
        minor: m,
        currency: Currency::parse("USD").unwrap(),
    };
    for (text, want) in [
        ("Subtotal $10.00\nTax $0.80\nTotal $10.80", Some(usd(80))),
        (
            "Subtotal $10.00\nSales Tax\n$0.80\nTotal $10.80",
            Some(usd(80)),
        ),
        ("inkl. 19 % MwSt. 3,19 €\nSumme 19,99 €", Some(eur(319))),
        (
            "MwSt 19% von 16,80 €: 3,19 €\nSumme 19,99 €",
            Some(eur(319)),
        ),
        (
            "Summe 24,23 €\nMwSt 7% 1,21 €\nMwSt 19% 0,91 €",
            Some(eur(212)),
        ),
        ("USt-IdNr. DE123456789\nSumme 19,99 €", None),
        ("Total incl. VAT 23,00 €", None),
        ("Net amount 10,00 €\nTotal 12,00 €", None),
        // A tax as large as the total is not a tax.
        ("Tax 12,00 €\nTotal 12,00 €", None),
    ] {
        assert_eq!(tax(text), want, "{text:?}");
    }
}

#[test]
fn till_receipts_without_currency_markers() {
    // "EUR" printed once above the items gives the bare amounts their currency.
    let a = amount("EUR\nBananen 0,19 A\nzu zahlen 7,16\nBar 10,00\nRückgeld -2,84").unwrap();
    assert_eq!(a.value, eur(716));
    assert!(a.confidence >= 0.6, "{a:?}");
    // Only the language says euro: taken, but sent to review.
    let a = amount("Summe 12,50\nVielen Dank").unwrap();
    assert_eq!(a.value, eur(1250));
    assert!(a.confidence < 0.6, "{a:?}");
    // Nothing says which currency: no amount.
    assert_eq!(amount("Total 12.50"), None);
}

#[test]
fn item_counts_are_not_amounts() {
    assert_eq!(amount("SUMME [3] EUR 152,00").unwrap().value, eur(15200));
    assert_eq!(amount("SUMME (2) EUR 15,20").unwrap().value, eur(1520));
    assert_eq!(amount("SUMME 3 EUR 152,00").unwrap().value, eur(15200));
}

#[test]
fn cash_given_minus_change_is_the_total() {
    // The total's label was lost by OCR ("DUMME").
    let a = amount("DUMME_E 19.99 *\nGEGEBEN BAR 20.00\nRUCKGELD EUR 0.01").unwrap();
    assert_eq!(a.value, eur(1999));
    // It confirms a labelled total.
    let a = amount("ZU ZAHLEN EURO 8,83\nBARGELD 20,03\nZURÜCK 11,20").unwrap();
    assert_eq!(a.value, eur(883));
    assert!(a.confidence >= 0.6, "{a:?}");
}

#[test]
fn tax_table_rows_are_not_the_total() {
    let text =
        "EUR\nKreditkarte 19,77\nMWST + Netto = Brutto\nB 19% 17,44 2,33 19,77\nSumme 2,33 17,44\n";
    assert_eq!(amount(text).unwrap().value, eur(1977));
}

#[test]
fn an_amount_printed_twice_is_preferred() {
    let text = "EUR\nSumme 2,33\nKreditkarte 19,77\nEUR 19,77";
    assert_eq!(amount(text).unwrap().value, eur(1977));
}

#[test]
fn kr_in_a_euro_document_is_noise() {
    let a = amount("EUR\nKr 8,83\nZU ZAHLEN EURO 8,83").unwrap();
    assert_eq!(a.value, eur(883));
    let sek = amount("Totalt 8,83 kr").unwrap();
    assert_eq!(sek.value.currency.code(), "SEK");
}

#[test]
fn a_date_label_does_not_label_the_next_amount() {
    let text =
        "Bezahlt am 28.02.2026\n\nNotizbuch EUR 1,96\nZwischensumme EUR 1,96\nGesamt EUR 8,76";
    assert_eq!(amount(text).unwrap().value, eur(876));
}

#[test]
fn scanned_receipt_merchants() {
    let m = |t: &str| extract(t, &Hints::default()).merchant.map(|m| m.value);
    assert_eq!(
        m("= DELPHIN\nDetmolder Straße 8").as_deref(),
        Some("DELPHIN")
    );
    // A known chain is named as the list of known merchants spells it.
    assert_eq!(m("LIDL |\nWarburger Straße 130").as_deref(), Some("Lidl"));
    // Logo noise, an address, opening hours: the company line at the bottom wins.
    let text = "Av olay e Y\nPohlweg 110\n33100 Paderborn\nUNSERE ÖFFNUNGSZEITEN\nBANANEN 0,20 C\nZU ZAHLEN 0,20\nAldi GmbH & Co. KG, Schloß Holte";
    assert_eq!(m(text).as_deref(), Some("Aldi"));
    let unknown = text.replace("Aldi", "Albers");
    assert_eq!(m(&unknown).as_deref(), Some("Albers GmbH & Co. KG"));
    assert_eq!(m("ES | RAN\nEUR\n33100 Paderborn"), None);
    // A letter-spaced logo right above the address.
    assert_eq!(m("AL D I\nPohlweg 110").as_deref(), Some("Aldi"));
    assert_eq!(m("AL B E\nPohlweg 110").as_deref(), Some("ALBE"));
}

#[test]
fn label_value_rows_from_tables_and_padded_text() {
    // HTML tables become "label<TAB>value"; text receipts pad with many spaces.
    let text = "Invoice no.                 BZ61722617\n\
Date paid                   15 September 2019 14:13\n\
Subtotal                    RM290.82\nShipping\tRM9.99\nSST 6%                      RM17.44\n\
Total charged\tRM318.25\nPayment\tApple Pay (JCB •••• 2856)";
    let e = extract(text, &none());
    assert_eq!(e.amount.unwrap().value, money(31825, "MYR"));
    assert_eq!(e.tax.unwrap().value, money(1744, "MYR"));
    assert_eq!(e.order_ref.unwrap().value, "BZ61722617");
    assert_eq!(e.date.unwrap().value, date(2019, 9, 15));
}

#[test]
fn nordic_labels_and_months() {
    let e = extract(
        "Ordernummer: 5700-3080\nDatum: 15 augusti 2024 22:56\nTotalt: 2 368,33 NOK",
        &none(),
    );
    assert_eq!(e.order_ref.unwrap().value, "5700-3080");
    assert_eq!(e.date.unwrap().value, date(2024, 8, 15));
    let e = extract(
        "Kvitto nr\t440790\nKöpdatum\t2020-01-25\nSumma att betala\t1 285,82 NOK",
        &none(),
    );
    assert_eq!(e.order_ref.unwrap().value, "440790");
    let d = e.date.unwrap();
    assert_eq!(d.value, date(2020, 1, 25));
    assert!(d.confidence >= 0.6, "{d:?}");
    for (t, want) in [
        ("Fakturanummer: F-2024-118", "F-2024-118"),
        ("Ordrenummer: 77120", "77120"),
        ("Bestillingsnummer 99812", "99812"),
        ("Bestelnummer: NL-5541", "NL-5541"),
    ] {
        assert_eq!(
            extract(t, &none()).order_ref.map(|r| r.value),
            Some(want.into()),
            "{t}"
        );
    }
}

#[test]
fn yuan_in_chinese_text_yen_in_japanese() {
    let e = extract("订单编号 2026\n实付金额  ¥246.79\n税额  ¥13.46", &none());
    assert_eq!(e.amount.unwrap().value, money(24679, "CNY"));
    assert_eq!(e.tax.unwrap().value, money(1346, "CNY"));
    let e = extract("实付款                         ￥318.39", &none());
    assert_eq!(e.amount.unwrap().value, money(31839, "CNY"));
    let e = extract("ご注文ありがとうございます\n合計 ¥3,000", &none());
    assert_eq!(e.amount.unwrap().value, money(3000, "JPY"));
}

#[test]
fn french_subtotal_and_due_dates_are_not_taken() {
    let e = extract(
        "Sous-total: 2 071,93 €\nRemise: -207,19 €\nTotal: 1 864,74 €",
        &none(),
    );
    assert_eq!(e.amount.unwrap().value, money(186474, "EUR"));
    let e = extract(
            "This is an invoice for your purchase on 08/04/2022 16:34. Please submit payment by 22 Apr 2022\nAmount Due: £1,546.81",
            &none(),
        );
    assert_eq!(e.date.unwrap().value, date(2022, 4, 8));
}

#[test]
fn the_only_date_is_trusted() {
    let d = extract(
        "Thanks for your order!\n3 October 2026\nTotal: 12.00 EUR",
        &none(),
    )
    .date
    .unwrap();
    assert_eq!(d.value, date(2026, 10, 3));
    assert!(d.confidence >= 0.6, "{d:?}");
    let d = extract("3 October 2026\n9 October 2026\nTotal: 12.00 EUR", &none())
        .date
        .unwrap();
    assert!(d.confidence < 0.6, "two unlabelled dates: {d:?}");
}

#[test]
fn till_receipt_merchant_is_above_the_address() {
    let m = |t: &str| extract(t, &none()).merchant.map(|m| m.value);
    assert_eq!(
        m("AL D I\nPohlweg 110\n33100 Paderborn\nUNSERE ÖFFNUNGSZEITEN\nKIWI 1,49"),
        Some("Aldi".into())
    );
    assert_eq!(
        m("= DELPHIN\nAPOTHEKE\nPADERBORN\nDetmolder Straße 8\n33102 Paderborn"),
        Some("DELPHIN APOTHEKE".into())
    );
    // A logo OCR cannot read: nothing rather than an item line below the address.
    assert_eq!(
        m("Av olay e Y\nPohlweg 110\n33100 Paderborn\nFERTIGGERICHTE (oR\nSUMME 8,83"),
        None
    );
    assert_eq!(
        m("a L\nSenefelder Straße 2\n33100 Paderborn\nQuittung\nwww.roller.de\nSumme 59,96"),
        Some("Roller".into())
    );
    assert_eq!(
        m("a L\nSenefelder Straße 2\n33100 Paderborn\nQuittung\nwww.holtkamp.de\nSumme 59,96"),
        Some("holtkamp".into())
    );
    assert_eq!(
        m("x\nPohlweg 1\nTerminal www.ingenico.de\nSumme 5,00"),
        None
    );
    assert_eq!(
        m("i,\nfi; real GmbH\n33100 Paderborn\nSUMME EUR 12,07").as_deref(),
        Some("real")
    );
    assert_eq!(
        m("i,\nfi; Holtkamp GmbH\n33100 Paderborn\nSUMME EUR 12,07").as_deref(),
        Some("Holtkamp GmbH")
    );
    assert_eq!(
        m("= _ E = | Kauf land\nBentelerstraße 4\n33104 Paderborn").as_deref(),
        Some("Kaufland")
    );
    assert_eq!(
        m("= _ E = | Holt kamp\nBentelerstraße 4\n33104 Paderborn").as_deref(),
        Some("Holt kamp")
    );
    // No address block: the printed web address (OCR spacing and noise allowed).
    assert_eq!(
        m("Ih all ANT\nOh\nWUNSCHLOS\nwww.holtkamp . de\nSUMME EUR 31,98").as_deref(),
        Some("holtkamp")
    );
    assert_eq!(m("Chao\nwww.holtkamp-]ehr.de").as_deref(), Some("holtkamp"));
    // A known chain's web address names the chain (a franchise after a hyphen).
    assert_eq!(
        m("Ih all ANT\nOh\nWUNSCHLOS\nwww.marktkauf-lehr.de\nSUMME EUR 31,98").as_deref(),
        Some("Marktkauf")
    );
}

fn ocr_total(text: &str) -> Scored<Money> {
    let h = Hints {
        ocr: true,
        ..Default::default()
    };
    extract(text, &h).amount.expect("a total")
}

#[test]
fn ocr_total_without_its_decimal_comma_goes_to_review() {
    let text =
        "Brot 1,99 C\nMilch 0,89 C\nZU ZAHLEN EURO 24723\nMWST Netto BRUTTO\nC 7,00% 20,12 21,53\n";
    let typed = extract(text, &Hints::default()).amount.unwrap();
    assert!(typed.confidence >= 0.6);
    let t = ocr_total(text);
    assert_eq!(t.value.minor, 2_472_300);
    assert!(t.confidence < 0.6, "{t:?}");
}

#[test]
fn ocr_total_with_one_decimal_digit_goes_to_review() {
    let t = ocr_total("Karotten 3,99\nSUMME EUR 6,7\nMwSt 7,0% 0,36\n");
    assert!(t.confidence < 0.6, "{t:?}");
}

#[test]
fn ocr_total_longer_than_every_other_amount_goes_to_review() {
    let t = ocr_total("Brot 1,99\nMilch 0,89\nSUMME EUR 1569,26\nNetto 1,20\n");
    assert_eq!(t.value.minor, 156_926);
    assert!(t.confidence < 0.6, "{t:?}");
}

#[test]
fn ocr_total_against_cash_minus_change_goes_to_review() {
    let t = ocr_total("Brot 1,99\nSUMME EUR 16,70\nGEGEBEN BAR 20,00\nRÜCKGELD EUR 5,47\n");
    assert!(t.confidence < 0.6, "{t:?}");
}

#[test]
fn ocr_total_the_receipt_bears_out_stays_confident() {
    let text = "Brot 1,99\nKäse 17,90\nSUMME EUR 19,89\nGEGEBEN BAR 20,00\nRÜCKGELD EUR 0,11\nA 7% Netto 18,59 Steuer 1,30\n";
    let t = ocr_total(text);
    assert_eq!(t.value.minor, 1989);
    assert!(t.confidence >= 0.6, "{t:?}");
    let big = ocr_total("Fernseher 899,00\nSUMME EUR 899,00\nNetto 755,46 MwSt 143,54\n");
    assert_eq!(big.value.minor, 89_900);
    assert!(big.confidence >= 0.6, "{big:?}");
    let toom = "1.000 STK 1929018\nSUMME FUR 19.99 x\nEGEBEN BAR 20. 00\nRÜCKGELD EUR 0.01\n19. 00 16. 80 3.19\nSUMME, ER | 19.99 x\n";
    let t = ocr_total(toom);
    assert!(t.confidence >= 0.6, "{t:?}");
}

#[test]
fn ocr_total_is_not_judged_by_its_change_alone() {
    // The only other amount is the change: too little to call 19.99 "too long".
    let t =
        ocr_total("1.000 STK 1929018\nSUMME FUR 19.99 x\nEGEBEN BAR 20. 00\nRÜCKGELD EUR 0.01\n");
    assert_eq!(t.value.minor, 1999);
    assert!(t.confidence >= 0.6, "{t:?}");
    let one = ocr_total("Tüte 0,10\nSUMME EUR 19,99\n");
    assert!(one.confidence >= 0.6, "{one:?}");
}

#[test]
fn stray_currency_token_loses_to_a_standalone_currency_line() {
    let lidl = "LIDL\nWarburger Straße 130\n33100 Paderborn\nEUR\nBrot 0,99 A\nKäse 1,99 A\nzu zahlen 19,77\nKreditkarte 19,77\nSumme 2,83 17,44 lei)\nEUR\n";
    let t = ocr_total(lidl);
    assert_eq!(t.value, eur(1977));
    assert!(t.confidence < 0.6, "signals disagree: {t:?}");
    let dollar = "L. $9 DK.\nEUR\nBrot 0,99 A\nzu zahlen 23,51\nKreditkarte 23,51\nEUR 273,8\n";
    let t = ocr_total(dollar);
    assert_eq!(t.value, eur(2351));
    assert!(t.confidence < 0.6, "{t:?}");
    // With no rival the bare total keeps its confidence.
    let clean = ocr_total("EUR\nBrot 0,99 A\nzu zahlen 23,51\nKreditkarte 23,51\n");
    assert_eq!(clean.value, eur(2351));
    assert!(clean.confidence >= 0.6, "{clean:?}");
    // A total whose own marker disagrees with the "EUR" line goes to review.
    let t = amount("EUR\nBrot 0,99\nTOTAL 12,00 lei\n").unwrap();
    assert!(t.confidence < 0.6, "{t:?}");
}

#[test]
fn receipt_merchant_confidence_follows_corroboration() {
    let m = |t: &str| extract(t, &none()).merchant.unwrap();
    let addr = "\nWarburger Straße 130\n33100 Paderborn\nBrot 1,99\nSUMME 1,99\n";
    let lone = m(&format!("HOLTKAMP{addr}"));
    assert_eq!(lone.value, "HOLTKAMP");
    assert!(lone.confidence < 0.6, "{lone:?}");
    let again = m(&format!("HOLTKAMP{addr}Vielen Dank, Ihr HOLTKAMP Team\n"));
    assert!(again.confidence >= 0.6, "{again:?}");
    let legal = m(&format!("Holtkamp Baumarkt GmbH{addr}"));
    assert_eq!(legal.value, "Holtkamp Baumarkt GmbH");
    assert!(legal.confidence >= 0.6, "{legal:?}");
    let web = m(&format!("HOLTKAMP{addr}www.holtkamp.de\n"));
    assert!(web.confidence >= 0.6, "{web:?}");
    // A slogan at the top, the chain in the company line at the bottom.
    let slogan = m(&format!(
        "Mein Drogeriemarkt{addr}UmSt: 3322 Dirk Rossmann GmbH\n"
    ));
    assert_eq!(slogan.value, "Rossmann");
    assert!(slogan.confidence >= 0.6, "{slogan:?}");
    // A chain's product among the items does not replace a shop that is borne out.
    let shop = m(&format!(
        "Holtkamp GmbH{addr}Tchibo Kaffee 4,99\nTchibo Espresso 5,99\nwww.holtkamp.de\n"
    ));
    assert_eq!(shop.value, "Holtkamp GmbH");
    // A known chain at the top is borne out by being one.
    let known = m(&format!("LIDL{addr}"));
    assert_eq!(known.value, "Lidl");
    assert!(known.confidence >= 0.6, "{known:?}");
    let legal = m(&format!("toom Baumarkt GmbH{addr}"));
    assert_eq!(legal.value, "toom Baumarkt");
    assert!(legal.confidence >= 0.8, "{legal:?}");
    let mail = m(&format!("Kaufhaus Nord{addr}info@kaufhaus-nord.de\n"));
    assert!(mail.confidence >= 0.6, "{mail:?}");
    let both = m(&format!("Kaufhaus Nord GmbH{addr}info@kaufhaus-nord.de\n"));
    assert!(both.confidence > mail.confidence, "{both:?}");
    // Noise read twice, and a damaged reading with a legal form, stay in review.
    let noise = m(&format!("elle{addr}elle\n"));
    assert!(noise.confidence < 0.6, "{noise:?}");
    let damaged = m(&format!("ATURN ELECTRO HANDELSGES .MBH{addr}"));
    assert!(damaged.confidence < 0.6, "{damaged:?}");
}

#[test]
fn dotted_dates_with_spaces_and_misread_years() {
    let d = |t: &str| extract(t, &none()).date;
    let spaced = d("Datum Zeit BonNr\n02. 05. 2020 16:39 3619\n").unwrap();
    assert_eq!(spaced.value, date(2020, 5, 2));
    assert!(spaced.confidence >= 0.6, "{spaced:?}");
    // Not a date: amounts with a stray space after the comma-dot.
    assert_eq!(d("MWST 19. 00 16. 80 3.19\n"), None);
    // "2920" is one misread digit from 2020: found, but sent to review.
    let misread = d("20.05.2920 14:47 Bed Nr.:111 Kasse 01\n").unwrap();
    assert_eq!(misread.value, date(2020, 5, 20));
    assert!(misread.confidence < 0.6, "{misread:?}");
    assert_eq!(repaired_year("2920"), Some(2020));
    assert_eq!(repaired_year("3021"), Some(2021));
    assert_eq!(repaired_year("2020"), None);
    assert_eq!(repaired_year("3920"), None);
    assert_eq!(parse_date("20/05/2920"), None);
}

#[test]
fn two_equally_good_dates_that_disagree_lower_confidence() {
    let d = |t: &str| extract(t, &none()).date.unwrap();
    let one = d("Datum: 02.05.2020\n");
    let two = d("Datum: 02.05.2020\nDatum: 02.06.2020\n");
    assert_eq!(two.value, date(2020, 5, 2));
    assert!(two.confidence < one.confidence, "{one:?} {two:?}");
    let same = d("Datum: 02.05.2020\nDatum: 02.05.2020\n");
    assert_eq!(same.confidence, one.confidence);
}
