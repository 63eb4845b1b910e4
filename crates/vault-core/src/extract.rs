// TEMPORARY placeholder until the real extractor lands (replaced by helper).
use crate::model::Money;
#[derive(Debug, Clone, PartialEq)]
pub struct Scored<T> { pub value: T, pub confidence: f32 }
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints<'a> { pub email_from: Option<&'a str>, pub subject: Option<&'a str> }
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub amount: Option<Scored<Money>>,
    pub date: Option<Scored<chrono::NaiveDate>>,
    pub merchant: Option<Scored<String>>,
    pub order_ref: Option<Scored<String>>,
    pub payment_method: Option<Scored<String>>,
}
pub fn extract(_text: &str, _hints: &Hints) -> Extracted { Extracted::default() }
pub fn merchant_from_sender(_from: &str) -> Option<String> { None }
