//! Known merchants: large retail, fuel, pharmacy and online chains whose name a till
//! receipt may print only as a logo (an image, not text) while it names the chain again in
//! a web address, the company line in the footer ("Dirk Rossmann GmbH"), a farewell ("Ihr
//! Kaufland-Team") or in a damaged reading of the logo ("Kauf land").
//!
//! The list is broad on purpose (chains across Germany, Austria, Switzerland, France,
//! Spain, Italy, the Benelux, the UK, the US, China and Japan) and says nothing about any
//! one receipt. A name that is also a common word ("real", "Netto", "Total", "Spar",
//! "Action") is *strict*: it counts only where a shop name stands (first lines, a web
//! address, a company line with a legal form), never as a word in the body.

use crate::understand::text::{is_cjk_char, squash, RE_POSTCODE_LINE};

/// One known merchant.
#[derive(Debug, PartialEq, Eq)]
pub struct Known {
    /// The name shown and stored.
    pub name: &'static str,
    /// Spellings on receipts, compared without case, spaces and punctuation.
    pub keys: &'static [&'static str],
    /// Web or mail domain labels ("lidl" for www.lidl.de).
    pub domains: &'static [&'static str],
    /// The name is also an ordinary word or a common surname.
    pub strict: bool,
}

const fn k(
    name: &'static str,
    keys: &'static [&'static str],
    domains: &'static [&'static str],
) -> Known {
    Known {
        name,
        keys,
        domains,
        strict: false,
    }
}

const fn s(
    name: &'static str,
    keys: &'static [&'static str],
    domains: &'static [&'static str],
) -> Known {
    Known {
        name,
        keys,
        domains,
        strict: true,
    }
}

