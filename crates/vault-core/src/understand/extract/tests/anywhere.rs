//! Tests of [`extract`] on receipts from anywhere: totals whose currency is printed once
//! or never, and what the receipt's country says about it.

use crate::understand::extract::*;
use crate::vault::money::Currency;

fn amount(text: &str) -> Option<Scored<Money>> {
    extract(text, &Hints::default()).amount
}

fn money(minor: i64, code: &str) -> Money {
    Money {
        minor,
        currency: Currency::parse(code).unwrap(),
    }
}

#[test]
fn a_total_without_any_currency_takes_the_currency_of_the_receipts_country() {
    let text = "KEDAI RUNCIT MAJU SDN BHD\nNO 12, JALAN MAWAR 3\n\
                ROTI BAKAR 2 4.50\nTotal : 9.00\nCash 10.00\nChange 1.00";
    let a = amount(text).unwrap();
    assert_eq!(a.value, money(900, "MYR"));
    assert!(a.confidence >= 0.6, "{a:?}");
    // The same receipt from Australia, Singapore, India: each its own currency.
    for (cue, code) in [
        ("Harbour Fish Pty Ltd\nABN 12 345 678 901", "AUD"),
        ("Lim Trading Pte Ltd\nTel (+65) 6123 4567", "SGD"),
        ("Chai Point Pvt Ltd\nGSTIN 29ABCDE1234F1Z5", "INR"),
    ] {
        let a = amount(&format!("{cue}\nTotal : 9.00")).unwrap();
        assert_eq!(a.value, money(900, code), "{cue}");
    }
}

#[test]
fn a_total_without_any_currency_or_country_is_not_taken_without_a_default() {
    assert_eq!(amount("Corner Cafe\nCoffee 4.50\nTotal : 9.00"), None);
    // With the vault's default currency it is, as a guess for review.
    let hints = Hints {
        default_currency: Currency::parse("MYR"),
        ..Hints::default()
    };
    let a = extract("Corner Cafe\nCoffee 4.50\nTotal : 9.00", &hints)
        .amount
        .unwrap();
    assert_eq!(a.value, money(900, "MYR"));
    assert!(a.confidence < 0.6, "{a:?}");
}

#[test]
fn the_receipt_naming_its_currency_beats_its_country_and_the_default() {
    let hints = Hints {
        default_currency: Currency::parse("EUR"),
        ..Hints::default()
    };
    // "RM" over the price column of a Malaysian slip; "SGD" once on a Singapore one.
    let a = extract("RM\nTEH TARIK 2.50\nTOTAL 5.00", &hints)
        .amount
        .unwrap();
    assert_eq!(a.value, money(500, "MYR"));
    let a = extract("Lim Trading Sdn Bhd\nPrices in SGD\nTotal 5.00", &hints)
        .amount
        .unwrap();
    assert_eq!(a.value, money(500, "SGD"));
}

#[test]
fn the_country_beats_the_language_for_bare_totals() {
    // German words alone suggest euros; a Zurich address says francs.
    let de = amount("Bäckerei Huber\nSumme 9,00").unwrap();
    assert_eq!(de.value, money(900, "EUR"));
    assert!(de.confidence < 0.6, "{de:?}");
    let ch = amount("Bäckerei Huber GmbH\n8001 Zürich\nSumme 9,00").unwrap();
    assert_eq!(ch.value, money(900, "CHF"));
    assert!(ch.confidence >= 0.6, "{ch:?}");
}

#[test]
fn a_dollar_sign_means_the_dollar_of_the_receipts_country_or_its_own_money() {
    let a = amount("Harbour Fish Pty Ltd\nABN 12 345 678 901\nTotal $12.50").unwrap();
    assert_eq!(a.value, money(1250, "AUD"));
    // A Malaysian shop marks ringgit with "$", or OCR reads its tax code "S" as "$".
    let a =
        amount("UNIHAKKA SDN BHD\nPork $2.70 1 $2.70\nTotal Amount: $8.20\nCASH $8.20").unwrap();
    assert_eq!(a.value, money(820, "MYR"));
    let a =
        amount("KEDAI MAJU SDN BHD\nTISSUE 6.88 $\nSOAP 12.90 $\nTOTAL (GST INCL) 19.78").unwrap();
    assert_eq!(a.value, money(1978, "MYR"));
    // Without a country the sign is the US dollar, as before.
    assert_eq!(amount("Total $12.50").unwrap().value, money(1250, "USD"));
    // A code stays what it says, whatever the country.
    let a = amount("Harbour Fish Pty Ltd\nABN 12 345 678 901\nTotal US$12.50").unwrap();
    assert_eq!(a.value, money(1250, "USD"));
}

