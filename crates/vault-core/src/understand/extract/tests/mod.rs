//! Tests of [`extract`] on whole texts, one fact at a time: amounts, dates, references,
//! payment methods and merchants in many forms and languages, and hostile inputs.

mod anywhere;
mod markup;
mod payment_screens;
mod receipt_rules;

use super::*;
use crate::vault::money::Currency;

pub(super) fn money(minor: i64, code: &str) -> Money {
    Money {
        minor,
        currency: Currency::parse(code).unwrap(),
    }
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn none() -> Hints<'static> {
    Hints::default()
}

#[test]
fn amounts_in_all_forms() {
    let cases: &[(&str, i64, &str)] = &[
        ("Total: $49.99", 4999, "USD"),
        ("Amount paid: US$ 49.99", 4999, "USD"),
        ("Gesamt: EUR 12,50", 1250, "EUR"),
        ("Summe 12,50 EUR", 1250, "EUR"),
        ("Gesamtbetrag 1.234,56 €", 123456, "EUR"),
        ("Total €1,234.56", 123456, "EUR"),
        ("合計 ¥3,000", 3000, "JPY"),
        ("Total: 19.99 USD", 1999, "USD"),
        ("Total £7.20", 720, "GBP"),
        ("Total CHF 1'234.50", 123450, "CHF"),
        ("Total TTC 1 234,56 €", 123456, "EUR"),
        ("Total\u{a0}TTC : 1\u{202f}234,56\u{a0}€", 123456, "EUR"),
        ("Total RM 12.00", 1200, "MYR"),
        ("实付款 12.00元", 1200, "CNY"),
        ("合计 ¥88.50 (支付宝)", 8850, "CNY"),
        ("Total: 1,234 USD", 123400, "USD"),
        ("Total 1.234 EUR", 123400, "EUR"),
        ("Total CA$20.00", 2000, "CAD"),
        ("Total A$15.00", 1500, "AUD"),
        ("Total AU$ 15.00", 1500, "AUD"),
        ("Total NZ$15.00", 1500, "NZD"),
        ("Total HK$150.00", 15000, "HKD"),
        ("Total S$15.00", 1500, "SGD"),
        ("Total ₹1,499.00", 149900, "INR"),
        ("Totalt: 250 kr", 25000, "SEK"),
        ("Total 0.500 KWD", 500, "KWD"),
        ("Summe 12,- €", 1200, "EUR"),
        ("Rechnungsbetrag: 1.234,-€", 123400, "EUR"),
        ("お支払い金額 ¥1,200", 1200, "JPY"),
        ("合計金額：￥１，２００", 1200, "JPY"),
        ("Total: 49.99USD", 4999, "USD"),
        ("Total 12 Euro", 1200, "EUR"),
        ("Total R$ 59,90", 5990, "BRL"),
        ("Razem 123,45 zł", 12345, "PLN"),
        ("Total ₩15,000", 15000, "KRW"),
        ("Amount charged: 1.234.567,89 €", 123456789, "EUR"),
    ];
    for (text, minor, code) in cases {
        let got = extract(text, &none()).amount;
        let got = got.unwrap_or_else(|| panic!("no amount in {text:?}"));
        assert_eq!(got.value, money(*minor, code), "{text:?}");
        assert!(got.confidence >= 0.75, "{text:?}: {}", got.confidence);
    }
}

#[test]
fn explicit_total_is_high_confidence() {
    let a = extract("Order total: €54.00", &none()).amount.unwrap();
    assert_eq!(a.value, money(5400, "EUR"));
    assert!(a.confidence >= 0.8);
    let a = extract("Total: $49.99", &none()).amount.unwrap();
    assert!(a.confidence >= 0.8, "{}", a.confidence);
}

#[test]
fn dollar_follows_document_hints() {
    let text = "Thanks for shopping in Canada\nTotal: $20.00\nAll prices in CAD";
    assert_eq!(
        extract(text, &none()).amount.unwrap().value,
        money(2000, "CAD")
    );
    let text = "Total: $20.00 CAD";
    assert_eq!(
        extract(text, &none()).amount.unwrap().value,
        money(2000, "CAD")
    );
    let text = "Total: ¥1,200\n人民币";
    assert_eq!(
        extract(text, &none()).amount.unwrap().value,
        money(120000, "CNY")
    );
    let text = "Total: 100 kr\nNOK";
    assert_eq!(
        extract(text, &none()).amount.unwrap().value,
        money(10000, "NOK")
    );
}

