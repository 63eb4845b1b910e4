//! Markup and structured data (OFX, JSON, XML) never give a merchant.

use crate::understand::extract::*;

#[test]
fn markup_lines_are_not_merchants() {
    for text in [
        "<OFX>\n<SIGNONMSGSRSV1>\nTotal: 1.00 USD",
        "{\n\"a\": 1\n}",
        "<?xml version=\"1.0\"?>\n<Document>",
    ] {
        let e = extract(text, &Hints::default());
        assert!(e.merchant.is_none(), "{text:?} -> {:?}", e.merchant);
    }
    let e = extract("Corner Bakery\nTotal: 3.50 EUR", &Hints::default());
    assert_eq!(
        e.merchant.map(|m| m.value).as_deref(),
        Some("Corner Bakery")
    );
}