#[test]
fn a_stray_sign_does_not_outvote_the_receipts_country() {
    // "20 € @ 2" is OCR noise on an item line; "E.£.0.E." a footnote.
    let text = "GARDEN BAKERIES SDN BHD\nSelangor\nCR-CHOC 0.72 20 € @ 2 14.40\n\
                Total 0% supplies: 23.83\nTotal Payable: 36.55\nE.£.0.E.";
    let a = amount(text).unwrap();
    assert_eq!(a.value, money(3655, "MYR"));
    // The country's cue is needed: the same lines from nowhere stay in euros.
    let a = amount("CR-CHOC 0.72 20 € @ 2 14.40\nTotal Payable: 36.55").unwrap();
    assert_eq!(a.value.currency, Currency::parse("EUR").unwrap());
}

#[test]
fn payable_and_malay_words_label_the_total() {
    let text = "KEDAI SDN BHD\nTotal 6% supplies (excl. GST): 13.68\n\
                Total 6% supplies (Inc. GST): 14.50\nTotal 0% supplies: 12.60\nTotal Payable: 27.10";
    assert_eq!(amount(text).unwrap().value, money(2710, "MYR"));
    let text = "Kedai Kopi Maju Sdn Bhd\nKopi O 2 4.50\nJumlah 9.00\nTunai 10.00\nBaki 1.00";
    assert_eq!(amount(text).unwrap().value, money(900, "MYR"));
}

#[test]
fn a_total_including_tax_is_a_total_even_when_incl_is_short_or_misread() {
    for label in ["Total Inc. GST", "Total Inc GST", "Total Inc] GST"] {
        let text = format!("KEDAI SDN BHD\nSubtotal 40.00\nGST 6% 2.40\n{label} 42.40");
        assert_eq!(amount(&text).unwrap().value, money(4240, "MYR"), "{label}");
    }
}

#[test]
fn the_rounded_total_below_a_rounding_line_is_the_one_paid() {
    for (text, want) in [
        (
            "AEON CO. (M) BHD\nSub-total 46.54\nTotal Sales Incl GST 46.54\nRounding Adj 0.01\n\
         Total After Adj Incl GST 46.55\nCASH 100.00\nChange Amt 53.45",
            4655,
        ),
        // The rounded total on the rounding line itself, under another label.
        (
            "KEDAI SDN BHD\nTotal Sales (Inclusive GST) RM 27.28\nRounding Adjustment RM 0.02\n\
         Rounding RM 27.30\nCASH RM 27.30",
            2730,
        ),
    ] {
        let a = amount(text).unwrap();
        assert_eq!(a.value, money(want, "MYR"), "{text}");
    }
    // In German: the rounded amount, not the sum before it.
    let a = amount("Summe 12,34 EUR\nRundung -0,04 EUR\nGerundet 12,30 EUR").unwrap();
    assert_eq!(a.value, money(1230, "EUR"));
    // An amount far from the total after a rounding line (cash given) is not it.
    let a = amount("Total 46.54 EUR\nRounding 0.00 EUR\nCash 50.00 EUR\nChange 3.46 EUR").unwrap();
    assert_eq!(a.value, money(4654, "EUR"));
}

fn date_of(text: &str) -> Option<chrono::NaiveDate> {
    extract(text, &Hints::default()).date.map(|d| d.value)
}

#[test]
fn a_dashed_date_with_a_two_digit_year_is_a_date_when_a_time_or_a_label_goes_with_it() {
    let d = chrono::NaiveDate::from_ymd_opt(2016, 4, 6);
    assert_eq!(
        date_of("HARDWARE SDN BHD\n06-04-16 11:53 SH01 T2 R000593260"),
        d
    );
    assert_eq!(date_of("HARDWARE SDN BHD\nTarikh: 06-04-16"), d);
    assert_eq!(date_of("Shop GmbH\nDate 06-04-16"), d);
    // Alone it is as likely a phone or part number.
    assert_eq!(date_of("HARDWARE SDN BHD\nPart 06-04-16"), None);
    assert_eq!(date_of("Tel 06-04-16 ext"), None);
}

#[test]
fn the_receipts_country_settles_day_and_month_before_dollar_signs_do() {
    // "$" usually leans month first; a Malaysian slip writes the day first.
    let text = "HARDWARE SDN BHD\nTAPE $2.90\nGLUE $1.90\nTotal $4.80\n06/04/18 16:46";
    assert_eq!(date_of(text), chrono::NaiveDate::from_ymd_opt(2018, 4, 6));
    // An American one the month first.
    let text = "Hardware Store LLC\nTape $2.90\nSales tax $0.20\n06/04/18 16:46";
    assert_eq!(date_of(text), chrono::NaiveDate::from_ymd_opt(2018, 6, 4));
}

fn merchant_of(text: &str) -> Option<String> {
    extract(text, &Hints::default()).merchant.map(|m| m.value)
}

