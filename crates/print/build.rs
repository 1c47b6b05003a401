//! Finds the Japanese font the PDFs embed, from Debian's fonts-noto-cjk package (installed by
//! `scripts/test`, `scripts/demo` and CI when missing). `MAMORI_FONT_DIR` points elsewhere.

use std::path::PathBuf;

const FILES: [(&str, &str); 2] = [
    ("MAMORI_FONT_REGULAR", "NotoSansCJK-Regular.ttc"),
    ("MAMORI_FONT_BOLD", "NotoSansCJK-Bold.ttc"),
];

fn main() {
    println!("cargo:rerun-if-env-changed=MAMORI_FONT_DIR");
    // Built without the `pdf` feature: no typesetting, no font to embed.
    if std::env::var_os("CARGO_FEATURE_PDF").is_none() {
        return;
    }
    let dirs: Vec<PathBuf> = match std::env::var_os("MAMORI_FONT_DIR") {
        Some(d) => vec![PathBuf::from(d)],
        None => vec![
            PathBuf::from("/usr/share/fonts/opentype/noto"),
            PathBuf::from("/usr/share/fonts/noto-cjk"),
            PathBuf::from("/usr/share/fonts/google-noto-cjk"),
        ],
    };
    for (var, file) in FILES {
        let Some(path) = dirs.iter().map(|d| d.join(file)).find(|p| p.is_file()) else {
            eprintln!(
                "mamori-print: {file} not found in {dirs:?}. Install Debian's fonts-noto-cjk \
                 (apt-get install fonts-noto-cjk) or set MAMORI_FONT_DIR to the folder that holds it."
            );
            std::process::exit(1);
        };
        println!("cargo:rerun-if-changed={}", path.display());
        println!("cargo:rustc-env={var}={}", path.display());
    }
}