/// The known merchants.
pub static KNOWN: &[Known] = &[
    // Germany: groceries and discounters
    k(
        "Aldi",
        &["aldi", "aldi süd", "aldi nord"],
        &["aldi", "aldi-sued", "aldi-nord"],
    ),
    k("Lidl", &["lidl"], &["lidl"]),
    k("Kaufland", &["kaufland"], &["kaufland"]),
    k("Rewe", &["rewe"], &["rewe"]),
    k("Edeka", &["edeka", "e center", "e-center"], &["edeka"]),
    k("Marktkauf", &["marktkauf"], &["marktkauf"]),
    s("real", &["real"], &["real"]),
    s(
        "Netto",
        &["netto marken-discount", "netto"],
        &["netto-online", "netto"],
    ),
    s("Penny", &["penny", "penny markt"], &["penny"]),
    s("Norma", &["norma"], &["norma-online", "norma"]),
    s("Globus", &["globus"], &["globus"]),
    k("Famila", &["famila"], &["famila"]),
    k("tegut", &["tegut"], &["tegut"]),
    k("Nahkauf", &["nahkauf"], &["nahkauf"]),
    s("Hit", &["hit markt", "hit"], &["hit"]),
    k("Combi", &["combi verbrauchermarkt"], &["combi"]),
    k("Denns BioMarkt", &["denns", "denns biomarkt"], &["denns"]),
    k("Alnatura", &["alnatura"], &["alnatura"]),
    k("Bünting", &["bünting"], &["buenting"]),
    // Germany: drugstores, pharmacies, perfumeries
    s(
        "dm-drogerie markt",
        &["dm-drogerie markt", "dm drogerie markt", "dm"],
        &["dm"],
    ),
    k("Rossmann", &["rossmann"], &["rossmann"]),
    s(
        "Müller",
        &["müller drogerie", "müller handels", "mueller"],
        &["mueller"],
    ),
    k("Budni", &["budnikowsky", "budni"], &["budni"]),
    s("Douglas", &["douglas"], &["douglas"]),
    k("DocMorris", &["docmorris"], &["docmorris"]),
    // Germany: DIY, garden, furniture
    k("Hornbach", &["hornbach"], &["hornbach"]),
    s("toom Baumarkt", &["toom baumarkt", "toom"], &["toom"]),
    k("OBI", &["obi baumarkt", "obi markt"], &["obi"]),
    k("Bauhaus", &["bauhaus"], &["bauhaus"]),
    k("Hagebaumarkt", &["hagebaumarkt", "hagebau"], &["hagebau"]),
    k(
        "Globus Baumarkt",
        &["globus baumarkt"],
        &["globus-baumarkt"],
    ),
    k("Dehner", &["dehner"], &["dehner"]),
    k("IKEA", &["ikea"], &["ikea"]),
    s("Roller", &["roller"], &["roller"]),
    k("XXXLutz", &["xxxlutz", "xxx lutz"], &["xxxlutz"]),
    k(
        "Poco",
        &["poco domäne", "poco einrichtungsmarkt"],
        &["poco"],
    ),
    k("Höffner", &["höffner"], &["hoeffner"]),
    k("Möbel Kraft", &["möbel kraft"], &["moebel-kraft"]),
    k("JYSK", &["jysk"], &["jysk"]),
    k(
        "Dänisches Bettenlager",
        &["dänisches bettenlager"],
        &["daenischesbettenlager"],
    ),
    k("Depot", &["depot gries deco"], &["depot-online"]),
    // Germany: electronics, books, toys, department stores, fashion, sports
    k(
        "MediaMarkt",
        &["mediamarkt", "media markt"],
        &["mediamarkt"],
    ),
    s("Saturn", &["saturn"], &["saturn"]),
    k("Euronics", &["euronics"], &["euronics"]),
    k("expert", &["expert technomarkt"], &["expert"]),
    k("Conrad", &["conrad electronic"], &["conrad"]),
    k("Cyberport", &["cyberport"], &["cyberport"]),
    k("Thalia", &["thalia"], &["thalia"]),
    k("Hugendubel", &["hugendubel"], &["hugendubel"]),
    k("Mayersche", &["mayersche"], &["mayersche"]),
    k(
        "Galeria",
        &["galeria kaufhof", "galeria karstadt"],
        &["galeria"],
    ),
    k("Karstadt", &["karstadt"], &["karstadt"]),
    s("C&A", &["c&a"], &["c-and-a"]),
    s("H&M", &["h&m", "hennes & mauritz"], &["hm"]),
    k("Primark", &["primark"], &["primark"]),
    k(
        "Peek & Cloppenburg",
        &["peek & cloppenburg", "peek cloppenburg"],
        &["peek-cloppenburg"],
    ),
    k("Deichmann", &["deichmann"], &["deichmann"]),
    k("Decathlon", &["decathlon"], &["decathlon"]),
    k("Intersport", &["intersport"], &["intersport"]),
    k("Tchibo", &["tchibo"], &["tchibo"]),
    k("Woolworth", &["woolworth"], &["woolworth"]),
    k("TEDi", &["tedi"], &["tedi"]),
    s("Action", &["action"], &["action"]),
    k("KiK", &["kik textilien"], &["kik"]),
    k("Fressnapf", &["fressnapf"], &["fressnapf"]),
    k("Das Futterhaus", &["futterhaus"], &["futterhaus"]),
    k("Smyths Toys", &["smyths toys", "smyths"], &["smythstoys"]),
    k("Butlers", &["butlers"], &["butlers"]),
    k(
        "Apollo-Optik",
        &["apollo-optik", "apollo optik"],
        &["apollo"],
    ),
    k("Fielmann", &["fielmann"], &["fielmann"]),
    k("Otto", &["otto versand"], &["otto"]),
    k("Zalando", &["zalando"], &["zalando"]),
    k(
        "Deutsche Bahn",
        &["deutsche bahn", "db fernverkehr", "db vertrieb"],
        &["bahn"],
    ),
    k("Deutsche Post", &["deutsche post"], &["deutschepost"]),
    // Fuel
    s("Aral", &["aral"], &["aral"]),
    s("Shell", &["shell"], &["shell"]),
    k("Esso", &["esso"], &["esso"]),
    s("Total", &["totalenergies", "total"], &["totalenergies"]),
    s("Jet", &["jet tankstelle", "jet"], &["jet-tankstellen"]),
    k("Westfalen", &["westfalen tankstelle"], &["westfalen"]),
    k("Agip", &["agip", "eni station"], &["eni"]),
    k("OMV", &["omv"], &["omv"]),
    k("Star", &["star tankstelle"], &[]),
    k("Avia", &["avia tankstelle"], &["avia"]),
    k("Orlen", &["orlen"], &["orlen"]),
    s("BP", &["bp"], &["bp"]),
    // Restaurants and coffee
    k("McDonald's", &["mcdonald's", "mcdonalds"], &["mcdonalds"]),
    k("Burger King", &["burger king"], &["burgerking"]),
    k("Starbucks", &["starbucks"], &["starbucks"]),
    k("KFC", &["kfc", "kentucky fried chicken"], &["kfc"]),
    s("Subway", &["subway"], &["subway"]),
    k("Vapiano", &["vapiano"], &["vapiano"]),
    k("Nordsee", &["nordsee"], &["nordsee"]),
    k("Backwerk", &["backwerk"], &["back-werk"]),
    // Austria, Switzerland
    k("Billa", &["billa"], &["billa"]),
    s("Spar", &["spar"], &["spar"]),
    s("Hofer", &["hofer"], &["hofer"]),
    k("Merkur", &["merkur markt"], &["merkurmarkt"]),
    k("Bipa", &["bipa"], &["bipa"]),
    k("Migros", &["migros"], &["migros"]),
    s("Coop", &["coop"], &["coop"]),
    k("Denner", &["denner"], &["denner"]),
    s("Manor", &["manor"], &["manor"]),
    // France, Belgium, the Netherlands
    k("Carrefour", &["carrefour", "家乐福"], &["carrefour"]),
    k(
        "E.Leclerc",
        &["e.leclerc", "leclerc"],
        &["e-leclerc", "leclerc"],
    ),
    k("Auchan", &["auchan"], &["auchan"]),
    k(
        "Intermarché",
        &["intermarché", "intermarche"],
        &["intermarche"],
    ),
    k("Monoprix", &["monoprix"], &["monoprix"]),
    k("Franprix", &["franprix"], &["franprix"]),
    s(
        "Casino",
        &["géant casino", "casino supermarché"],
        &["casino"],
    ),
    k(
        "Super U",
        &["super u", "hyper u", "magasins u"],
        &["magasins-u"],
    ),
    k("Fnac", &["fnac"], &["fnac"]),
    k("Darty", &["darty"], &["darty"]),
    k("Boulanger", &["boulanger"], &["boulanger"]),
    k("Leroy Merlin", &["leroy merlin"], &["leroymerlin"]),
    k("Castorama", &["castorama"], &["castorama"]),
    k("Sephora", &["sephora"], &["sephora"]),
    k("Picard", &["picard surgelés"], &["picard"]),
    k("Delhaize", &["delhaize"], &["delhaize"]),
    k("Colruyt", &["colruyt"], &["colruyt"]),
    k("Albert Heijn", &["albert heijn"], &["ah"]),
    k("Jumbo", &["jumbo supermarkten"], &["jumbo"]),
    k("HEMA", &["hema"], &["hema"]),
    k("Kruidvat", &["kruidvat"], &["kruidvat"]),
    k("Etos", &["etos"], &["etos"]),
    k("Gamma", &["gamma bouwmarkt"], &["gamma"]),
    k("Praxis", &["praxis doe-het-zelf"], &["praxis"]),
    k("Blokker", &["blokker"], &["blokker"]),
    // Spain, Portugal, Italy
    k("Mercadona", &["mercadona"], &["mercadona"]),
    k(
        "El Corte Inglés",
        &["el corte inglés", "el corte ingles"],
        &["elcorteingles"],
    ),
    k("Eroski", &["eroski"], &["eroski"]),
    k("Alcampo", &["alcampo"], &["alcampo"]),
    k("Dia", &["supermercados dia"], &[]),
    k("Zara", &["zara"], &["zara"]),
    k("Pingo Doce", &["pingo doce"], &["pingodoce"]),
    s("Continente", &["continente"], &["continente"]),
    k("Esselunga", &["esselunga"], &["esselunga"]),
    k("Conad", &["conad"], &["conad"]),
    k("Eurospin", &["eurospin"], &["eurospin"]),
    k("Unieuro", &["unieuro"], &["unieuro"]),
    // United Kingdom, Ireland
    k("Tesco", &["tesco"], &["tesco"]),
    k(
        "Sainsbury's",
        &["sainsbury's", "sainsburys"],
        &["sainsburys"],
    ),
    k("Asda", &["asda"], &["asda"]),
    k("Morrisons", &["morrisons"], &["morrisons"]),
    k("Waitrose", &["waitrose"], &["waitrose"]),
    k(
        "Marks & Spencer",
        &["marks & spencer", "marks and spencer"],
        &["marksandspencer"],
    ),
    k("Boots", &["boots uk", "boots the chemist"], &["boots"]),
    k("Argos", &["argos"], &["argos"]),
    k("Currys", &["currys"], &["currys"]),
    k("John Lewis", &["john lewis"], &["johnlewis"]),
    s("B&Q", &["b&q"], &[]),
    k("Dunnes Stores", &["dunnes stores"], &["dunnesstores"]),
    // United States, Canada
    k("Walmart", &["walmart", "wal-mart", "沃尔玛"], &["walmart"]),
    s("Target", &["target"], &["target"]),
    k("Costco", &["costco"], &["costco"]),
    k("Kroger", &["kroger"], &["kroger"]),
    k("Safeway", &["safeway"], &["safeway"]),
    k(
        "Whole Foods Market",
        &["whole foods"],
        &["wholefoodsmarket"],
    ),
    k(
        "Trader Joe's",
        &["trader joe's", "trader joes"],
        &["traderjoes"],
    ),
    k("Walgreens", &["walgreens"], &["walgreens"]),
    k("CVS Pharmacy", &["cvs pharmacy", "cvs/pharmacy"], &["cvs"]),
    k(
        "Home Depot",
        &["the home depot", "home depot"],
        &["homedepot"],
    ),
    k("Lowe's", &["lowe's", "lowes"], &["lowes"]),
    k("Best Buy", &["best buy"], &["bestbuy"]),
    s("Staples", &["staples"], &["staples"]),
    k("Macy's", &["macy's", "macys"], &["macys"]),
    k("Nordstrom", &["nordstrom"], &["nordstrom"]),
    k("Publix", &["publix"], &["publix"]),
    k("Loblaws", &["loblaws"], &["loblaws"]),
    k("Canadian Tire", &["canadian tire"], &["canadiantire"]),
    // Online
    k("Amazon", &["amazon"], &["amazon"]),
    k("eBay", &["ebay"], &["ebay"]),
    k("AliExpress", &["aliexpress"], &["aliexpress"]),
    s("Uber", &["uber"], &["uber"]),
    // China, Japan
    k("Freshippo", &["盒马鲜生", "盒马"], &["freshippo"]),
    k("Yonghui", &["永辉超市", "永辉"], &["yonghui"]),
    k("Suning", &["苏宁易购", "苏宁"], &["suning"]),
    k("JD.com", &["京东"], &[]),
    k("Taobao", &["淘宝"], &["taobao"]),
    k("Tmall", &["天猫"], &["tmall"]),
    k(
        "FamilyMart",
        &["familymart", "ファミリーマート", "全家便利店", "全家"],
        &[],
    ),
    k(
        "7-Eleven",
        &["7-eleven", "セブン-イレブン", "セブンイレブン", "7-11"],
        &["sej"],
    ),
    k("Lawson", &["lawson", "ローソン"], &["lawson"]),
    k("Aeon", &["aeon", "イオン"], &["aeon"]),
    k(
        "Ito-Yokado",
        &["イトーヨーカドー", "ito-yokado"],
        &["itoyokado"],
    ),
    k(
        "Don Quijote",
        &["ドン・キホーテ", "don quijote"],
        &["donki"],
    ),
    k("Uniqlo", &["uniqlo", "ユニクロ"], &["uniqlo"]),
    k("Muji", &["無印良品", "muji"], &["muji"]),
    k(
        "Yodobashi Camera",
        &["ヨドバシカメラ", "yodobashi"],
        &["yodobashi"],
    ),
    k(
        "Bic Camera",
        &["ビックカメラ", "bic camera"],
        &["biccamera"],
    ),
    k("Daiso", &["ダイソー", "daiso"], &["daiso-sangyo"]),
    k("Watsons", &["watsons", "屈臣氏"], &["watsons"]),
];

