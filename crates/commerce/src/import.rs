//! The catalog from CSV (`tiski import catalog FILE`): RFC 4180 text with a header row, each
//! further row a new product, added one transaction per row so a refused row refuses only
//! itself; the report names each refused row by its line and says why.
//!
//! Columns (any order; empty cells are absent): `sku`, `kind`, `name:<language>` (one per
//! language), `price:<currency>` (one per currency), `vat_rate`, `prices_include_vat`
//! (`true`/`false`), `lead_time_days`, `warranty_months`, `parts` (SKUs separated by `;`),
//! `active_from`, `active_until`.

use crate::catalog::{NewProduct, ProductKind};
use crate::{Commerce, Price};
use std::collections::BTreeMap;
use tiski_kernel::{Actor, AppError};

/// The most rows one import takes.
pub const MAX_ROWS: usize = 100_000;

/// A row the import refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The line of the file the row starts on (the header is line 1).
    pub line: usize,
    /// The column (or field) at fault, when one is.
    pub field: Option<String>,
    /// Why, as a sentence.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Products added.
    pub created: usize,
    /// Rows refused, in file order.
    pub refused: Vec<Refused>,
}

/// Splits RFC 4180 text into records with the line each starts on: fields separated by
/// commas, quoted with `"` (doubled inside), records ended by LF or CRLF (also inside quotes,
/// where they belong to the field). An unclosed quote is an error naming its line.
pub fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, Refused> {
    let mut out = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut line, mut start, mut quoted, mut any) = (1, 1, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        any = true;
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut record)));
                line += 1;
                start = line;
                any = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(Refused {
            line: start,
            field: None,
            reason: "A quoted field is not closed.".into(),
        });
    }
    if any {
        record.push(field);
        out.push((start, record));
    }
    Ok(out)
}

/// Reads one row under `header` as a new product; the refusal names the column.
pub fn product_of(header: &[String], row: &[String]) -> Result<NewProduct, (String, String)> {
    if row.len() != header.len() {
        return Err((
            "row".into(),
            format!(
                "The row has {} cells; the header has {}.",
                row.len(),
                header.len()
            ),
        ));
    }
    let mut product = NewProduct {
        sku: String::new(),
        kind: ProductKind::Product,
        names: BTreeMap::new(),
        prices: Vec::new(),
        vat_rate: String::new(),
        prices_include_vat: false,
        lead_time_days: 0,
        warranty_months: 0,
        parts: Vec::new(),
        active_from: None,
        active_until: None,
    };
    let number = |column: &str, cell: &str| {
        cell.trim()
            .parse::<i64>()
            .map_err(|_| (column.to_string(), "Give a whole number.".to_string()))
    };
    for (column, cell) in header.iter().zip(row) {
        if cell.is_empty() {
            continue;
        }
        match column.as_str() {
            "sku" => product.sku = cell.clone(),
            "kind" => {
                product.kind = match cell.as_str() {
                    "product" => ProductKind::Product,
                    "service" => ProductKind::Service,
                    _ => return Err((column.clone(), "The kind is product or service.".into())),
                }
            }
            "vat_rate" => product.vat_rate = cell.clone(),
            "prices_include_vat" => {
                product.prices_include_vat = match cell.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err((column.clone(), "Write true or false.".into())),
                }
            }
            "lead_time_days" => product.lead_time_days = number(column, cell)?,
            "warranty_months" => product.warranty_months = number(column, cell)?,
            "parts" => {
                product.parts = cell.split(';').map(|p| p.trim().to_string()).collect();
            }
            "active_from" => product.active_from = Some(cell.clone()),
            "active_until" => product.active_until = Some(cell.clone()),
            other => match other.split_once(':') {
                Some(("name", language)) => {
                    product.names.insert(language.to_string(), cell.clone());
                }
                Some(("price", currency)) => product.prices.push(Price {
                    currency: currency.to_string(),
                    amount: cell.trim().to_string(),
                }),
                _ => return Err((column.clone(), "This column is not one tiski knows.".into())),
            },
        }
    }
    Ok(product)
}

impl Commerce {
    /// Adds the products of a CSV text, one transaction per row, as `actor` (who must be
    /// allowed to change the catalog); `progress` is told after each row (done, of).
    pub async fn import_catalog(
        &self,
        actor: &Actor,
        text: &str,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<ImportReport, AppError> {
        actor.grant(tiski_domain::Permission::ProductManage)?;
        let mut report = ImportReport::default();
        let mut rows = match records(text) {
            Ok(rows) => rows.into_iter(),
            Err(refused) => {
                report.refused.push(refused);
                return Ok(report);
            }
        };
        let Some((_, header)) = rows.next() else {
            return Ok(report);
        };
        // Column names ignore case; what follows `name:` or `price:` is kept as written.
        let header: Vec<String> = header
            .iter()
            .map(|h| match h.trim().split_once(':') {
                Some((kind, rest)) => format!("{}:{rest}", kind.to_lowercase()),
                None => h.trim().to_lowercase(),
            })
            .collect();
        let rows: Vec<(usize, Vec<String>)> = rows.collect();
        if rows.len() > MAX_ROWS {
            return Err(AppError::invalid(
                "file",
                format!("One import takes at most {MAX_ROWS} rows."),
            ));
        }
        let total = rows.len();
        for (done, (line, row)) in rows.into_iter().enumerate() {
            let refused = match product_of(&header, &row) {
                Err((field, reason)) => Some((Some(field), reason)),
                Ok(product) => match self.create_product(actor, product, None).await {
                    Ok(_) => None,
                    Err(error) => Some((error.field().map(str::to_string), error.to_string())),
                },
            };
            match refused {
                None => report.created += 1,
                Some((field, reason)) => report.refused.push(Refused {
                    line,
                    field,
                    reason,
                }),
            }
            progress(done + 1, total);
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_follow_rfc_4180() {
        let text = "sku,name:en\r\nA-1,\"Drill, \"\"pro\"\"\"\nB-2,\"two\nlines\"\nC-3,x";
        let rows = records(text).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[1],
            (2, vec!["A-1".to_string(), "Drill, \"pro\"".to_string()])
        );
        assert_eq!(
            rows[2],
            (3, vec!["B-2".to_string(), "two\nlines".to_string()])
        );
        assert_eq!(rows[3].0, 5);
        assert_eq!(records("a\n\"open").unwrap_err().line, 2);
        assert_eq!(records("").unwrap(), vec![]);
        assert_eq!(records("a\n").unwrap(), vec![(1, vec!["a".to_string()])]);
    }

    #[test]
    fn rows_become_products_or_name_their_column() {
        let header: Vec<String> = [
            "sku",
            "name:fi",
            "price:EUR",
            "vat_rate",
            "lead_time_days",
            "parts",
        ]
        .map(String::from)
        .to_vec();
        let row: Vec<String> = ["P-1", "Pora", "19.90", "24", "3", "A;B"]
            .map(String::from)
            .to_vec();
        let product = product_of(&header, &row).unwrap();
        assert_eq!(product.names["fi"], "Pora");
        assert_eq!(product.prices[0].amount, "19.90");
        assert_eq!(product.parts, ["A", "B"]);
        let mut bad = row.clone();
        bad[4] = "three".into();
        assert_eq!(product_of(&header, &bad).unwrap_err().0, "lead_time_days");
        assert_eq!(product_of(&header, &row[..2]).unwrap_err().0, "row");
        let odd: Vec<String> = ["colour"].map(String::from).to_vec();
        assert_eq!(
            product_of(&odd, &["red".to_string()]).unwrap_err().0,
            "colour"
        );
    }
}
