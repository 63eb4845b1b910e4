//! Tests of [`extract`] on payment-app screens and processor emails: status lines and
//! payee labels, processors' senders, and the currency a screen's amount is in.
//!
//! Issue 9: payment-app screenshots and processor emails (made-up texts).

use crate::understand::extract::*;
use crate::vault::money::Currency;

fn merchant(text: &str) -> Option<Scored<String>> {
    extract(text, &Hints::default()).merchant
}

fn from(sender: &'static str, text: &str) -> Option<String> {
    let h = Hints {
        email_from: Some(sender),
        ..Default::default()
    };
    extract(text, &h).merchant.map(|m| m.value)
}

#[test]
fn headlines_labels_and_suffixes_never_become_the_merchant() {
    // A TWINT screen without a payee line: not "Payment successful".
    let m = merchant("Payment successful\nCHF 12.50\n12.11.2026 14:02");
    assert!(
        m.as_ref().is_none_or(|m| m.value != "Payment successful"),
        "{m:?}"
    );
    // WeChat and German screens: the status headline is skipped.
    for text in [
        "支付成功\n¥36.50\n支付时间 2026-11-02",
        "Zahlung erfolgreich\nCHF 5.00",
        "Paiement réussi\n12,00 €",
        "Total\n12,00 €",
        "收款方\n支付时间\n2026-11-02",
    ] {
        let m = merchant(text);
        assert!(m.is_none(), "{text:?}: {m:?}");
    }
    // A legal form on its own line is not the shop; a wrapped name keeps it.
    let m = merchant("BHD\nNo. 12, Jalan Ampang\n50450 Kuala Lumpur\nTOTAL RM 12.00");
    assert!(m.as_ref().is_none_or(|m| m.value != "BHD"), "{m:?}");
    let m =
        merchant("UNIHAKKA INTERNATIONAL SDN\nBHD\n50450 Kuala Lumpur\nTOTAL RM 12.00").unwrap();
    assert_eq!(m.value, "UNIHAKKA INTERNATIONAL SDN BHD");
}

#[test]
fn the_payee_line_of_payment_apps_names_the_merchant_in_many_languages() {
    let cases: &[(&str, &str)] = &[
            // WeChat Pay: label and value on one line, a wide gap between.
            ("支付成功\n¥ 36.50\n收款方          瑞幸咖啡\n支付时间 2026年11月2日 08:15:32\n商户单号 LK2026110208", "瑞幸咖啡"),
            // Alipay: the full merchant name.
            ("交易成功\n-36.50\n商户全称 上海星巴克咖啡经营有限公司\n支付方式 余额宝", "上海星巴克咖啡经营有限公司"),
            ("付款给 全家便利店\n金额 ¥12.00", "全家便利店"),
            ("商户：永辉超市\n实付款 ¥88.00", "永辉超市"),
            // TWINT, English: the label above the name.
            ("Payment successful\nCHF 12.50\nTo\nMigros Zürich HB\n12.11.2026", "Migros Zürich HB"),
            ("Payment sent\n€ 8.00\nPaid to\nCorner Books\n", "Corner Books"),
            ("Payment successful\n$ 4.75\nPayee: Blue Bottle Coffee", "Blue Bottle Coffee"),
            // German, French, Spanish.
            ("Zahlung erfolgreich\nCHF 5.00\nEmpfänger: Bäckerei Müller", "Bäckerei Müller"),
            ("Bezahlt an Kiosk am Markt\n12,00 €", "Kiosk am Markt"),
            ("Händler:   Café Sonne\nBetrag 4,20 €", "Café Sonne"),
            ("Paiement réussi\n12,00 €\nBénéficiaire\nBoulangerie Paul", "Boulangerie Paul"),
            ("Pago realizado\n9,90 €\nDestinatario: Panadería Sol", "Panadería Sol"),
            // A bank app's transfer.
            ("Transfer completed\n£ 25.00\nBeneficiary\nCity Plumbing Ltd", "City Plumbing Ltd"),
            // PayPal's app.
            ("You sent €12.00 to Foo Ltd\nPayment sent", "Foo Ltd"),
        ];
    for (text, want) in cases {
        let m = merchant(text).unwrap_or_else(|| panic!("no merchant in {text:?}"));
        assert_eq!(m.value, *want, "{text:?}");
        assert!(m.confidence >= REVIEW, "{text:?}: {}", m.confidence);
    }
    // The customer an invoice or a parcel is addressed to is not taken as the payee
    // (at most a doubtful guess from the top lines, which goes to review).
    for text in [
        "INVOICE\nTo: John Smith\n12 High Street\nTotal £5.00",
        "Lieferschein\nEmpfänger: Erika Mustermann\nSumme 5,00 €",
        "Recipient\nJane Doe\nTotal $5.00",
    ] {
        let m = merchant(text);
        assert!(
            m.as_ref().is_none_or(|m| m.confidence < REVIEW
                || !["John Smith", "Erika Mustermann", "Jane Doe"].contains(&m.value.as_str())),
            "{text:?}: {m:?}"
        );
    }
    // Not a payee: a merchant's id, a copy, a date.
    for text in [
        "MERCHANT COPY\nTotal 5,00 €",
        "Merchant ID: 12345678\nTotal 5,00 €",
        "To: 2026-11-02\nTotal 5,00 €",
    ] {
        let m = merchant(text);
        assert!(
            m.as_ref()
                .is_none_or(|m| !m.value.to_lowercase().contains("copy")
                    && !m.value.contains("12345678")
                    && !m.value.contains("2026")),
            "{text:?}: {m:?}"
        );
    }
}