fn is_cjk(s: &str) -> bool {
    s.chars().any(is_cjk_char)
}

/// Are `a` and `b` at most one edit apart (a letter changed, added or dropped)? Linear,
/// without allocating: after the first difference the rests must be equal.
fn within_one(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let diff = a
        .char_indices()
        .zip(b.char_indices())
        .find(|((_, x), (_, y))| x != y);
    let Some(((i, x), (j, y))) = diff else {
        return true; // one is the other plus a letter at the end
    };
    let (a_next, b_next) = (i + x.len_utf8(), j + y.len_utf8());
    match la.cmp(&lb) {
        std::cmp::Ordering::Equal => a[a_next..] == b[b_next..],
        std::cmp::Ordering::Greater => a[a_next..] == b[j..],
        std::cmp::Ordering::Less => a[i..] == b[b_next..],
    }
}

/// Points for where a known name was seen: at the start of one of the first lines, where
/// the shop's name is printed (3, and 2 more with a legal form on the line); a web or mail
/// domain, a company line ("Dirk Rossmann GmbH") or a farewell ("Ihr Kaufland-Team") (2);
/// elsewhere in the first lines (3, names that are no ordinary word only); anywhere else
/// (1, at most 2 in all: an item may bear a chain's name).
const HEAD: u32 = 3;
const COMPANY: u32 = 2;
const DOMAIN: u32 = 2;
const BODY_MAX: u32 = 2;

