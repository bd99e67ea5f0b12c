//! The CSV export (the format is in the module docs of [`super`]).

use super::CaseStudy;
use super::fields::Value;

/// What a spreadsheet takes for the start of a formula (as OWASP lists it
/// for CSV injection): a cell starting with one of these runs when the file
/// is opened, unless [`defuse`] puts a `'` before it.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as a spreadsheet shows it as text: a `'` before a cell that starts
/// with one of [`FORMULA_STARTS`], any other cell unchanged.
pub fn defuse(cell: String) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The case studies as RFC 4180 CSV with a header row (see the module docs):
/// one column per field, the ranked values spread over
/// at least three. Cells are [defused](defuse) unless `raw_cells`.
pub fn to_csv(entries: &[CaseStudy], include_note: bool, raw_cells: bool) -> String {
    let ranks = entries
        .iter()
        .map(|e| e.values.len())
        .max()
        .unwrap_or(0)
        .max(3);
    let header = CaseStudy::default()
        .fields(include_note)
        .into_iter()
        .flat_map(|(name, value)| match value {
            // values: value_1, value_2, ...
            Value::Ranked(_) => {
                let one = name.strip_suffix('s').unwrap_or(name);
                (1..=ranks).map(|i| format!("{one}_{i}")).collect()
            }
            _ => vec![name.to_owned()],
        })
        .collect::<Vec<String>>();

    let mut rows = vec![header];
    for e in entries {
        let mut row = Vec::with_capacity(rows[0].len());
        for (_, value) in e.fields(include_note) {
            match value {
                Value::Text(t) => row.push(t.to_owned()),
                Value::Opt(t) => row.push(t.unwrap_or_default().to_owned()),
                Value::Year(y) => row.push(y.map(|y| y.to_string()).unwrap_or_default()),
                Value::List(l) => row.push(l.join("; ")),
                Value::Ranked(l) => {
                    row.extend((0..ranks).map(|i| l.get(i).cloned().unwrap_or_default()));
                }
            }
        }
        if !raw_cells {
            row = row.into_iter().map(defuse).collect();
        }
        rows.push(row);
    }

    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in &rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_formula_start_is_defused() {
        for start in FORMULA_STARTS {
            let cell = format!("{start}1+1");
            assert_eq!(defuse(cell.clone()), format!("'{cell}"));
        }
        for cell in ["", "plain", " =1", "a=1", "'=1", "1-2", "＝1"] {
            assert_eq!(defuse(cell.to_owned()), cell);
        }
    }
}
