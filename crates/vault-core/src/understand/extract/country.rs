//! The country a receipt comes from, read from what it says about itself: the country's
//! name or capital in its address, a legal form only that country uses ("Sdn Bhd", "Pty
//! Ltd", "S.A. de C.V."), a tax or register name of its own ("SST", "ABN", "GSTIN", "MwSt",
//! "NIP"), or an international phone prefix ("+60 3 ..."). Used for what receipts rarely
//! print: the currency of bare amounts, and the order of day and month in dates.
//!
//! A cue shared by several countries (GST, VAT, TVA, "GmbH", "Pty Ltd") counts for each of
//! them, so it decides only together with other cues or when all its countries agree on
//! what is asked (TVA: France and Belgium both pay in euros). Names that many countries
//! share (Ltd, Inc, S.A.) are not cues.

use std::sync::LazyLock;

use regex::Regex;

use crate::vault::money::TERRITORIES;

use super::keywords::kw_regex;

/// One country and the words that give a receipt away as coming from it.
struct Country {
    /// ISO 3166 code; its currency is the one [`TERRITORIES`] gives.
    territory: &'static str,
    /// How it writes numeric dates: day first (`Some(true)`), month first (`Some(false)`)
    /// or year first (`None`).
    day_first: Option<bool>,
    /// International dialling code, without "+".
    phone: &'static str,
    /// Names, capitals, legal forms, tax and register names, currency words.
    cues: &'static [&'static str],
}

const fn c(
    territory: &'static str,
    day_first: Option<bool>,
    phone: &'static str,
    cues: &'static [&'static str],
) -> Country {
    Country {
        territory,
        day_first,
        phone,
        cues,
    }
}

const DAY: Option<bool> = Some(true);
const MONTH: Option<bool> = Some(false);
const YEAR: Option<bool> = None;

/// The countries the extractor knows by their cues. Adding one is adding a row.
#[rustfmt::skip]
const COUNTRIES: &[Country] = &[
    c("MY", DAY, "60", &["malaysia", "kuala lumpur", "sdn bhd", "sdn. bhd", "sdn.bhd", "berhad", "bhd", "ringgit", "sst", "lhdn"]),
    c("SG", DAY, "65", &["singapore", "pte ltd", "pte. ltd", "pte.ltd", "uen"]),
    c("AU", DAY, "61", &["australia", "canberra", "pty ltd", "pty. ltd", "pty limited", "abn", "a.b.n"]),
    c("ZA", DAY, "27", &["south africa", "pretoria", "johannesburg", "pty ltd", "pty. ltd", "(pty)"]),
    c("NZ", DAY, "64", &["new zealand", "aotearoa", "wellington"]),
    c("IN", DAY, "91", &["india", "new delhi", "pvt ltd", "pvt. ltd", "private limited", "gstin", "cgst", "sgst", "igst", "rupees"]),
    c("ID", DAY, "62", &["indonesia", "jakarta", "tbk", "npwp", "rupiah"]),
    c("PH", MONTH, "63", &["philippines", "manila", "vat reg tin"]),
    c("TH", DAY, "66", &["thailand", "bangkok", "baht", "บาท", "ประเทศไทย"]),
    c("VN", DAY, "84", &["vietnam", "việt nam", "hà nội", "hanoi"]),
    c("HK", DAY, "852", &["hong kong", "香港"]),
    c("TW", YEAR, "886", &["taiwan", "台灣", "臺灣", "台北", "臺北", "統一編號", "统一编号"]),
    c("CN", YEAR, "86", &["中国", "中華人民共和國", "china", "beijing", "北京", "上海", "增值税", "人民币"]),
    c("JP", YEAR, "81", &["japan", "日本", "東京", "株式会社", "消費税", "税込"]),
    c("KR", YEAR, "82", &["korea", "대한민국", "서울", "주식회사", "부가세", "부가가치세"]),
    c("GB", DAY, "44", &["united kingdom", "england", "scotland", "wales", "london", "plc", "hmrc"]),
    c("IE", DAY, "353", &["ireland", "éire", "dublin"]),
    c("US", MONTH, "1", &["united states", "usa", "u.s.a", "llc", "sales tax"]),
    c("CA", DAY, "1", &["canada", "ottawa", "hst", "qst", "tps", "tvq"]),
    c("MX", DAY, "52", &["méxico", "mexico", "s.a. de c.v", "rfc", "iva"]),
    c("BR", DAY, "55", &["brasil", "brazil", "brasília", "ltda", "cnpj", "reais"]),
    c("DE", DAY, "49", &["deutschland", "germany", "berlin", "gmbh", "mwst", "ust-id*", "ust-idnr", "steuer-nr", "steuernummer"]),
    c("AT", DAY, "43", &["österreich", "austria", "wien", "gmbh", "mwst", "uid-nr"]),
    c("CH", DAY, "41", &["schweiz", "suisse", "svizzera", "switzerland", "zürich", "genève", "gmbh", "mwst", "tva", "che-"]),
    c("FR", DAY, "33", &["france", "paris", "sarl", "s.a.r.l", "sas", "siret", "siren", "tva", "ttc"]),
    c("BE", DAY, "32", &["belgique", "belgië", "belgium", "bruxelles", "brussel", "bvba", "sprl", "tva", "btw"]),
    c("LU", DAY, "352", &["luxembourg", "tva"]),
    c("NL", DAY, "31", &["nederland", "netherlands", "amsterdam", "b.v", "btw", "kvk"]),
    c("ES", DAY, "34", &["españa", "spain", "madrid", "s.l.u", "cif", "iva"]),
    c("IT", DAY, "39", &["italia", "italy", "roma", "s.r.l", "srl", "s.p.a", "partita iva", "p.iva", "iva"]),
    c("PT", DAY, "351", &["portugal", "lisboa", "lda", "iva"]),
    c("GR", DAY, "30", &["ελλάδα", "greece", "αθήνα", "φπα"]),
    c("FI", DAY, "358", &["suomi", "finland", "helsinki", "alv", "oyj"]),
    c("SE", DAY, "46", &["sverige", "sweden", "stockholm", "moms"]),
    c("DK", DAY, "45", &["danmark", "denmark", "københavn", "aps", "cvr", "moms"]),
    c("NO", DAY, "47", &["norge", "norway", "oslo", "mva"]),
    c("PL", DAY, "48", &["polska", "poland", "warszawa", "sp. z o.o", "nip", "ptu", "zł"]),
    c("CZ", DAY, "420", &["česká republika", "czech", "praha", "s.r.o", "dph"]),
    c("HU", YEAR, "36", &["magyarország", "hungary", "budapest", "kft", "áfa"]),
    c("TR", DAY, "90", &["türkiye", "turkey", "istanbul", "kdv"]),
    c("AE", DAY, "971", &["united arab emirates", "uae", "dubai", "abu dhabi", "trn"]),
    c("RU", DAY, "7", &["россия", "москва", "ооо", "ндс"]),
];