/// The first lines in which a shop's name is looked for as its heading.
const HEAD_LINES: usize = 6;
/// ...and for names that are also ordinary words.
const STRICT_HEAD_LINES: usize = 3;
/// Lines looked at in all.
const MAX_LINES: usize = 400;
/// Consecutive words joined when comparing ("Media Markt", "Kauf land").
const MAX_WINDOW: usize = 4;

static RE_DOMAIN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        // OCR spaces the dots of "www . lidl . de" and "info@rossmann . de"; a bare
        // "dm.de" has none ("Take action. It is" is no domain).
        r"(?i)(?:(?:www ?\. ?|@)([a-z0-9][a-z0-9-]{0,40}) ?\. ?|(?-u:\b)([a-z0-9][a-z0-9-]{0,40})\.)(?:de|com|at|ch|fr|es|it|nl|be|eu|co\.uk|uk|us|ca|cn|jp|co\.jp|net|org|pt|ie)(?-u:\b)",
    )
    .expect("valid regex")
});

static RE_PRICE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"[0-9][.,][0-9]{2}(?:[^0-9]|$)").expect("valid regex")
});

/// "Inc. GST", "incl VAT": inclusive of a tax, not an incorporated company.
static RE_INC_TAX: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?-u:\b)inc(?:l|lusive)?[.,]?\s*(?:of\s+)?(?:gst|vat|sst|tax|mwst)")
        .expect("valid regex")
});