#[test]
fn grand_total_beats_parts() {
    let cases: &[(&str, i64, &str)] = &[
        ("Subtotal $50.00\nTax $4.00\nTotal $54.00", 5400, "USD"),
        (
            "Total $54.00\nSubtotal $50.00\nTax $4.00\nShipping $9.99",
            5400,
            "USD",
        ),
        (
            "Item total $10.00\nShipping $5.00\nTotal $15.00",
            1500,
            "USD",
        ),
        (
            "Zwischensumme 40,00 €\nMwSt. 19% 7,60 €\nGesamtbetrag 47,60 €",
            4760,
            "EUR",
        ),
        ("Total incl. VAT €59.50\nVAT €9.50", 5950, "EUR"),
        (
            "Gesamt (inkl. MwSt.) 59,50 €\ninkl. 19% MwSt. 9,50 €",
            5950,
            "EUR",
        ),
        ("Summe 49,99 €\nBar 50,00 €\nRückgeld 0,01 €", 4999, "EUR"),
        ("Total $45.00\nCash $50.00\nChange $5.00", 4500, "USD"),
        ("Discount -$5.00\nTotal $45.00", 4500, "USD"),
        (
            "Total HT 41,67 €\nTVA 8,33 €\nTotal TTC 50,00 €",
            5000,
            "EUR",
        ),
        (
            "Order total: $60.00\nGift card: -$6.00\nAmount charged: $54.00",
            5400,
            "USD",
        ),
        ("Subtotal: $50.00 Tax: $4.00 Total: $54.00", 5400, "USD"),
        (
            "小计 ¥100.00\n优惠 -¥10.00\n实付 ¥90.00 微信支付",
            9000,
            "CNY",
        ),
        (
            "小計 ¥1,000\n消費税 ¥100\n合計 ¥1,100\nお預り ¥2,000\nお釣り ¥900",
            1100,
            "JPY",
        ),
        ("Total $10.00\nsome item\nTotal $54.00", 5400, "USD"),
        ("VAT 19% €9.50 Total €59.50", 5950, "EUR"),
        ("Tip 15% $3.00\nTotal with tip $23.00", 2300, "USD"),
        ("2 x 12,50 € = 25,00 €", 2500, "EUR"),
        ("Paid $20.00\nChange $0.00", 2000, "USD"),
        (
            "Monthly plan $9.99/month\nTotal due today $9.99",
            999,
            "USD",
        ),
        ("Preis pro Stück 2,50 €\nGesamt 5,00 €", 500, "EUR"),
        (
            "IBAN: DE89 3704 0044 0532 0130 00\nBetrag: 25,00 EUR",
            2500,
            "EUR",
        ),
        ("Date 03.10.2026 Total €5.00", 500, "EUR"),
    ];
    for (text, minor, code) in cases {
        let got = extract(text, &none())
            .amount
            .unwrap_or_else(|| panic!("none: {text:?}"));
        assert_eq!(got.value, money(*minor, code), "{text:?}");
    }
}

#[test]
fn label_on_previous_line() {
    let a = extract("Total\n$54.00", &none()).amount.unwrap();
    assert_eq!(a.value, money(5400, "USD"));
    assert!(a.confidence >= 0.7);
    // A column of labels followed by a column of values: no label applies.
    let a = extract("Subtotal\nTax\nTotal\n$50.00\n$4.00\n$54.00", &none())
        .amount
        .unwrap();
    assert_eq!(a.value, money(5400, "USD"));
    assert!(a.confidence <= 0.3);
}

