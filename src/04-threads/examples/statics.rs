// Chapter 4, "The Rust way": globals that every thread shares must be `Sync`.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, OnceLock};
use std::thread;

// ANCHOR: statics
static HITS: AtomicU64 = AtomicU64::new(0); // a number: an atomic
static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new()); // anything else: behind a lock
static STARTED_BY: OnceLock<String> = OnceLock::new(); // set once, at run time
static GREETINGS: LazyLock<HashMap<&str, &str>> = // built on first use
    LazyLock::new(|| HashMap::from([("zh", "你好"), ("en", "hello")]));

fn visit(lang: &str) {
    HITS.fetch_add(1, Ordering::Relaxed);
    let me = thread::current();
    let line = format!("{}: {}", me.name().unwrap_or("?"), GREETINGS[lang]);
    LOG.lock().unwrap().push(line);
}

fn main() {
    STARTED_BY.set("main".to_owned()).unwrap();
    thread::scope(|s| {
        for (i, lang) in ["zh", "en", "zh"].into_iter().enumerate() {
            thread::Builder::new()
                .name(format!("visitor-{i}"))
                .spawn_scoped(s, move || visit(lang))
                .unwrap();
        }
    });
    let mut log = LOG.lock().unwrap().clone();
    log.sort();
    println!(
        "{} hits, started by {}: {log:?}",
        HITS.load(Ordering::Relaxed),
        STARTED_BY.get().unwrap()
    );
}
// ANCHOR_END: statics