/// A number with decimals: "12.7", "22,90".
static RE_DECIMAL: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"[0-9][.,][0-9]").expect("valid regex"));

static RE_COMPANY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)(?-u:\b)(?:g(?:m|n|rn)b[hn]|mb[hn]|ag|kg|ohg|se|e\.\s?k\.|ltd|limited|inc|llc|plc|sarl|sas|s\.a\.|s\.l\.|s\.r\.l\.|s\.p\.a\.|b\.v\.|n\.v\.|team|株式会社|有限公司)(?-u:\b)",
    )
    .expect("valid regex")
});

/// A known merchant named on a receipt, with how well it is borne out.
#[derive(Debug, Clone, PartialEq)]
pub struct Sighting {
    pub merchant: &'static Known,
    /// Head 3 (+2 with a legal form), domain or company line 2, elsewhere 1 (at most 2 from
    /// elsewhere), summed over lines.
    pub points: u32,
}

/// One spelling of a known merchant, squashed.
struct Key {
    merchant: usize,
    squashed: String,
    chars: usize,
}

/// The spellings, for lookups by squashed text; misreadable spellings by length; CJK ones.
struct Index {
    exact: std::collections::HashMap<String, Vec<usize>>,
    fuzzy_by_len: std::collections::HashMap<usize, Vec<usize>>,
    keys: Vec<Key>,
    cjk: Vec<(usize, &'static str)>,
    domains: std::collections::HashMap<&'static str, Vec<usize>>,
}

static INDEX: std::sync::LazyLock<Index> = std::sync::LazyLock::new(|| {
    let mut ix = Index {
        exact: Default::default(),
        fuzzy_by_len: Default::default(),
        keys: Vec::new(),
        cjk: Vec::new(),
        domains: Default::default(),
    };
    for (m, known) in KNOWN.iter().enumerate() {
        for d in known.domains {
            ix.domains.entry(d).or_default().push(m);
        }
        for key in known.keys {
            if is_cjk(key) {
                ix.cjk.push((m, key));
                continue;
            }
            let squashed = squash(key);
            let chars = squashed.chars().count();
            let k = ix.keys.len();
            ix.exact.entry(squashed.clone()).or_default().push(k);
            // One word only: "Super U" misread by a letter is "Super", a grade of petrol.
            if !known.strict && chars >= 6 && !key.contains([' ', '-', '&', '.', '\'']) {
                ix.fuzzy_by_len.entry(chars).or_default().push(k);
            }
            ix.keys.push(Key {
                merchant: m,
                squashed,
                chars,
            });
        }
    }
    ix
});

/// Keys this short count in a heading's middle (after OCR noise of a logo) only as part of
/// a company line: a short name inside a noisy line is too often chance.
const MIN_MID_HEAD_CHARS: usize = 5;

/// The known merchant a receipt's text names most clearly, if any. Non-strict names count
/// anywhere, and in the head or a company line also misread by one letter when they are
/// one word of six letters or more ("Kauflanid"); strict names only in the head, a domain
/// or a company line, spelled right.
///
/// Each line is placed first (`line_place`: heading, company line), then the names in it
/// are marked (`LineMarks::domains`, `LineMarks::cjk`, `LineMarks::words`) and the line's
/// best points per merchant added up (`LineMarks::add_to`).
pub fn find(lines: &[&str]) -> Option<Sighting> {
    let ix = &*INDEX;
    // Per merchant: points from places, points from the body, first line.
    let mut points = vec![(0u32, 0u32, usize::MAX); KNOWN.len()];
    let mut head_seen = 0usize;
    let mut marks = LineMarks {
        best_here: vec![(0, false); KNOWN.len()],
        touched: Vec::new(),
    };
    for (n, line) in lines.iter().take(MAX_LINES).enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let place = line_place(lines, n, head_seen);
        head_seen += 1;
        marks.domains(ix, line);
        marks.cjk(ix, line, &place);
        marks.words(ix, line, &place);
        marks.add_to(&mut points, n);
    }
    points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.0 + p.1 > 0)
        .max_by(|(_, a), (_, b)| (a.0 + a.1).cmp(&(b.0 + b.1)).then(b.2.cmp(&a.2)))
        .map(|(i, p)| Sighting {
            merchant: &KNOWN[i],
            points: p.0 + p.1,
        })
}