#[test]
fn amount_confidence_without_keywords() {
    let a = extract("Thanks for your purchase of €9.99", &none())
        .amount
        .unwrap();
    assert_eq!(a.value, money(999, "EUR"));
    assert!((0.4..=0.6).contains(&a.confidence));
    let a = extract("Widget $5.00\nGadget $7.00\nThing $12.00", &none())
        .amount
        .unwrap();
    assert_eq!(a.value, money(1200, "USD"));
    assert!(a.confidence <= 0.3);
}

#[test]
fn bare_total_uses_document_currency() {
    let a = extract("Item A 10,00 €\nTotal: 19,99", &none())
        .amount
        .unwrap();
    assert_eq!(a.value, money(1999, "EUR"));
    assert!(a.confidence <= 0.6);
    // No currency anywhere: nothing.
    assert!(extract("Total: 19.99", &none()).amount.is_none());
}

#[test]
fn not_amounts() {
    for text in [
        "VAT rate 19%",
        "Order #123-4567890-1234567",
        "Date 03.10.2026 12:30",
        "Call 0800 123 456",
        "Total: €",
        "$$$",
        "€",
        "Version 1.2.3",
        "Total 3kg",
    ] {
        assert_eq!(extract(text, &none()).amount, None, "{text:?}");
    }
}

#[test]
fn amount_from_subject() {
    let h = Hints {
        email_from: None,
        subject: Some("Your receipt: $12.34 paid"),
        ..Default::default()
    };
    let a = extract("nothing here", &h).amount.unwrap();
    assert_eq!(a.value, money(1234, "USD"));
}

#[test]
fn parse_money_helper() {
    assert_eq!(parse_money("€1.234,56"), Some(money(123456, "EUR")));
    assert_eq!(parse_money("12,50 EUR"), Some(money(1250, "EUR")));
    assert_eq!(parse_money("¥3,000"), Some(money(3000, "JPY")));
    assert_eq!(parse_money("nothing"), None);
    assert_eq!(parse_money("$99999999999999999999.99"), None);
}

#[test]
fn dates_in_all_forms() {
    let cases: &[(&str, NaiveDate)] = &[
        ("Date: 2026-10-03", date(2026, 10, 3)),
        ("Date: 2026/10/03", date(2026, 10, 3)),
        ("Datum: 03.10.2026", date(2026, 10, 3)),
        ("Date: 25/03/2026", date(2026, 3, 25)),
        ("Date: 03/25/2026", date(2026, 3, 25)),
        ("Order date: 10/03/2026\nTotal $5.00", date(2026, 10, 3)),
        ("Date: 10/03/2026\nTotal 5,00 €", date(2026, 3, 10)),
        ("October 3, 2026", date(2026, 10, 3)),
        ("3 October 2026", date(2026, 10, 3)),
        ("3 Oct 2026", date(2026, 10, 3)),
        ("Oct 3, 2026", date(2026, 10, 3)),
        ("Oct. 3rd, 2026", date(2026, 10, 3)),
        ("Friday, 3rd October 2026", date(2026, 10, 3)),
        ("Rechnungsdatum: 3. Oktober 2026", date(2026, 10, 3)),
        ("15. März 2026", date(2026, 3, 15)),
        ("3 octobre 2026", date(2026, 10, 3)),
        ("1er mars 2026", date(2026, 3, 1)),
        ("3 de octubre de 2026", date(2026, 10, 3)),
        ("12 marzo 2026", date(2026, 3, 12)),
        ("24. Dezember 2026", date(2026, 12, 24)),
        ("24 décembre 2026", date(2026, 12, 24)),
        ("24 de diciembre de 2026", date(2026, 12, 24)),
        ("2026年10月3日", date(2026, 10, 3)),
        ("支付时间：2026年10月3日 12:00", date(2026, 10, 3)),
        ("Datum 03.10.26", date(2026, 10, 3)),
        ("03-Oct-26", date(2026, 10, 3)),
        ("2026-10-03T14:22:01Z", date(2026, 10, 3)),
        ("Paid on: 29.02.2024", date(2024, 2, 29)),
    ];
    for (text, want) in cases {
        let got = extract(text, &none())
            .date
            .unwrap_or_else(|| panic!("none: {text:?}"));
        assert_eq!(got.value, *want, "{text:?}");
    }
}

