//! Purchase orders read out of EDI messages: X12 850 (BEG, CUR, DTM, N1, PO1) and EDIFACT
//! ORDERS (BGM, DTM, CUX, NAD, LIN/PIA/QTY/PRI). Pure: the catalog and the partner's SKU map
//! are applied by the caller.

use std::collections::HashMap;
use tiski_edi::{Code, Message, Problem, Segment, Syntax};

/// A party named by the order (N1, NAD): its role code, id and name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Party {
    /// `BY` (buyer), `ST` (ship to), `SU` (supplier) …
    pub role: String,
    /// The party's id as the partner gave it.
    pub id: String,
    /// Its name, if given.
    pub name: String,
}

/// One line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoLine {
    /// The partner's line number (PO101, LIN 1082).
    pub line_id: String,
    /// The quantity as written (PO102, QTY 6060).
    pub quantity: String,
    /// The unit of measure (PO103), if given.
    pub unit: String,
    /// The partner's unit price as written (PO104, PRI 5118); tiski prices from its catalog.
    pub price: String,
    /// Product ids with their qualifiers in the order given (`BP`, `VN`, `EN`, `SA` …).
    pub ids: Vec<(String, String)>,
    /// Where the line is (`ST[1]/PO1[2]`, `UNH[1]/LIN[2]`).
    pub path: String,
    /// Where its quantity is (`ST[1]/PO1[2]/02`, `UNH[1]/QTY[2]/01`).
    pub quantity_path: String,
}

/// A purchase order as the partner wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrder {
    /// Their order number (BEG03, BGM 1004).
    pub reference: String,
    /// Its date as written (BEG05, DTM 137).
    pub date: String,
    /// The currency it names (CUR02, CUX 6345), if any.
    pub currency: Option<String>,
    /// The delivery date asked for (DTM 002 / DTM 2), if any.
    pub delivery_date: Option<String>,
    /// The parties named.
    pub parties: Vec<Party>,
    /// Its lines.
    pub lines: Vec<PoLine>,
}

/// Qualifiers that name the seller's own part number: such an id is our SKU when the
/// partner's map has no entry.
const VENDOR_QUALIFIERS: [&str; 5] = ["VN", "VP", "SK", "MG", "SA"];

impl PoLine {
    /// Our SKU for this line: the first of its ids the partner's map knows, mapped; else the
    /// seller's part number (VN, VP, SK, MG, SA) as is; else its first id as is.
    pub fn sku(&self, map: &HashMap<String, String>) -> Option<String> {
        self.ids
            .iter()
            .find_map(|(_, id)| map.get(id).cloned())
            .or_else(|| {
                self.ids
                    .iter()
                    .find(|(q, _)| VENDOR_QUALIFIERS.contains(&q.as_str()))
                    .map(|(_, id)| id.clone())
            })
            .or_else(|| self.ids.first().map(|(_, id)| id.clone()))
    }

    /// The quantity as a whole number (`12`, `12.0`), if it is one.
    pub fn whole_quantity(&self) -> Option<i64> {
        let text = self.quantity.trim();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || !fraction.chars().all(|c| c == '0') {
            return None;
        }
        whole
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| whole.parse().ok())
            .flatten()
    }
}

/// The message type that carries purchase orders in `syntax`.
pub fn order_kind(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::X12 => "850",
        Syntax::Edifact => "ORDERS",
    }
}

/// Counts segments by tag within a message, for paths.
#[derive(Default)]
struct Counter(HashMap<String, usize>);

impl Counter {
    fn next(&mut self, tag: &str) -> usize {
        let n = self.0.entry(tag.to_string()).or_insert(0);
        *n += 1;
        *n
    }
}

/// Reads a purchase order out of a message of the order kind.
pub fn read(message: &Message, syntax: Syntax) -> Result<PurchaseOrder, Problem> {
    match syntax {
        Syntax::X12 => read_850(message),
        Syntax::Edifact => read_orders(message),
    }
}

fn missing(path: String, what: &str) -> Problem {
    Problem::new(
        path,
        Code::MissingSegment,
        format!("The order has no {what}."),
    )
}