/// Where a line stands, as far as a shop's name goes.
struct LinePlace {
    /// Where the shop's name is printed: the first lines, or a block above an address.
    head: bool,
    /// ...and where a name that is also a word may stand.
    strict_head: bool,
    /// A company line: a legal form ("GmbH") or a farewell ("Ihr Kaufland-Team").
    company: bool,
}

/// Places line `n` of `lines`, the `head_seen`th non-empty one.
fn line_place(lines: &[&str], n: usize, head_seen: usize) -> LinePlace {
    let line = lines[n];
    // An item line with its price is not a heading, even near the top.
    let head = head_seen < HEAD_LINES && !RE_PRICE.is_match(line);
    // A name that is also a word heads the receipt only on its very first lines, or
    // a block with an address under it (card slips repeat the shop: "Saturn Paderborn"
    // / "Kamp 30-32" / "33098 Paderborn").
    let above_address = lines
        .iter()
        .skip(n + 1)
        .filter(|l| !l.trim().is_empty())
        .take(2)
        .any(|l| RE_POSTCODE_LINE.is_match(l));
    let name_line = !RE_PRICE.is_match(line) && above_address;
    // A line over an amount alone ("Total" / "12,00 €") is that amount's label: a name
    // that is also a word does not head the receipt there.
    let labels_amount = !RE_PRICE.is_match(line)
        && lines
            .iter()
            .skip(n + 1)
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| {
                RE_PRICE.is_match(l) && l.chars().filter(|c| c.is_alphabetic()).count() <= 4
            });
    let strict_head = ((head && head_seen < STRICT_HEAD_LINES) || name_line) && !labels_amount;
    // A company line names the company, not an amount: "Total 6% supplies (Inc. GST): 12.7"
    // has "Inc." for "inclusive" and a number with decimals.
    let company =
        RE_COMPANY.is_match(line) && !RE_INC_TAX.is_match(line) && !RE_DECIMAL.is_match(line);
    LinePlace {
        head: head || name_line,
        strict_head,
        company,
    }
}

/// The best points each merchant got on the current line, and which merchants got any.
struct LineMarks {
    /// Per merchant: points, and whether it was named in the body.
    best_here: Vec<(u32, bool)>,
    touched: Vec<usize>,
}

impl LineMarks {
    /// Merchant `m` named on this line, for `pts` points or as a body mention.
    fn mark(&mut self, m: usize, pts: u32, body: bool) {
        let b = &mut self.best_here[m];
        if b.0 == 0 && !b.1 {
            self.touched.push(m);
        }
        b.0 = b.0.max(pts);
        b.1 |= body;
    }