#[test]
fn impossible_dates_are_rejected() {
    for text in [
        "2026-13-01",
        "30.02.2026",
        "1899-01-01",
        "2150-01-01",
        "31 April 2026",
        "32/01/2026",
        "Feb 30, 2026",
        "12.2026",
        "1.2.3.4.5",
    ] {
        assert_eq!(extract(text, &none()).date, None, "{text:?}");
    }
}

#[test]
fn date_keywords_win() {
    let text = "Estimated delivery: 07.10.2026\nOrder date: 03.10.2026";
    let d = extract(text, &none()).date.unwrap();
    assert_eq!(d.value, date(2026, 10, 3));
    let text = "Invoice date 01.10.2026\nDue date 31.10.2026\nPaid on 05.10.2026";
    let d = extract(text, &none()).date.unwrap();
    assert_eq!(d.value, date(2026, 10, 5));
    assert!(d.confidence >= 0.85);
    let text = "Order date:\n2026-10-03\nShipped 2026-10-04";
    let d = extract(text, &none()).date.unwrap();
    assert_eq!(d.value, date(2026, 10, 3));
    let text = "Order date: 03.10.2026 Delivery date: 05.10.2026";
    assert_eq!(
        extract(text, &none()).date.unwrap().value,
        date(2026, 10, 3)
    );
}

#[test]
fn ambiguous_dates_have_lower_confidence() {
    let clear = extract("Date: 2026-10-03", &none()).date.unwrap();
    let vague = extract("Date: 10/03/2026", &none()).date.unwrap();
    assert!(vague.confidence < clear.confidence);
    assert_eq!(vague.value, date(2026, 3, 10)); // day first when nothing hints otherwise
    let hinted = extract("Date: 10/03/2026 $5.00", &none()).date.unwrap();
    assert!(hinted.confidence > vague.confidence);
}

#[test]
fn parse_date_helper() {
    assert_eq!(parse_date("on 3 Oct 2026"), Some(date(2026, 10, 3)));
    assert_eq!(parse_date("nothing"), None);
}

#[test]
fn order_references() {
    let cases: &[(&str, &str)] = &[
        ("Order #123-4567890-1234567", "123-4567890-1234567"),
        ("Order number: A1B2C3", "A1B2C3"),
        ("Order ID: 98765", "98765"),
        ("Your order number is 55512345.", "55512345"),
        ("Invoice No. INV-2026-001", "INV-2026-001"),
        ("Invoice number: 2026/0042", "2026/0042"),
        ("Transaction ID: 5TY12345AB678901C", "5TY12345AB678901C"),
        ("Reference: REF-12345", "REF-12345"),
        ("Ref. 998877", "998877"),
        ("Bestellnummer: 302-1234567-7654321", "302-1234567-7654321"),
        ("Bestell-Nr.: 4711-0815", "4711-0815"),
        ("Rechnungsnummer RE-2026-0042", "RE-2026-0042"),
        ("N° de commande : FR12345678", "FR12345678"),
        ("Número de pedido: 4021-ABC", "4021-ABC"),
        ("订单号：202610031234567", "202610031234567"),
        ("注文番号: 250-1234567-1234567", "250-1234567-1234567"),
        ("Receipt #1234-5678", "1234-5678"),
        ("Order number\nA1B2C3D4", "A1B2C3D4"),
        (
            "Shipped: 111-2223334-4445556 is on its way",
            "111-2223334-4445556",
        ),
    ];
    for (text, want) in cases {
        let got = extract(text, &none())
            .order_ref
            .unwrap_or_else(|| panic!("none: {text:?}"));
        assert_eq!(got.value, *want, "{text:?}");
        assert!(got.confidence >= 0.6);
    }
}

#[test]
fn order_reference_priorities_and_rejections() {
    let text = "Reference: 777777\nOrder number: 123456";
    assert_eq!(extract(text, &none()).order_ref.unwrap().value, "123456");
    for text in [
        "Order Date: 2026-10-03",
        "Reference: ABCDEF",
        "Order: 123",
        "Order number: ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ",
        "Thanks for your order\n2 items",
        "Invoice 2026",
        "Order confirmation",
    ] {
        assert_eq!(extract(text, &none()).order_ref, None, "{text:?}");
    }
    let h = Hints {
        email_from: None,
        subject: Some("Your order #A-99881 has shipped"),
        ..Default::default()
    };
    assert_eq!(extract("hello", &h).order_ref.unwrap().value, "A-99881");
}

