//! The CSV export (the format is in the module docs of [`super`]).

use super::CaseStudy;

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

/// The case studies as RFC 4180 CSV with a header row (see the module docs).
/// Cells are [defused](defuse) unless `raw_cells`.
pub fn to_csv(entries: &[CaseStudy], include_note: bool, raw_cells: bool) -> String {
    let value_columns = entries
        .iter()
        .map(|e| e.values.len())
        .max()
        .unwrap_or(0)
        .max(3);
    let mut header: Vec<String> = [
        "title",
        "lead_member",
        "participating_members",
        "year",
        "status",
        "source",
        "decision",
        "primary_category",
        "categories",
        "principles",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend((1..=value_columns).map(|i| format!("value_{i}")));
    if include_note {
        header.push("note".into());
    }
    header.extend(["reviewer", "reviewed_at", "excerpt"].map(String::from));

    let mut rows = vec![header];
    for e in entries {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut row = vec![
            e.title.clone(),
            opt(&e.lead_member),
            e.participating_members.join("; "),
            e.year.map(|y| y.to_string()).unwrap_or_default(),
            opt(&e.status),
            e.source.clone(),
            e.decision.clone(),
            opt(&e.primary_category),
            e.categories.join("; "),
            e.principles.join("; "),
        ];
        row.extend((0..value_columns).map(|i| e.values.get(i).cloned().unwrap_or_default()));
        if include_note {
            row.push(opt(&e.note));
        }
        row.extend([opt(&e.reviewer), opt(&e.reviewed_at), e.excerpt.clone()]);
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