    /// Web and mail domains of known merchants ("www.lidl.de", "info@rossmann . de").
    fn domains(&mut self, ix: &Index, line: &str) {
        for c in RE_DOMAIN.captures_iter(line) {
            let Some(label) = c.get(1).or(c.get(2)).map(|m| m.as_str().to_lowercase()) else {
                continue;
            };
            // "marktkauf-lehr": a chain's franchise names its shop after a hyphen.
            let first = label.split('-').next().unwrap_or(&label);
            for d in [label.as_str(), first] {
                for &m in ix.domains.get(d).into_iter().flatten() {
                    self.mark(m, DOMAIN, false);
                }
            }
        }
    }

    /// Names written in Chinese or Japanese, found anywhere in the line.
    fn cjk(&mut self, ix: &Index, line: &str, place: &LinePlace) {
        for &(m, key) in &ix.cjk {
            if line.contains(key) {
                if place.head {
                    self.mark(m, HEAD, false);
                } else {
                    self.mark(m, 0, true);
                }
            }
        }
    }

    /// Names in Latin letters: runs of up to [`MAX_WINDOW`] words joined and looked up,
    /// exactly or (where a name stands) misread by one letter.
    fn words(&mut self, ix: &Index, line: &str, place: &LinePlace) {
        let LinePlace {
            head,
            strict_head,
            company,
        } = *place;
        let lower = line.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for start in 0..words.len() {
            let mut joined = String::new();
            for w in words.iter().skip(start).take(MAX_WINDOW) {
                joined.push_str(w);
                let len = joined.chars().count();
                let exact = ix.exact.get(&joined).map_or(&[][..], Vec::as_slice);
                let mut hits: Vec<usize> = exact.to_vec();
                // Misreadings are looked for where a name stands, not in every item line.
                if len >= 5 && (head || company) {
                    for l in len.saturating_sub(1)..=len + 1 {
                        for &k in ix.fuzzy_by_len.get(&l).into_iter().flatten() {
                            if !exact.contains(&k) && within_one(&joined, &ix.keys[k].squashed) {
                                hits.push(k);
                            }
                        }
                    }
                }
                for k in hits {
                    let key = &ix.keys[k];
                    let known = &KNOWN[key.merchant];
                    let at_head = start == 0 && if known.strict { strict_head } else { head };
                    let mid_head = head && !known.strict && key.chars >= MIN_MID_HEAD_CHARS;
                    let (pts, body) = match (at_head, company) {
                        (true, true) => (HEAD + COMPANY, false),
                        (true, false) => (HEAD, false),
                        (false, true) => (COMPANY, false),
                        (false, false) if known.strict => (0, false),
                        (false, false) if mid_head => (COMPANY, false),
                        (false, false) => (0, true),
                    };
                    if pts > 0 || body {
                        self.mark(key.merchant, pts, body);
                    }
                }
                if len > MAX_KEY_CHARS {
                    break;
                }
            }
        }
    }

    /// Adds the line's best points per merchant to `points` (a merchant named only in
    /// the body gets 1, at most [`BODY_MAX`] in all) and clears them for the next line.
    fn add_to(&mut self, points: &mut [(u32, u32, usize)], n: usize) {
        for m in self.touched.drain(..) {
            let (pts, body) = std::mem::take(&mut self.best_here[m]);
            let p = &mut points[m];
            p.0 += pts;
            if body && pts == 0 {
                p.1 = (p.1 + 1).min(BODY_MAX);
            }
            p.2 = p.2.min(n);
        }
    }
}

