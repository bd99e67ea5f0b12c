//! The export key: the pack and the CSV beside the batch.

use std::path::PathBuf;

use super::App;

impl App {
    /// Writes the pack and the CSV of the approved case studies beside the
    /// batch folder (or into the configured export folder).
    pub(super) fn export(&mut self) {
        let dir = self
            .batch
            .dir
            .canonicalize()
            .unwrap_or_else(|_| self.batch.dir.clone());
        let stem = dir
            .file_name()
            .map_or_else(|| "batch".to_string(), |n| n.to_string_lossy().into_owned());
        let target = self
            .export_dir
            .clone()
            .or_else(|| dir.parent().map(PathBuf::from))
            .unwrap_or_else(|| dir.clone());
        match crate::export::export_for_ui(&self.batch, &self.taxonomy, &target, &stem) {
            Ok((paths, skipped)) => {
                // where each file went, whole: the folder above the batch
                // unless export_dir says otherwise
                let names: Vec<String> = paths
                    .iter()
                    .map(|p| crate::sanitize::clean(&p.display().to_string()))
                    .collect();
                let mut text = format!("exported {}", names.join(" and "));
                if !skipped.is_empty() {
                    text.push_str(&format!(
                        "; {} skipped (invalid or changed: see casetag check)",
                        skipped.len()
                    ));
                }
                self.info(text);
            }
            Err(e) => self.error(format!(
                "export failed: {} ({})",
                crate::sanitize::clean(&target.display().to_string()),
                crate::sanitize::clean(&e.to_string())
            )),
        }
    }
}