#[test]
fn payment_methods() {
    let cases: &[(&str, &str)] = &[
        ("Visa ending in 1234", "Visa •••• 1234"),
        ("Paid with Mastercard **** 5678", "Mastercard •••• 5678"),
        ("VISA •••• 4242", "Visa •••• 4242"),
        ("Amex xxxx-1005", "Amex •••• 1005"),
        ("American Express XXXX XXXX XXXX 1005", "Amex •••• 1005"),
        ("Card: VISA – 4242", "Visa •••• 4242"),
        ("Karte: Mastercard endet auf 9876", "Mastercard •••• 9876"),
        ("Payment method: PayPal", "PayPal"),
        ("Paid with Apple Pay", "Apple Pay"),
        ("Apple Pay (Visa •••• 1234)", "Apple Pay (Visa •••• 1234)"),
        ("Google Pay", "Google Pay"),
        ("支付方式：支付宝", "Alipay"),
        ("Alipay", "Alipay"),
        ("微信支付", "WeChat Pay"),
        ("WeChat Pay", "WeChat Pay"),
        ("Zahlungsart: Überweisung", "Bank transfer"),
        ("Payment: bank transfer", "Bank transfer"),
        ("Zahlungsart: SEPA-Lastschrift", "SEPA direct debit"),
        ("Pay later with Klarna", "Klarna"),
        ("Payment method: Visa", "Visa"),
        ("Card ending in 4321", "Card •••• 4321"),
        ("Payment method: iDEAL", "iDEAL"),
    ];
    for (text, want) in cases {
        let got = extract(text, &none())
            .payment_method
            .unwrap_or_else(|| panic!("none: {text:?}"));
        assert_eq!(got.value, *want, "{text:?}");
    }
}

#[test]
fn a_card_brand_beats_a_generic_card_word() {
    let text = "zu zahlen 15,69\nKreditkarte 15,69\nKartenzahlung\nDebit MasterCard\nEUR 15,69";
    let p = extract(text, &none()).payment_method.unwrap();
    assert_eq!(p.value, "Mastercard");
    let p = extract("zu zahlen 15,69\nKreditkarte 15,69", &none()).payment_method;
    assert_eq!(p.map(|p| p.value).as_deref(), Some("Credit card"));
}

#[test]
fn payment_method_edge_cases() {
    // A list of accepted methods is not the method used.
    assert_eq!(
        extract("We accept Visa, Mastercard and PayPal", &none()).payment_method,
        None
    );
    // Ordinary words are not payment methods.
    for text in [
        "The ideal gift",
        "Please keep these separate",
        "Discover our new collection",
        "Paypalooza festival",
    ] {
        assert_eq!(extract(text, &none()).payment_method, None, "{text:?}");
    }
    assert_eq!(
        extract("Payment method: Discover", &none())
            .payment_method
            .unwrap()
            .value,
        "Discover"
    );
    // The labelled method wins over a card mentioned elsewhere.
    let t = "Visa ending in 1111 was updated\nPayment method: PayPal";
    assert_eq!(extract(t, &none()).payment_method.unwrap().value, "PayPal");
    let p = extract("Visa ending in 1234", &none())
        .payment_method
        .unwrap();
    assert!(p.confidence >= 0.85);
    // PayPal's own receipts.
    let h = Hints {
        email_from: Some("service@paypal.de"),
        subject: None,
        ..Default::default()
    };
    assert_eq!(extract("Danke", &h).payment_method.unwrap().value, "PayPal");
}