/// One regex per country, in the order of [`COUNTRIES`].
static CUE_RES: LazyLock<Vec<Regex>> =
    LazyLock::new(|| COUNTRIES.iter().map(|k| kw_regex(k.cues)).collect());

/// "+60 3-1234 5678", "+44 (0)20 ...", "(+65) 6123 4567": the dialling code after "+".
static RE_PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\w+])\(?\+(\d{1,3})\)?[\s\-(]{1,3}\d").expect("valid regex")
});

/// What the receipt's own cues say about where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct CountryCues {
    /// The currency of the countries with the most cues, when they agree on one.
    pub(super) currency: Option<&'static str>,
    /// Their date order, when they agree on one (`Some(None)`: year first).
    pub(super) day_first: Option<Option<bool>>,
}

/// Only this much at each end of a long text is read for cues (by the caller): the address
/// and the tax lines are near the start or the end of a receipt, and the rest only costs
/// time.
pub(super) const CUE_BYTES: usize = 16 * 1024;

/// The cues of a text, read in `parts` (its head and its tail, or the whole of a short one).
pub(super) fn country_cues(parts: &[&str]) -> CountryCues {
    let mut scores = vec![0usize; COUNTRIES.len()];
    for part in parts {
        for (i, re) in CUE_RES.iter().enumerate() {
            scores[i] += re.find_iter(part).take(4).count();
        }
        for cap in RE_PHONE.captures_iter(part).take(8) {
            let Some(code) = cap.get(1).map(|m| m.as_str()) else {
                continue;
            };
            // The longest dialling code that starts the digits ("+852 2..." is Hong Kong,
            // not a "+8..." country); every country with that code gains.
            let best = COUNTRIES
                .iter()
                .filter(|k| code.starts_with(k.phone))
                .map(|k| k.phone.len())
                .max();
            for (i, k) in COUNTRIES.iter().enumerate() {
                if best == Some(k.phone.len()) && code.starts_with(k.phone) {
                    scores[i] += 2;
                }
            }
        }
    }
    let top = scores.iter().copied().max().unwrap_or(0);
    if top == 0 {
        return CountryCues {
            currency: None,
            day_first: None,
        };
    }
    let leaders: Vec<&Country> = COUNTRIES
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s == top)
        .map(|(k, _)| k)
        .collect();
    let agree = |f: &dyn Fn(&Country) -> bool| leaders.iter().all(|k| f(k));
    let first = leaders[0];
    let currency = currency_of(first);
    CountryCues {
        currency: currency.filter(|_| agree(&|k| currency_of(k) == currency)),
        day_first: agree(&|k| k.day_first == first.day_first).then_some(first.day_first),
    }
}