/// No spelling is longer than this (squashed), so longer joins are not looked up.
const MAX_KEY_CHARS: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Option<(&'static str, u32)> {
        let lines: Vec<&str> = text.lines().collect();
        find(&lines).map(|s| (s.merchant.name, s.points))
    }

    #[test]
    fn a_line_with_an_amount_or_inc_gst_is_no_company_line() {
        // "(Inc. GST)" is "inclusive": "Total" (TotalEnergies) is a label there.
        let head =
            "Kedai Roti\nLot 3, Jalan 2\nTel 03 5542 3228\nTAX INVOICE\nBread 2.13\nBuns 6.84\n";
        let body = "Total 6% supplies (Inc. GST): 16.7\nTotal 0% supplies: 22,9";
        assert_eq!(name(&format!("{head}{body}")), None);
        assert_eq!(name(&format!("{head}Total Ltd 12.7")), None);
        // A company line it stays without them.
        assert_eq!(
            name(&format!("{head}Sold by Total Ltd")).map(|n| n.0),
            Some("Total")
        );
    }

    #[test]
    fn a_word_name_over_an_amount_is_a_label() {
        // "Total" (TotalEnergies) is the label of the amount under it, not the shop.
        assert_eq!(name("Total\n12,00 €"), None);
        assert_eq!(name("TOTAL\nCHF 5.00\nDanke"), None);
    }

    #[test]
    fn names_and_domains() {
        assert_eq!(name("LIDL\nWarburger Straße 130"), Some(("Lidl", 3)));
        assert_eq!(
            name("Pc Alba nell\nPohlweg 110\n33100 Paderborn\nA 1,00\nB 2,00\nSUMME 3,00\nAldi GmbH & Co. KG, Schloß Holte"),
            Some(("Aldi", 2))
        );
        assert_eq!(
            name("x\ny\nÖffnungszeiten auf dm.de"),
            Some(("dm-drogerie markt", 2))
        );
        assert_eq!(
            name("ay\n: Kauflarıd\nKauf land\nIhr Kauf land-Team."),
            Some(("Kaufland", 5))
        );
        assert_eq!(
            name("MEDIA MARKT\nTV-Hifi-Elektro GmbH"),
            Some(("MediaMarkt", 3))
        );
        assert_eq!(name("ファミリーマート\n合計 ¥500"), Some(("FamilyMart", 3)));
    }

    #[test]
    fn ordinary_words_are_not_merchants() {
        // "real", "Netto", "Total", "Spar" as words in the body.
        assert_eq!(
            name("Bäckerei Jung\nHauptstr. 1\nNetto 3,00\nTotal 3,57\nreal good"),
            None
        );
        assert_eq!(
            name("Cafe Jung\nHauptstr. 1\n12345 Berlin\nSie sparen 1,00\nSpar mit uns"),
            None
        );
        // A sentence's full stop is not a domain's dot; OCR's spaced dots after "www" are.
        assert_eq!(
            name("Cafe Jung\nHauptstr. 1\n12345 Berlin\nTake action. It is easy"),
            None
        );
        assert_eq!(
            name("Cafe\nb\nc\nd\ne\nf\ng\nwww . action . de"),
            Some(("Action", 2))
        );
        // ...but as the shop's name at the top, or with a legal form, they count.
        assert_eq!(name("real GmbH\n33100 Paderborn"), Some(("real", 5)));
        assert_eq!(name("NETTO\nMarken-Discount"), Some(("Netto", 3)));
        // A card slip under the items repeats the shop above its address.
        let slip = "DJI\nMAVIC PRO\nTotal EUR 1.129,00\n* Kundenbeleg *\nSaturn Paderborn\nKamp 30-32\n33098 Paderborn";
        assert_eq!(name(slip), Some(("Saturn", 3)));
        assert_eq!(name("a\nb\nc\nd\nTotal Paderborn\nx\ny\nz"), None);
        assert_eq!(
            name("a\nb\nc\nd\ne\nf\ng\nNetto Marken-Discount AG & Co. KG"),
            Some(("Netto", 2))
        );
    }

    #[test]
    fn an_item_named_like_a_chain_counts_less_than_the_shop() {
        let text = "dm-drogerie markt\nPohlweg 110\nAlnatura Dinkel 1,95\nAlnatura Hafer 2,45";
        assert_eq!(name(text), Some(("dm-drogerie markt", 3)));
        // Misspelt by one letter (long names only).
        assert_eq!(
            name("a\nb\nc\nd\ne\nf\ng\nVielen Dank, Ihr Rossmamn Team"),
            Some(("Rossmann", 2))
        );
        assert_eq!(name("Lidi\n"), None);
        // Only one-word names are matched loosely: "Super" (petrol) is not "Super U".
        assert_eq!(name("Tankstelle Nord\nSuper E10 1,45 EUR/l"), None);
    }

    #[test]
    fn edit_distance() {
        assert!(within_one("kaufland", "kaufland"));
        assert!(within_one("kauflanid", "kaufland"));
        assert!(within_one("kauflnd", "kaufland"));
        assert!(within_one("kauflamd", "kaufland"));
        assert!(!within_one("kauflarıd", "kaufland"));
        assert!(!within_one("kaufhof", "kaufland"));
        assert!(within_one("bunting", "bünting"));
        assert!(within_one("kaufland", "kauflan"));
        assert!(within_one("aufland", "kaufland"));
        assert!(!within_one("kaufladn", "kaufland"));
    }
}
