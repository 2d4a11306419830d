//! Preprocesses the book with mdBook (which expands `{{#rustdoc_include}}`) and writes each page
//! into OUT_DIR, plus `book_pages.rs`, which makes every page the doc comment of a module. So
//! rustdoc compiles and runs every Rust block in the book as a doctest of this crate.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!("cargo:rerun-if-changed={}", repo.join("src").display());
    println!(
        "cargo:rerun-if-changed={}",
        repo.join("book.toml").display()
    );

    let (pages, warnings) = match course_book::pages(&repo) {
        Ok(found) => found,
        Err(err) => panic!("cannot preprocess the book: {err:#}"),
    };
    for warning in warnings {
        println!("cargo:warning=mdBook: {warning}");
    }

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut modules = String::new();
    for page in pages {
        let file = out.join("book").join(&page.path);
        std::fs::create_dir_all(file.parent().expect("a page is a file"))
            .expect("OUT_DIR is writable");
        std::fs::write(&file, &page.content).expect("OUT_DIR is writable");
        let name: String = page
            .path
            .with_extension("")
            .to_string_lossy()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        writeln!(
            modules,
            "#[doc = include_str!({file:?})]\npub mod page_{name} {{}}\n",
            file = file.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    std::fs::write(out.join("book_pages.rs"), modules).expect("OUT_DIR is writable");
}
