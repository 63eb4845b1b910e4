//! What the words next to an amount say it is: the total paid, a grand total, a plain
//! total, a part of one (tax, shipping) or no total at all (subtotal, change, unit price).
//! Mostly keyword tables in many languages, one regex per class, and the tables that spot
//! a till receipt's tax table and its cash-given and change lines.

use std::sync::LazyLock;

use regex::Regex;

use super::keywords::kw_regex;

/// What the words next to an amount say it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum AClass {
    /// "Amount paid", "You paid", "实付".
    Paid,
    /// "Grand total", "Order total", "Gesamtbetrag", "Total TTC", "合计".
    Strong,
    /// "Total", "Summe", "Betrag", "Amount".
    Normal,
    None,
    /// Tax, shipping, fees, tips: part of a total.
    Component,
    /// Subtotal, change, tendered, discounts, unit prices: not the total.
    Hard,
}

impl AClass {
    pub(super) fn score(self) -> f32 {
        match self {
            AClass::Paid => 3.5,
            AClass::Strong => 3.0,
            AClass::Normal => 2.0,
            AClass::None => 0.0,
            AClass::Component => -1.5,
            AClass::Hard => -2.5,
        }
    }
    pub(super) fn is_total(self) -> bool {
        matches!(self, AClass::Paid | AClass::Strong | AClass::Normal)
    }
}

pub(super) static RE_AMT_PAID: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "amount paid",
        "amount charged",
        "total paid",
        "total charged",
        "you paid",
        "paid amount",
        "payment amount",
        "charged",
        "you were charged",
        "montant payé",
        "montant réglé",
        "total payé",
        "importe pagado",
        "total pagado",
        "bezahlt",
        "bezahlter betrag",
        "gezahlt",
        "bedrag betaald",
        "payment successful",
        "payment complete",
        "payment completed",
        "zahlung erfolgreich",
        "paiement réussi",
        "pago realizado",
        "pago completado",
        "支付成功",
        "付款成功",
        "交易成功",
        "支払い完了",
        "決済完了",
        "实付",
        "实付款",
        "实付金额",
        "實付",
        "支付金额",
        "付款金额",
        "お支払い金額",
        "お支払金額",
        "お支払い合計",
        "결제금액",
    ])
});

pub(super) static RE_AMT_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "grand total",
        "payable",
        "total bayar",
        "jumlah bayaran",
        "jumlah keseluruhan",
        "order total",
        "total due",
        "amount due",
        "balance due",
        "total amount",
        "total to pay",
        "payment total",
        "invoice total",
        "total price",
        "total cost",
        "ttc",
        "montant total",
        "net à payer",
        "à payer",
        "importe total",
        "total a pagar",
        "importe a pagar",
        "zu zahlen",
        "zahlbetrag",
        "endbetrag",
        "endsumme",
        "rechnungsbetrag",
        "gesamt*",
        "brutto*",
        "totale",
        "totaal",
        "te betalen",
        "totalt",
        "att betala",
        "å betale",
        "i alt",
        "razem",
        "do zapłaty",
        "celkem",
        "yhteensä",
        "toplam",
        "итого",
        "всего",
        "к оплате",
        "σύνολο",
        "合计",
        "合計",
        "总计",
        "總計",
        "应付",
        "應付",
        "ご請求金額",
        "請求金額",
        "ご請求額",
        "請求額",
        "お支払い総額",
        "注文合計",
        "합계",
    ])
});

pub(super) static RE_AMT_NORMAL: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "total",
        "totals",
        "sum",
        "summe",
        "betrag",
        "amount",
        "paid",
        "payment",
        "charge",
        "kreditkarte",
        "ec-karte",
        "ec karte",
        "girocard",
        "kartenzahlung",
        "card",
        "montant",
        "importe",
        "monto",
        "summa",
        "suma",
        "jumlah",
        "price",
        "金额",
        "金額",
        "总额",
        "總額",
        "总价",
    ])
});

static RE_AMT_COMPONENT: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "tax",
        "taxes",
        "vat",
        "gst",
        "hst",
        "pst",
        "qst",
        "sst",
        "ppn",
        "mwst",
        "ust",
        "umsatzsteuer",
        "mehrwertsteuer",
        "steuer*",
        "tva",
        "iva",
        "igv",
        "btw",
        "impuesto",
        "impuestos",
        "shipping",
        "delivery",
        "postage",
        "handling",
        "freight",
        "versand*",
        "porto",
        "lieferung",
        "liefergebühr",
        "livraison",
        "frais de port",
        "envío",
        "envio",
        "tip",
        "tips",
        "gratuity",
        "trinkgeld",
        "propina",
        "pourboire",
        "fee",
        "fees",
        "service charge",
        "surcharge",
        "gebühr*",
        "frais",
        "insurance",
        "税",
        "稅",
        "运费",
        "運費",
        "配送料",
        "送料",
        "手数料",
        "服务费",
        "小费",
    ])
});