/// The code of the currency `k` pays in.
fn currency_of(k: &Country) -> Option<&'static str> {
    TERRITORIES
        .iter()
        .find(|(t, _)| *t == k.territory)
        .map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(text: &str) -> Option<&'static str> {
        country_cues(&[text]).currency
    }

    #[test]
    fn a_legal_form_or_tax_name_of_one_country_names_its_currency() {
        assert_eq!(
            cur("KEDAI RUNCIT MAJU SDN BHD\nNo. 3, Jalan 2"),
            Some("MYR")
        );
        assert_eq!(cur("Harbour Fish Pty Ltd\nABN 12 345 678 901"), Some("AUD"));
        assert_eq!(cur("Lim Trading Pte Ltd\nUEN 201912345K"), Some("SGD"));
        assert_eq!(
            cur("Chai Point Pvt Ltd\nGSTIN 29ABCDE1234F1Z5"),
            Some("INR")
        );
        assert_eq!(
            cur("Ferretería López S.A. de C.V.\nRFC LOFJ800101"),
            Some("MXN")
        );
        assert_eq!(
            cur("Sklep Pod Lipą Sp. z o.o.\nNIP 123-456-32-18"),
            Some("PLN")
        );
        assert_eq!(cur("小さな本屋株式会社\n消費税 10%"), Some("JPY"));
    }

    #[test]
    fn a_cue_shared_by_countries_of_one_currency_decides_it_and_others_do_not() {
        // TVA: France, Belgium, Luxembourg (euro) and Switzerland (franc).
        assert_eq!(cur("Boulangerie du Coin\nTVA 5,5 %"), None);
        assert_eq!(cur("Boulangerie du Coin SARL\nTVA 5,5 %"), Some("EUR"));
        // "Pty Ltd" is Australian and South African: the country's name settles it.
        assert_eq!(cur("Harbour Fish Pty Ltd"), None);
        assert_eq!(
            cur("Harbour Fish Pty Ltd\nCape Town, South Africa"),
            Some("ZAR")
        );
        // GmbH: Germany, Austria, Switzerland.
        assert_eq!(cur("Blumen Huber GmbH\nWien"), Some("EUR"));
        assert_eq!(cur("Blumen Huber GmbH\nZürich"), Some("CHF"));
    }

    #[test]
    fn a_phone_prefix_is_a_cue_and_the_longest_code_wins() {
        assert_eq!(cur("Corner Cafe\nTel: +60 3-2141 5678"), Some("MYR"));
        assert_eq!(cur("Corner Cafe\nTel (+65) 6123 4567"), Some("SGD"));
        assert_eq!(cur("Corner Cafe\nTel: +852 2345 6789"), Some("HKD"));
        assert_eq!(cur("Corner Cafe\nTel: +44 20 7946 0018"), Some("GBP"));
        // +1 is both the US and Canada.
        assert_eq!(cur("Corner Cafe\nTel: +1 416 555 0100"), None);
        assert_eq!(
            cur("Corner Cafe\nTel: +1 416 555 0100\nHST 13%"),
            Some("CAD")
        );
        // Not a phone number: an amount with a sign, a sum.
        assert_eq!(cur("Adjustment +60.00\n2+44 = 46"), None);
    }

    #[test]
    fn every_country_pays_in_a_known_currency() {
        for k in COUNTRIES {
            assert!(currency_of(k).is_some(), "{}", k.territory);
        }
    }

    #[test]
    fn nothing_said_is_nothing_guessed() {
        assert_eq!(
            country_cues(&["Corner Cafe\nTotal 9.00\nThank you"]),
            CountryCues {
                currency: None,
                day_first: None,
            }
        );
        // Words that merely contain a cue are not cues.
        assert_eq!(cur("Abhdul's Bhdx store\nSSTAR cafe\nUSAGE fee"), None);
    }

    #[test]
    fn the_date_order_follows_the_country() {
        assert_eq!(
            country_cues(&["Sunny Mart Sdn Bhd"]).day_first,
            Some(Some(true))
        );
        assert_eq!(
            country_cues(&["Sunny Mart LLC\nSales tax"]).day_first,
            Some(Some(false))
        );
        assert_eq!(country_cues(&["小さな本屋株式会社"]).day_first, Some(None));
    }
}