const REVIEW: f32 = crate::vault::model::REVIEW_THRESHOLD as f32;

#[test]
fn a_processors_email_names_the_merchant_in_its_body() {
    assert_eq!(
        from(
            "PayPal <service@paypal.de>",
            "Hello,\nYou paid €12.00 EUR to Foo Ltd.\nTransaction ID 5TY12345"
        )
        .as_deref(),
        Some("Foo Ltd")
    );
    assert_eq!(
        from(
            "service@paypal.de",
            "Sie haben 12,00 € an Bäckerei Müller GmbH gesendet."
        )
        .as_deref(),
        Some("Bäckerei Müller GmbH")
    );
    assert_eq!(
        from(
            "PayPal <service@paypal.fr>",
            "Vous avez payé 12,00 € à Librairie Dupont SARL"
        )
        .as_deref(),
        Some("Librairie Dupont SARL")
    );
    assert_eq!(
        from(
            "Stripe <receipts@stripe.com>",
            "Receipt\nMerchant: Tiny Tools Inc\nAmount paid $9.00"
        )
        .as_deref(),
        Some("Tiny Tools Inc")
    );
    assert_eq!(
        from(
            "Apple <no_reply@email.apple.com>",
            "Your receipt\nSold by: Indie Games Ltd\nTotal £4.99"
        )
        .as_deref(),
        Some("Indie Games Ltd")
    );
    assert_eq!(
        from(
            "支付宝 <service@mail.alipay.com>",
            "交易成功\n商家：星巴克\n实付款 ¥36.00"
        )
        .as_deref(),
        Some("星巴克")
    );
    // Nothing in the body: the processor itself, as before.
    assert_eq!(
        from("PayPal <service@paypal.de>", "Danke für Ihre Zahlung.").as_deref(),
        Some("PayPal")
    );
    // A shop's own email keeps its sender, whatever its body says.
    assert_eq!(
        from(
            "Corner Books <orders@cornerbooks.example>",
            "Merchant: Other Name Ltd\nTotal 5,00 €"
        )
        .as_deref(),
        Some("Corner Books")
    );
}

#[test]
fn the_currency_follows_the_texts_cues() {
    let amount = |t: &str| extract(t, &Hints::default()).amount.unwrap();
    // ¥ with Chinese writing, 元, 人民币, RMB: yuan.
    for t in [
        "支付成功\n¥36.50\n收款方 瑞幸咖啡",
        "支付成功\n￥ 36.50",
        "金额 36.50元",
        "人民币 36.50",
        "Total RMB 36.50",
    ] {
        let a = amount(t);
        assert_eq!(a.value, money(3650, "CNY"), "{t:?}");
    }
    // The WeChat screen's amount stands under its status headline: paid, sure.
    assert!(amount("支付成功\n¥36.50\n收款方 瑞幸咖啡").confidence >= REVIEW);
    // ¥ or 円 with kana: yen.
    for t in ["ローソン\n合計 ¥528", "お会計 528円"] {
        let a = amount(t);
        assert_eq!(a.value, money(528, "JPY"), "{t:?}");
    }
    // ¥ with no cue at all: yen, a guess that goes to review.
    let a = amount("Total ¥1,280");
    assert_eq!(a.value, money(1280, "JPY"));
    assert!(a.confidence < REVIEW, "{}", a.confidence);
    // An Alipay bill: the amount with its minus sign next to the status line.
    let a = amount("瑞幸咖啡\n-36.50\n交易成功\n支付时间 2026-11-02 08:15:32");
    assert_eq!(a.value, money(3650, "CNY"));
    let a = amount("Payment successful\nCHF 12.50\nTo\nMigros");
    assert_eq!(a.value, money(1250, "CHF"));
    assert!(a.confidence >= REVIEW, "{}", a.confidence);
    // A Chinese screen whose amount has no sign: yuan, a guess for review.
    let a = amount("交易成功\n商户全称 星巴克\n实付款 36.50");
    assert_eq!(a.value.currency.code(), "CNY");
    assert!(a.confidence < REVIEW, "{}", a.confidence);
}

fn money(minor: i64, code: &str) -> Money {
    Money {
        minor,
        currency: Currency::parse(code).unwrap(),
    }
}
