//! The per-language tables of the email generator: the languages and how often each is
//! drawn, the words of each, its merchants, its currencies and how they are written, and
//! the month names. Table data, moved here unchanged from the generator.

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Lang {
    EnUs,
    EnGb,
    EnMy,
    De,
    DeCh,
    Fr,
    Es,
    Zh,
    Ja,
    Sv,
}

pub(super) const LANGS: &[Lang] = &[
    Lang::EnUs,
    Lang::EnUs,
    Lang::EnGb,
    Lang::EnMy,
    Lang::De,
    Lang::De,
    Lang::DeCh,
    Lang::Fr,
    Lang::Es,
    Lang::Zh,
    Lang::Ja,
    Lang::Sv,
];

/// Words of one language.
pub(super) struct Words {
    pub(super) total: &'static [&'static str],
    pub(super) subtotal: &'static str,
    pub(super) tax: &'static [&'static str],
    pub(super) shipping: &'static str,
    pub(super) tip: Option<&'static str>,
    pub(super) discount: &'static str,
    pub(super) date: &'static [&'static str],
    pub(super) order: &'static [&'static str],
    pub(super) pay: &'static [&'static str],
    pub(super) delivery: &'static str,
    pub(super) coupon: &'static str,
    pub(super) thanks: &'static str,
    pub(super) subject: &'static [&'static str],
    pub(super) items: &'static [&'static str],
    pub(super) qty: &'static str,
}