#[test]
fn merchant_in_extract() {
    let h = Hints {
        email_from: Some("Amazon.de <bestellbestaetigung@amazon.de>"),
        subject: None,
        ..Default::default()
    };
    let m = extract("Hello", &h).merchant.unwrap();
    assert_eq!(m.value, "Amazon.de");
    assert!((0.75..=0.85).contains(&m.confidence));

    let text = "ACME Hardware\n123 Main St\nSpringfield, IL 62701\nReceipt\nTotal $5.00";
    let m = extract(text, &none()).merchant.unwrap();
    assert_eq!(m.value, "ACME Hardware");
    assert!(m.confidence <= 0.45);

    let text = "RECEIPT\n\n03.10.2026\nJoe's Coffee\nKoenigstr. 12\n10115 Berlin\nTotal 4,50 €";
    assert_eq!(
        extract(text, &none()).merchant.unwrap().value,
        "Joe's Coffee"
    );

    let text = "Shop now at example dot com\nFresh Foods Market\nTotal 5,00 €";
    assert_eq!(
        extract(text, &none()).merchant.unwrap().value,
        "Fresh Foods Market"
    );

    let text = "Order summary\nSold by: Widget World Ltd\nTotal 5,00 €";
    assert_eq!(
        extract(text, &none()).merchant.unwrap().value,
        "Widget World Ltd"
    );

    let h = Hints {
        email_from: None,
        subject: Some("Your order from Corner Books has shipped"),
        ..Default::default()
    };
    assert_eq!(extract("", &h).merchant.unwrap().value, "Corner Books");

    let text = "Tax Invoice\nMerchant: Foo Bar GmbH\nTotal 5,00 €";
    let m = extract(text, &none()).merchant.unwrap();
    assert_eq!((m.value.as_str(), m.confidence), ("Foo Bar GmbH", 0.7));

    let h = Hints {
        email_from: None,
        subject: Some("Your receipt from Acme Inc #1234-5678"),
        ..Default::default()
    };
    assert_eq!(extract("", &h).merchant.unwrap().value, "Acme Inc");

    let text = "Dear customer,\nthank you for your order.\nhttps://example.com\n+49 30 1234567";
    assert_eq!(extract(text, &none()).merchant, None);
}

#[test]
fn full_receipts() {
    let text = "Amazon.de\nBestellbestätigung\nBestellnummer: 302-1234567-7654321\nBestelldatum: 3. Oktober 2026\n\nZwischensumme: EUR 42,00\nVersand: EUR 0,00\nGesamtsumme: EUR 42,00\nZahlungsart: Visa endet auf 4242\n";
    let h = Hints {
        email_from: Some("Amazon.de <bestellbestaetigung@amazon.de>"),
        subject: Some("Ihre Amazon.de Bestellung"),
        ..Default::default()
    };
    let e = extract(text, &h);
    assert_eq!(e.amount.unwrap().value, money(4200, "EUR"));
    assert_eq!(e.date.unwrap().value, date(2026, 10, 3));
    assert_eq!(e.merchant.unwrap().value, "Amazon.de");
    assert_eq!(e.order_ref.unwrap().value, "302-1234567-7654321");
    assert_eq!(e.payment_method.unwrap().value, "Visa •••• 4242");

    let text = "Receipt from Apple\nDATE\nOct 3, 2026\nORDER ID\nMXYZ12345\nDOCUMENT NO.\n123456789012\nApple Music Subscription   $10.99\nTOTAL $10.99\nVisa •••• 1234";
    let e = extract(text, &none());
    let a = e.amount.unwrap();
    assert_eq!(a.value, money(1099, "USD"));
    assert!(a.confidence >= 0.8);
    assert_eq!(e.date.unwrap().value, date(2026, 10, 3));
    assert_eq!(e.order_ref.unwrap().value, "MXYZ12345");
    assert_eq!(e.payment_method.unwrap().value, "Visa •••• 1234");
    assert_eq!(e.merchant.unwrap().value, "Apple");

    let text = "永辉超市\n2026年10月3日 18:22\n订单号：202610031234567\n商品合计 ¥128.50\n优惠 -¥8.50\n实付 ¥120.00\n支付方式：微信支付";
    let e = extract(text, &none());
    assert_eq!(e.amount.unwrap().value, money(12000, "CNY"));
    assert_eq!(e.date.unwrap().value, date(2026, 10, 3));
    assert_eq!(e.order_ref.unwrap().value, "202610031234567");
    assert_eq!(e.payment_method.unwrap().value, "WeChat Pay");
    assert_eq!(e.merchant.unwrap().value, "永辉超市");
}