fn read_850(message: &Message) -> Result<PurchaseOrder, Problem> {
    let at = message.path();
    let mut counter = Counter::default();
    let mut order = PurchaseOrder {
        reference: String::new(),
        date: String::new(),
        currency: None,
        delivery_date: None,
        parties: Vec::new(),
        lines: Vec::new(),
    };
    let mut beg = false;
    for segment in message.body() {
        let n = counter.next(&segment.tag);
        let path = format!("{at}/{}[{n}]", segment.tag);
        match segment.tag.as_str() {
            "BEG" => {
                if segment.get(3).trim().is_empty() {
                    return Err(Problem::new(
                        format!("{path}/03"),
                        Code::BadValue,
                        "BEG03, the purchase order number, is empty.",
                    ));
                }
                beg = true;
                order.reference = segment.get(3).trim().to_string();
                order.date = segment.get(5).to_string();
            }
            "CUR" => order.currency = Some(segment.get(2).trim().to_string()),
            "DTM" if matches!(segment.get(1), "002" | "010" | "037") => {
                order.delivery_date = Some(segment.get(2).to_string());
            }
            "N1" => order.parties.push(Party {
                role: segment.get(1).to_string(),
                name: segment.get(2).to_string(),
                id: segment.get(4).to_string(),
            }),
            "PO1" => order.lines.push(po1(segment, &path)),
            _ => {}
        }
    }
    if !beg {
        return Err(missing(format!("{at}/BEG"), "BEG segment"));
    }
    if order.lines.is_empty() {
        return Err(missing(format!("{at}/PO1"), "PO1 line"));
    }
    Ok(order)
}

fn po1(segment: &Segment, path: &str) -> PoLine {
    let mut ids = Vec::new();
    let mut n = 6;
    while n < segment.elements.len() + 1 {
        let (qualifier, id) = (segment.get(n).trim(), segment.get(n + 1).trim());
        if !id.is_empty() {
            ids.push((qualifier.to_string(), id.to_string()));
        }
        n += 2;
    }
    PoLine {
        line_id: segment.get(1).to_string(),
        quantity: segment.get(2).to_string(),
        unit: segment.get(3).to_string(),
        price: segment.get(4).to_string(),
        ids,
        path: path.to_string(),
        quantity_path: format!("{path}/02"),
    }
}

fn read_orders(message: &Message) -> Result<PurchaseOrder, Problem> {
    let at = message.path();
    let mut counter = Counter::default();
    let mut order = PurchaseOrder {
        reference: String::new(),
        date: String::new(),
        currency: None,
        delivery_date: None,
        parties: Vec::new(),
        lines: Vec::new(),
    };
    let mut bgm = false;
    for segment in message.body() {
        let n = counter.next(&segment.tag);
        let path = format!("{at}/{}[{n}]", segment.tag);
        match segment.tag.as_str() {
            "BGM" => {
                let reference = segment.component(2, 1).trim();
                if reference.is_empty() {
                    return Err(Problem::new(
                        format!("{path}/02"),
                        Code::BadValue,
                        "BGM's document number (1004) is empty.",
                    ));
                }
                bgm = true;
                order.reference = reference.to_string();
            }
            "DTM" => match segment.component(1, 1) {
                "137" | "4" => order.date = segment.component(1, 2).to_string(),
                "2" | "10" | "64" => {
                    order.delivery_date = Some(segment.component(1, 2).to_string());
                }
                _ => {}
            },
            "CUX" => order.currency = Some(segment.component(1, 2).trim().to_string()),
            "NAD" => order.parties.push(Party {
                role: segment.get(1).to_string(),
                id: segment.component(2, 1).to_string(),
                name: segment.component(4, 1).to_string(),
            }),
            "LIN" => {
                let mut ids = Vec::new();
                let id = segment.component(3, 1).trim();
                if !id.is_empty() {
                    ids.push((segment.component(3, 2).to_string(), id.to_string()));
                }
                order.lines.push(PoLine {
                    line_id: segment.get(1).to_string(),
                    quantity: String::new(),
                    unit: String::new(),
                    price: String::new(),
                    ids,
                    quantity_path: format!("{path}/QTY"),
                    path,
                });
            }
            "PIA" => {
                if let Some(line) = order.lines.last_mut() {
                    for e in 2..=segment.elements.len() {
                        let id = segment.component(e, 1).trim();
                        if !id.is_empty() {
                            line.ids
                                .push((segment.component(e, 2).to_string(), id.to_string()));
                        }
                    }
                }
            }
            "QTY" => {
                if let Some(line) = order.lines.last_mut() {
                    let qualifier = segment.component(1, 1);
                    if line.quantity.is_empty() || qualifier == "21" {
                        line.quantity = segment.component(1, 2).to_string();
                        line.unit = segment.component(1, 3).to_string();
                        line.quantity_path = format!("{path}/01");
                    }
                }
            }
            "PRI" => {
                if let Some(line) = order.lines.last_mut() {
                    line.price = segment.component(1, 2).to_string();
                }
            }
            _ => {}
        }
    }
    if !bgm {
        return Err(missing(format!("{at}/BGM"), "BGM segment"));
    }
    if order.lines.is_empty() {
        return Err(missing(format!("{at}/LIN"), "LIN line"));
    }
    Ok(order)
}