/// Table data: the words of each language, one struct literal per language.
pub(super) fn words(l: Lang) -> Words {
    match l {
        Lang::EnUs | Lang::EnGb | Lang::EnMy => Words {
            total: &[
                "Total",
                "Order Total",
                "Grand Total",
                "Amount paid",
                "Total charged",
                "Total (incl. tax)",
            ],
            subtotal: "Subtotal",
            tax: if l == Lang::EnGb {
                &["VAT (20%)", "VAT"]
            } else if l == Lang::EnMy {
                &["SST 6%", "Tax"]
            } else {
                &["Tax", "Sales Tax", "Estimated tax"]
            },
            shipping: "Shipping",
            tip: Some("Tip"),
            discount: "Discount",
            date: &[
                "Date",
                "Order date",
                "Paid on",
                "Purchase date",
                "Date paid",
            ],
            order: &[
                "Order number",
                "Order #",
                "Invoice no.",
                "Receipt #",
                "Order ID",
            ],
            pay: &["Payment method", "Paid with", "Payment"],
            delivery: "Estimated delivery",
            coupon: "Coupon valid until",
            thanks: "Thanks for your order! Here is your receipt.",
            subject: &[
                "Your receipt from {m}",
                "Your {m} order #{o}",
                "Order confirmation #{o}",
                "Payment received - thank you",
                "Receipt for your purchase",
            ],
            items: &[
                "Wireless mouse",
                "Coffee beans 1kg",
                "USB-C cable",
                "Notebook A5",
                "Desk lamp",
                "Running socks",
                "Gift wrap",
                "Phone case",
            ],
            qty: "Qty",
        },
        Lang::De | Lang::DeCh => Words {
            total: &[
                "Gesamtsumme",
                "Gesamtbetrag",
                "Summe",
                "Rechnungsbetrag",
                "Zu zahlen",
                "Gesamt (inkl. MwSt.)",
            ],
            subtotal: "Zwischensumme",
            tax: if l == Lang::DeCh {
                &["MWST 8,1 %", "inkl. MWST"]
            } else {
                &["MwSt. 19 %", "inkl. 19 % MwSt.", "Umsatzsteuer"]
            },
            shipping: "Versandkosten",
            tip: Some("Trinkgeld"),
            discount: "Rabatt",
            date: &["Datum", "Bestelldatum", "Rechnungsdatum", "Bezahlt am"],
            order: &[
                "Bestellnummer",
                "Rechnungsnummer",
                "Bestell-Nr.",
                "Rechnung Nr.",
            ],
            pay: &["Zahlungsart", "Bezahlt mit", "Zahlungsmethode"],
            delivery: "Voraussichtliche Lieferung",
            coupon: "Gutschein gültig bis",
            thanks: "Vielen Dank für Ihre Bestellung! Hier ist Ihre Quittung.",
            subject: &[
                "Ihre Bestellung bei {m}",
                "Ihre Rechnung {o}",
                "Bestellbestätigung Nr. {o}",
                "Zahlungsbestätigung von {m}",
            ],
            items: &[
                "Kaffeebohnen 1 kg",
                "Fahrradschloss",
                "Notizbuch A5",
                "Tischlampe",
                "Wanderschuhe",
                "Geschenkpapier",
                "Ladekabel USB-C",
            ],
            qty: "Menge",
        },
        Lang::Fr => Words {
            total: &[
                "Total TTC",
                "Montant total",
                "Total payé",
                "Net à payer",
                "Total",
            ],
            subtotal: "Sous-total",
            tax: &["TVA (20 %)", "dont TVA 20 %", "TVA"],
            shipping: "Livraison",
            tip: Some("Pourboire"),
            discount: "Remise",
            date: &[
                "Date",
                "Date de commande",
                "Date de paiement",
                "Date de facture",
            ],
            order: &[
                "N° de commande",
                "Numéro de commande",
                "Facture n°",
                "Numéro de facture",
            ],
            pay: &["Mode de paiement", "Payé avec", "Moyen de paiement"],
            delivery: "Livraison prévue le",
            coupon: "Bon valable jusqu'au",
            thanks: "Merci pour votre commande ! Voici votre reçu.",
            subject: &[
                "Votre commande chez {m}",
                "Votre facture {o}",
                "Confirmation de commande n° {o}",
                "Votre reçu {m}",
            ],
            items: &[
                "Café en grains 1 kg",
                "Lampe de bureau",
                "Carnet A5",
                "Câble USB-C",
                "Chaussettes de sport",
            ],
            qty: "Qté",
        },
        Lang::Es => Words {
            total: &["Total", "Importe total", "Total pagado", "Total a pagar"],
            subtotal: "Subtotal",
            tax: &["IVA (21%)", "IVA incluido", "IVA"],
            shipping: "Envío",
            tip: Some("Propina"),
            discount: "Descuento",
            date: &[
                "Fecha",
                "Fecha de pedido",
                "Fecha de pago",
                "Fecha de compra",
            ],
            order: &[
                "Número de pedido",
                "Pedido nº",
                "Factura nº",
                "Número de factura",
            ],
            pay: &["Método de pago", "Pagado con", "Forma de pago"],
            delivery: "Entrega estimada",
            coupon: "Cupón válido hasta",
            thanks: "¡Gracias por tu compra! Este es tu recibo.",
            subject: &[
                "Tu recibo de {m}",
                "Confirmación de tu pedido {o}",
                "Tu factura {o}",
                "Pedido recibido - {m}",
            ],
            items: &[
                "Café en grano 1 kg",
                "Lámpara de escritorio",
                "Cuaderno A5",
                "Cable USB-C",
                "Calcetines",
            ],
            qty: "Cant.",
        },
        Lang::Zh => Words {
            total: &["合计", "实付款", "订单总额", "应付金额", "实付金额"],
            subtotal: "商品小计",
            tax: &["税费", "税额"],
            shipping: "运费",
            tip: None,
            discount: "优惠",
            date: &["下单时间", "支付时间", "订单日期", "日期"],
            order: &["订单号", "订单编号", "交易单号"],
            pay: &["支付方式", "付款方式"],
            delivery: "预计送达",
            coupon: "优惠券有效期至",
            thanks: "感谢您的购买！以下是您的订单详情。",
            subject: &[
                "{m} 订单确认",
                "您的订单 {o} 已支付",
                "支付成功通知",
                "{m} 电子收据",
            ],
            items: &["无线鼠标", "咖啡豆 1kg", "数据线", "笔记本", "台灯"],
            qty: "数量",
        },
        Lang::Ja => Words {
            total: &["合計", "お支払い金額", "ご請求金額", "お支払い合計"],
            subtotal: "小計",
            tax: &["消費税", "(うち消費税)"],
            shipping: "送料",
            tip: None,
            discount: "割引",
            date: &["注文日", "お支払い日", "ご注文日", "日付"],
            order: &["注文番号", "ご注文番号"],
            pay: &["お支払い方法", "支払方法"],
            delivery: "お届け予定日",
            coupon: "クーポン有効期限",
            thanks: "ご注文ありがとうございます。ご注文内容をお知らせします。",
            subject: &[
                "【{m}】ご注文の確認",
                "ご注文ありがとうございます（注文番号 {o}）",
                "{m} 領収書",
                "お支払い完了のお知らせ",
            ],
            items: &[
                "ワイヤレスマウス",
                "コーヒー豆 1kg",
                "ノート A5",
                "USBケーブル",
                "デスクライト",
            ],
            qty: "数量",
        },
        Lang::Sv => Words {
            total: &["Totalt", "Att betala", "Summa att betala"],
            subtotal: "Delsumma",
            tax: &["Moms 25 %", "varav moms"],
            shipping: "Frakt",
            tip: Some("Dricks"),
            discount: "Rabatt",
            date: &["Datum", "Orderdatum", "Köpdatum"],
            order: &["Ordernummer", "Order nr", "Kvitto nr"],
            pay: &["Betalsätt", "Betalningsmetod", "Payment method"],
            delivery: "Beräknad leverans",
            coupon: "Rabattkod giltig till",
            thanks: "Tack för din beställning! Här är ditt kvitto.",
            subject: &[
                "Ditt kvitto från {m}",
                "Orderbekräftelse {o}",
                "Din beställning hos {m}",
            ],
            items: &[
                "Kaffebönor 1 kg",
                "Skrivbordslampa",
                "Anteckningsbok",
                "USB-C-kabel",
            ],
            qty: "Antal",
        },
    }
}

