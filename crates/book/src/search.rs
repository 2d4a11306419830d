//! Chinese in the book's search.
//!
//! mdBook's search trims every character that is not an ASCII letter, digit or `_` from both ends
//! of a word, on the build side and in the browser alike (mdBook issue 1081). A word of Chinese
//! alone becomes empty, so 进程 (process) or 线程池 (thread pool) finds nothing; and Chinese is
//! written without spaces, so a sentence would be one "word" anyway.
//!
//! After a build, [`index_chinese`] adds every run of Chinese characters in every indexed section
//! to the index as overlapping pairs of characters: 线程池 becomes 线程 and 程池. It puts
//! `chinese-search.js` at the head of the index's file; that script splits a query the same way
//! and keeps Chinese through the trimmer, so a reader who types 线程池 finds the sections holding
//! 线程 and 程池. The script runs as the index arrives, so it is in place before the search loads
//! the index, whatever order the page's scripts load in (a script added with `additional-js`
//! raced the index, and sometimes lost). A stock `mdbook build` has neither: its search stays
//! English-only, and works as before.

use anyhow::{Context, Result, bail};
use elasticlunr::document_store::DocumentStore;
use elasticlunr::inverted_index::InvertedIndex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How mdBook 0.5 wraps the index's JSON in `searchindex.js`.
const PREFIX: &str = "window.search = Object.assign(window.search, JSON.parse('";
const SUFFIX: &str = "'));";

/// The query side: put at the head of `searchindex.js`.
const SCRIPT: &str = include_str!("chinese-search.js");

/// Whether `c` is a Chinese character (a CJK unified or compatibility ideograph). Chinese
/// punctuation (，。：) is not, so it ends a run.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// The overlapping pairs of characters in each run of Chinese in `text`; a run of one
/// character is kept as it is. `"线程池 and 锁"` gives `线程`, `程池` and `锁`.
pub fn pairs(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut run: Vec<char> = Vec::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_han(c) {
            run.push(c);
            continue;
        }
        match run.len() {
            0 => {}
            1 => tokens.push(run[0].to_string()),
            _ => tokens.extend(run.windows(2).map(|w| w.iter().collect::<String>())),
        }
        run.clear();
    }
    tokens
}

/// Adds the Chinese of every section to the search index of the book built in `dir`, and says
/// how many (section, field, pair) entries it added. A book built without search has no index,
/// and is left alone.
pub fn index_chinese(dir: &Path) -> Result<usize> {
    let Some(file) = find_index(dir)? else {
        return Ok(0);
    };
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read the search index {}", file.display()))?;
    let Some(json) = text
        .trim_end()
        .strip_prefix(PREFIX)
        .and_then(|t| t.strip_suffix(SUFFIX))
    else {
        bail!(
            "{}: not the search index mdBook 0.5 writes (it should start with `{PREFIX}`)",
            file.display()
        );
    };
    let mut search: Value = serde_json::from_str(&unescape(json))
        .with_context(|| format!("{}: the index is not JSON", file.display()))?;
    let added = add_pairs(&mut search)
        .with_context(|| format!("{}: the index is not in elasticlunr's form", file.display()))?;
    let json = serde_json::to_string(&search)?;
    let text = format!(
        "{SCRIPT}\n{PREFIX}{}{SUFFIX}",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    );
    // Write beside it and rename, so a failed write leaves the old index whole. The file keeps
    // the name mdBook gave it, whose hash comes from mdBook's own index: a change to the script
    // alone does not change the name, so a browser may keep the old script until the book's
    // text changes.
    let temp = file.with_extension("js.tmp");
    std::fs::write(&temp, text).with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, &file).with_context(|| format!("cannot replace {}", file.display()))?;
    Ok(added)
}

/// The `searchindex*.js` file in `dir` (mdBook may add a hash to the name), if search is on.
fn find_index(dir: &Path) -> Result<Option<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("searchindex") && name.ends_with(".js") {
            found.push(path);
        }
    }
    match found.len() {
        0 | 1 => Ok(found.pop()),
        _ => bail!(
            "{}: more than one search index ({found:?}); remove the folder and build again",
            dir.display()
        ),
    }
}

