//! Embeds the sample batch (`data/sample`) so `casetag demo` works from any folder.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("data/sample");
    println!("cargo:rerun-if-changed=data/sample");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// The sample batch: (file name, contents).\npub const SAMPLE_FILES: &[(&str, &[u8])] = &[\n",
    );
    for name in &names {
        let path = std::fs::canonicalize(dir.join(name)).unwrap_or_else(|_| dir.join(name));
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let _ = std::fs::write(Path::new(&out_dir).join("sample_files.rs"), out);
}