/// (display name, domain, latin name usable as a domain label)
pub(super) fn merchants(l: Lang) -> &'static [(&'static str, &'static str, bool)] {
    match l {
        Lang::EnUs | Lang::EnGb => &[
            ("Northwind Outfitters", "northwind-outfitters.com", true),
            ("Bluebird Coffee Co.", "bluebirdcoffee.com", true),
            ("Harbor Books", "harborbooks.co.uk", true),
            ("Pixel Forge Games", "pixelforge.io", true),
            ("Maple & Main Hardware", "mapleandmain.com", false),
            ("Summit Cycles", "summitcycles.com", true),
            ("Lumen Lighting", "lumenlighting.co.uk", true),
            ("Greenleaf Grocers", "greenleafgrocers.com", true),
            ("Copper Kettle Bistro", "copperkettle.com", false),
            ("Atlas Travel Gear", "atlastravelgear.com", true),
        ],
        Lang::EnMy => &[
            ("Kedai Harimau", "kedaiharimau.com.my", true),
            (
                "Mutiara Electronics Sdn Bhd",
                "mutiara-electronics.my",
                false,
            ),
        ],
        Lang::De => &[
            ("Bäckerei Sonnenschein", "baeckerei-sonnenschein.de", false),
            ("Elektro Krüger GmbH", "elektro-krueger.de", false),
            ("Buchhandlung Morgenrot", "buchhandlung-morgenrot.de", true),
            ("Fahrradladen Speiche", "speiche.de", false),
            ("Weinhaus Rebstock", "weinhaus-rebstock.de", true),
        ],
        Lang::DeCh => &[
            ("Velo Zürich AG", "velo-zuerich.ch", false),
            ("Käserei Alpenblick", "alpenblick.ch", false),
        ],
        Lang::Fr => &[
            ("Librairie Dupont", "librairie-dupont.fr", true),
            ("Boulangerie du Marché", "boulangerie-marche.fr", false),
            ("Maison Lavande", "maisonlavande.fr", true),
            ("Cycles Perrin", "cyclesperrin.fr", true),
        ],
        Lang::Es => &[
            ("Tienda Sol", "tiendasol.es", true),
            ("Librería Alameda", "libreria-alameda.es", false),
            ("Café Miramar", "cafemiramar.es", false),
        ],
        Lang::Zh => &[
            ("星辰书店", "xingchen-books.cn", false),
            ("云杉数码", "yunshan-digital.com.cn", false),
            ("Lotus Tea House", "lotusteahouse.cn", true),
        ],
        Lang::Ja => &[
            ("さくら商店", "sakura-shoten.jp", false),
            ("青空ブックス", "aozora-books.co.jp", false),
            ("Kumo Electronics", "kumo-electronics.jp", true),
        ],
        Lang::Sv => &[
            ("Nordljus Design", "nordljus.se", true),
            ("Fjällbutiken", "fjallbutiken.se", false),
        ],
    }
}