#[test]
fn html_flattened_into_one_long_line() {
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("Item number {i} costs $1.00 each. "));
    }
    text.push_str("Subtotal $200.00 Tax $16.00 Total $216.00 Paid with Visa ending in 4242");
    let e = extract(&text, &none());
    assert_eq!(e.amount.unwrap().value, money(21600, "USD"));
    assert_eq!(e.payment_method.unwrap().value, "Visa •••• 4242");
}

#[test]
fn hostile_inputs_do_not_panic() {
    let digits = "9".repeat(100_000);
    let dotted = "1.".repeat(50_000);
    let cjk = "合計金額支払い日付注文番号￥円元".repeat(5_000);
    let mixed = "€€€12€€€ Ωμέγα€1.00€ 💶12,50€💶 ¥¥¥ 元元 ₩₩".repeat(1_000);
    let lossy = String::from_utf8_lossy(&[0xff, 0xfe, b'$', b'1', 0xc3, b'.', b'5', 0xe2, 0x82])
        .into_owned();
    let separators = "1 2 3 4 5 6 7 8 9 0 , . ' ".repeat(10_000);
    let long_line = "x".repeat(2_000_000);
    let many_lines = "Total $1.00\n".repeat(100_000);
    let inputs: Vec<&str> = vec![
        "",
        " ",
        "\n\n\n",
        "$$$",
        "€",
        "$",
        "¥",
        "Total:",
        "Order #",
        "Visa",
        "Visa ****",
        "1",
        "-",
        "-$",
        ".,-",
        "年月日",
        "2026年",
        "31/12/",
        &digits,
        &dotted,
        &cjk,
        &mixed,
        &lossy,
        &separators,
        &long_line,
        &many_lines,
        "Total: $999999999999999999999999999.99",
        "Total: 1.234.567.890.123.456.789,00 €",
        "€1,2,3,4,5",
        "Date: 99/99/9999 0000-00-00 00.00.00",
        "Order number: #####",
        "ending in 12345678",
    ];
    let hints = Hints {
        email_from: Some("\"💶\" <@@@>"),
        subject: Some("合計 ¥"),
        ocr: true,
        default_currency: Currency::parse("MYR"),
    };
    for input in inputs {
        let _ = extract(input, &none());
        let _ = extract(input, &hints);
        let _ = merchant_from_sender(input);
        let _ = parse_money(input);
        let _ = parse_date(input);
    }
}

#[test]
fn multibyte_text_around_amounts() {
    // Multi-byte characters right next to numbers and markers must not break slicing.
    let cases: &[(&str, i64, &str)] = &[
        ("合計：¥3,000円", 3000, "JPY"),
        ("总计：￥45.60元", 4560, "CNY"),
        ("Σύνολο: 12,50 €", 1250, "EUR"),
        ("Итого: 1 234,56 ₽", 123456, "RUB"),
        ("Total→€5.00←", 500, "EUR"),
        ("Total 💶12,50€💶", 1250, "EUR"),
    ];
    for (text, minor, code) in cases {
        let got = extract(text, &none())
            .amount
            .unwrap_or_else(|| panic!("none: {text:?}"));
        assert_eq!(got.value, money(*minor, code), "{text:?}");
    }
}

#[test]
fn one_megabyte_text_is_fast_enough() {
    let block = "Lorem ipsum dolor sit amet 12,50 € 03.10.2026 Order #12345 Visa ending in 1234\n";
    let mut text = String::from("Total: 99,00 €\n");
    while text.len() < 1_000_000 {
        text.push_str(block);
    }
    let start = std::time::Instant::now();
    let e = extract(&text, &none());
    let took = start.elapsed();
    assert_eq!(e.amount.unwrap().value, money(9900, "EUR"));
    assert!(took.as_secs_f32() < 5.0, "took {took:?}");
}

#[test]
fn empty_text_gives_nothing() {
    assert_eq!(extract("", &none()), Extracted::default());
}