static RE_AMT_HARD: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "subtotal",
        "sub total",
        "sub-total",
        "sous-total",
        "sous total",
        "subtotaal",
        "subtotale",
        "delsumma",
        "delsum",
        "mellomsum",
        "net amount",
        "net total",
        "netto*",
        "zwischensumme",
        "zwischentotal",
        "teilsumme",
        "ht",
        "hors taxe*",
        "before tax",
        "pre-tax",
        "pretax",
        "excl*",
        "exkl*",
        "zzgl*",
        "zuzüglich",
        "change",
        "change due",
        "cambio",
        "rückgeld",
        "wechselgeld",
        "monnaie",
        "rendu",
        "vuelto",
        "tendered",
        "cash",
        "bar",
        "gegeben",
        "discount*",
        "rabatt*",
        "remise",
        "réduction",
        "descuento",
        "savings",
        "you saved",
        "you save",
        "saved",
        "coupon",
        "voucher",
        "gutschein",
        "promo*",
        "refund*",
        "erstatt*",
        "rückerstattung",
        "remboursement",
        "reembolso",
        "deposit",
        "pfand",
        "unit price",
        "price per",
        "each",
        "per item",
        "einzelpreis",
        "stückpreis",
        "qty",
        "quantity",
        "menge",
        "anzahl",
        "prix unitaire",
        "precio unitario",
        "points",
        "remaining",
        "previous",
        "gift card",
        "geschenkkarte",
        "rounding",
        "rundung",
        "小计",
        "小計",
        "找零",
        "お釣り",
        "おつり",
        "お預",
        "預り",
        "优惠",
        "折扣",
        "割引",
        "値引",
        "实收",
        "现金",
        "現金",
        "积分",
        "ポイント",
        "单价",
        "単価",
        "数量",
        "立减",
        "减免",
    ])
});

pub(super) static RE_INCL: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "incl*",
        "inkl*",
        "inclu*",
        // "Inc. GST", and "Incl" misread as "Inc]".
        "inc",
        "enthalten",
        "ttc",
        "con iva",
        "with",
        "mit",
        "avec",
        "含税",
        "税込",
        "税込み",
    ])
});

pub(super) fn amount_class(seg: &str) -> AClass {
    let trimmed = seg.trim();
    if trimmed.is_empty() {
        return AClass::None;
    }
    if trimmed.ends_with('=') {
        return AClass::Normal; // "2 x 12,50 € = 25,00 €"
    }
    if RE_AMT_HARD.is_match(seg) {
        return AClass::Hard;
    }
    let paid = RE_AMT_PAID.is_match(seg);
    let strong = !paid && RE_AMT_STRONG.is_match(seg);
    let normal = !paid && !strong && RE_AMT_NORMAL.is_match(seg);
    if RE_AMT_COMPONENT.is_match(seg) && !((paid || strong || normal) && RE_INCL.is_match(seg)) {
        return AClass::Component;
    }
    if paid {
        AClass::Paid
    } else if strong {
        AClass::Strong
    } else if normal {
        AClass::Normal
    } else {
        AClass::None
    }
}

/// Header of a till receipt's tax table ("MwSt  Netto  Brutto"): the rows below list
/// net amounts, taxes and gross amounts per rate, not the total.
pub(super) static RE_TABLE_NET: LazyLock<Regex> =
    LazyLock::new(|| kw_regex(&["netto*", "net", "ht", "nettobetrag", "entgelt"]));
pub(super) static RE_TABLE_TAX: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "brutto*", "gross", "mwst*", "ust", "steuer*", "tax", "vat", "tva", "iva", "ttc",
    ])
});

/// A rounding line: the total above it is rounded to the coins in use, and the amount
/// payable printed at or below it is the rounded one.
pub(super) static RE_ROUNDING: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "rounding",
        "round adj*",
        "rounded",
        "rundung",
        "gerundet",
        "arrondi*",
        "redondeo",
        "arredondamento",
        "arrotondamento",
        "afronding",
        "avrundning",
        "öresavrundning",
        "penggenapan",
        "pembulatan",
    ])
});

/// Cash handed over, and the change given back: total = given - change.
pub(super) static RE_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "gegeben",
        "bar",
        "bargeld",
        "barzahlung",
        "cash",
        "tendered",
        "amount tendered",
        "espèces",
        "efectivo",
        "contanti",
        "お預り",
        "お預かり",
        "预收",
        "实收",
        "现金",
        "現金",
    ])
});
pub(super) static RE_CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "rückgeld",
        "ruckgeld",
        "wechselgeld",
        "zurück",
        "zuruck",
        "change",
        "change due",
        "rendu",
        "monnaie",
        "cambio",
        "vuelto",
        "resto",
        "找零",
        "お釣り",
        "おつり",
    ])
});