/// A currency and how this email writes it.
#[derive(Clone, Copy)]
pub(super) struct CurStyle {
    pub(super) code: &'static str,
    /// (before, after) the number.
    pub(super) pre: &'static str,
    pub(super) post: &'static str,
    pub(super) dec: char,
    pub(super) group: &'static str,
}

pub(super) fn cur_styles(l: Lang) -> Vec<CurStyle> {
    const fn cs(
        code: &'static str,
        pre: &'static str,
        post: &'static str,
        dec: char,
        group: &'static str,
    ) -> CurStyle {
        CurStyle {
            code,
            pre,
            post,
            dec,
            group,
        }
    }
    match l {
        Lang::EnUs => vec![
            cs("USD", "$", "", '.', ","),
            cs("USD", "$", "", '.', ","),
            cs("USD", "US$", "", '.', ","),
            cs("USD", "USD ", "", '.', ","),
            cs("USD", "", " USD", '.', ","),
            cs("USD", "$ ", "", '.', ","),
        ],
        Lang::EnGb => vec![
            cs("GBP", "£", "", '.', ","),
            cs("GBP", "£", "", '.', ","),
            cs("GBP", "GBP ", "", '.', ","),
            cs("EUR", "€", "", '.', ","),
        ],
        Lang::EnMy => vec![
            cs("MYR", "RM ", "", '.', ","),
            cs("MYR", "RM", "", '.', ","),
            cs("MYR", "MYR ", "", '.', ","),
        ],
        Lang::De => vec![
            cs("EUR", "", " €", ',', "."),
            cs("EUR", "", " €", ',', "."),
            cs("EUR", "€ ", "", ',', "."),
            cs("EUR", "EUR ", "", ',', "."),
            cs("EUR", "", " EUR", ',', "."),
            cs("EUR", "", " €", ',', ""),
        ],
        Lang::DeCh => vec![
            cs("CHF", "CHF ", "", '.', "'"),
            cs("CHF", "", " CHF", '.', "'"),
            cs("CHF", "Fr. ", "", '.', "'"),
        ],
        Lang::Fr => vec![
            cs("EUR", "", " €", ',', " "),
            cs("EUR", "", "\u{a0}€", ',', "\u{a0}"),
            cs("EUR", "", " EUR", ',', " "),
            cs("CHF", "CHF ", "", '.', "'"),
        ],
        Lang::Es => vec![
            cs("EUR", "", " €", ',', "."),
            cs("EUR", "", "€", ',', "."),
            cs("EUR", "", " EUR", ',', "."),
        ],
        Lang::Zh => vec![
            cs("CNY", "¥", "", '.', ","),
            cs("CNY", "￥", "", '.', ","),
            cs("CNY", "", "元", '.', ""),
            cs("CNY", "RMB ", "", '.', ","),
            cs("CNY", "CNY ", "", '.', ","),
        ],
        Lang::Ja => vec![
            cs("JPY", "¥", "", '.', ","),
            cs("JPY", "￥", "", '.', ","),
            cs("JPY", "", "円", '.', ","),
            cs("JPY", "JPY ", "", '.', ","),
        ],
        Lang::Sv => vec![
            cs("SEK", "", " kr", ',', " "),
            cs("SEK", "", " SEK", ',', " "),
            cs("SEK", "SEK ", "", ',', " "),
            cs("NOK", "", " NOK", ',', " "),
        ],
    }
}

pub(super) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
pub(super) const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
pub(super) const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