#[test]
fn the_line_with_a_legal_form_names_the_business_over_noise_above_it() {
    let text = "n,n'\nGARDENIA BAKERIES (KL) SDN BHD (139386 X)\nLot 3, Jalan Pelabur 23/1,\n\
                40300 Shah Alam, Selangor.\nTel: 03 55423228\nTAX INVOICE\nTotal Payable: 39.78";
    assert_eq!(
        merchant_of(text).as_deref(),
        Some("GARDENIA BAKERIES (KL) SDN BHD")
    );
    // The same with other countries' forms; the registration number is not the name.
    let text = "~ ;\nBLUE OCEAN TRADING PTE LTD (201912345K)\n10 Anson Road #05-01\n\
                Singapore 079903\nTotal 12.00";
    assert_eq!(
        merchant_of(text).as_deref(),
        Some("BLUE OCEAN TRADING PTE LTD")
    );
    let text = "ee\nHARBOUR FISH PTY LTD\n12 Wharf St\nSydney NSW 2000\nTotal 12.00";
    assert_eq!(merchant_of(text).as_deref(), Some("HARBOUR FISH PTY LTD"));
}

#[test]
fn a_total_line_including_tax_is_no_company_line_and_names_no_chain() {
    // "Total" is also a fuel chain; "(Inc. GST)" is "inclusive", not "Incorporated".
    let text = "KEDAI ROTI MAJU SDN BHD\nLot 3, Jalan 2\n40300 Shah Alam, Selangor.\n\
                Total 6% supplies (excl. GST): 15.84\nTotal 6% supplies (Inc. GST): 16.7\n\
                Total 0% supplies: 22,9\nTotal Payable: 39,78";
    assert_eq!(
        merchant_of(text).as_deref(),
        Some("KEDAI ROTI MAJU SDN BHD")
    );
}

#[test]
fn the_rounded_total_supersedes_every_total_above_the_rounding_line() {
    // "631 Payable" is "GST Payable" misread: labelled strongly, and not the total.
    let text = "MENTAI SDN BHD\nTotal (Excluding GST): 35.60\n631 Payable: 2.36\n\
                Total (Inclusive of GST): 41.52\nRounding Adj: -0.02\nTOTAL: 41.50";
    assert_eq!(amount(text).unwrap().value, money(4150, "MYR"));
}

#[test]
fn an_ocr_name_borne_out_only_by_its_legal_form_goes_to_review() {
    let text = "AFON CO. (M) BHD\n3RD FLR, TAMAN MALURI\n55100 KUALA LUMPUR\nTotal 46.55";
    let ocr = Hints {
        ocr: true,
        ..Hints::default()
    };
    let m = extract(text, &ocr).merchant.unwrap();
    assert_eq!(m.value, "AFON CO. (M) BHD");
    assert!(m.confidence < 0.6, "{m:?}");
    // Typed text (a PDF's, an email's) is what it says.
    let m = extract(text, &Hints::default()).merchant.unwrap();
    assert!(m.confidence >= 0.6, "{m:?}");
    // Read twice alike (the footer names the company again), OCR is borne out.
    let twice = format!("{text}\nAFON CO. (M) BHD (126926-H)");
    let m = extract(&twice, &ocr).merchant.unwrap();
    assert!(m.confidence >= 0.6, "{m:?}");
}

#[test]
fn an_ocr_total_nothing_else_bears_out_goes_to_review() {
    let ocr = Hints {
        ocr: true,
        ..Hints::default()
    };
    let conf = |text: &str, h: &Hints| extract(text, h).amount.unwrap().confidence;
    let alone = "KEDAI SDN BHD\nROTI 2.50\nKOPI 1.60\nTEH 1.20\nTOTAL RM 4.19";
    assert!(conf(alone, &ocr) < 0.6);
    assert!(conf(alone, &Hints::default()) >= 0.6);
    // Subtotal and tax add up to it; or it is printed again; or cash minus change.
    for text in [
        "KEDAI SDN BHD\nSUBTOTAL RM 3.95\nGST RM 0.24\nTOTAL RM 4.19",
        "KEDAI SDN BHD\nTOTAL RM 4.19\nVISA RM 4.19",
        "KEDAI SDN BHD\nTOTAL RM 4.19\nCASH RM 5.00\nCHANGE RM 0.81",
    ] {
        assert!(conf(text, &ocr) >= 0.6, "{text}");
    }
    // A screen that shows the amount alone has nothing to bear it out with.
    assert!(conf("Payment successful\nRM 4.19\nTo\nKedai Maju", &ocr) >= 0.6);
    // A total of nothing is not one to trust.
    assert!(conf("KEDAI SDN BHD\nTOTAL RM 0.00", &Hints::default()) <= 0.3);
}