/// Undoes mdBook's escaping of the JSON inside a single-quoted JavaScript string: it doubles
/// every `\` and puts a `\` before every `'`.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Adds the pairs to each field's inverted index, and counts them in each section's field
/// length, which elasticlunr.js divides the score by.
fn add_pairs(search: &mut Value) -> Result<usize> {
    let index = search
        .get_mut("index")
        .context("no `index` in the search index")?;
    let mut store: DocumentStore = serde_json::from_value(
        index
            .get("documentStore")
            .context("no `documentStore`")?
            .clone(),
    )?;
    if !store.save {
        bail!("the index keeps no text (`documentStore.save` is false)");
    }
    let fields = index
        .get_mut("index")
        .and_then(Value::as_object_mut)
        .context("no fields in the index")?;
    let mut added = 0;
    for (field, inverted) in fields.iter_mut() {
        let mut tree: InvertedIndex = serde_json::from_value(inverted.take())?;
        for (doc, values) in &store.docs {
            let Some(text) = values.get(field) else {
                continue;
            };
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for pair in pairs(text) {
                *counts.entry(pair).or_default() += 1;
            }
            if counts.is_empty() {
                continue;
            }
            // The same term frequency elasticlunr gives a word: the square root of its count.
            for (pair, count) in &counts {
                tree.add_token(doc, pair, (*count as f64).sqrt());
                added += 1;
            }
            let total: u64 = counts.values().sum();
            *store
                .doc_info
                .entry(doc.clone())
                .or_default()
                .entry(field.clone())
                .or_default() += total as usize;
        }
        *inverted = serde_json::to_value(&tree)?;
    }
    index["documentStore"] = serde_json::to_value(&store)?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_overlap_within_each_run_of_chinese() {
        assert_eq!(pairs("线程池"), ["线程", "程池"]);
        assert_eq!(pairs("进程，线程。"), ["进程", "线程"]);
        assert_eq!(pairs("a 锁 b"), ["锁"]);
        assert_eq!(pairs("Mutex and rayon"), Vec::<String>::new());
        assert_eq!(pairs("多任务x进程"), ["多任", "任务", "进程"]);
    }

    #[test]
    fn unescape_reverses_mdbooks_escaping() {
        let json = r#"{"a":"it's \"x\" \\ y"}"#;
        let escaped = json.replace('\\', "\\\\").replace('\'', "\\'");
        assert_eq!(unescape(&escaped), json);
    }

    #[test]
    fn a_section_in_chinese_is_found_by_its_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = elasticlunr::Index::new(["title", "body"]);
        index.add_doc("0", ["进程 (processes)", "每个进程有自己的内存"]);
        index.add_doc("1", ["Threads", "a thread shares memory"]);
        let search = serde_json::json!({ "doc_urls": ["a.html", "b.html"], "index": index });
        let json = serde_json::to_string(&search).unwrap();
        std::fs::write(
            dir.path().join("searchindex-1234.js"),
            format!(
                "{PREFIX}{}{SUFFIX}",
                json.replace('\\', "\\\\").replace('\'', "\\'")
            ),
        )
        .unwrap();

        let added = index_chinese(dir.path()).unwrap();
        // Title: 进程. Body: 每个 个进 进程 程有 有自 自己 己的 的内 内存.
        assert_eq!(added, 1 + 9);

        let text = std::fs::read_to_string(dir.path().join("searchindex-1234.js")).unwrap();
        let (script, index) = text.split_once(PREFIX).unwrap();
        assert_eq!(script, format!("{SCRIPT}\n"), "the query side comes first");
        let json = index.strip_suffix(SUFFIX).unwrap();
        let search: Value = serde_json::from_str(&unescape(json)).unwrap();
        let body: InvertedIndex =
            serde_json::from_value(search["index"]["index"]["body"].clone()).unwrap();
        assert_eq!(
            body.get_docs("进程")
                .map(|d| d.into_keys().collect::<Vec<_>>()),
            Some(vec!["0".to_owned()])
        );
        assert!(body.get_docs("进程池").is_none());
        assert!(body.has_token("thread"), "the English words stay");
        let info = &search["index"]["documentStore"]["docInfo"]["0"];
        assert_eq!(info["body"], 9, "the pairs count in the field's length");
        assert_eq!(search["doc_urls"][1], "b.html");

        // A book built without search has no index, and is left alone.
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(index_chinese(empty.path()).unwrap(), 0);
    }

    #[test]
    fn a_file_that_is_not_mdbooks_index_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("searchindex.js");
        std::fs::write(&file, "var x = 1;").unwrap();
        let err = index_chinese(dir.path()).unwrap_err();
        assert!(format!("{err:#}").contains("searchindex.js"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "var x = 1;");
    }
}
