// Chapter 2, "The Rust way": passing data to a child and back, through an
// argument, its standard input and its standard output.
use std::env;
use std::io::{self, BufRead, BufWriter, Write};
use std::process::{Command, Stdio};
use std::thread;

// ANCHOR: child
/// The child: reads one word per line and answers one line per word:
/// the prefix it was given as an argument, the word in capitals, its length.
fn shout() -> io::Result<()> {
    let prefix = env::args().nth(1).unwrap_or_default();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in io::stdin().lock().lines() {
        let word = line?;
        writeln!(out, "{prefix}{} {}", word.to_uppercase(), word.len())?;
    }
    out.flush()
}
// ANCHOR_END: child

// ANCHOR: parent
fn main() -> io::Result<()> {
    if env::var_os("EXAMPLE_ROLE").is_some_and(|role| role == "shouter") {
        return shout();
    }

    const WORDS: usize = 10_000;
    let mut child = Command::new(env::current_exe()?)
        .env("EXAMPLE_ROLE", "shouter")
        .arg("> ") // a small value travels well as an argument
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;

    // Feed the child from another thread, so that this thread is free to read
    // the answers at the same time. The thread owns the pipe: when it ends,
    // the pipe closes, and the child sees the end of its input.
    let stdin = child.stdin.take().expect("stdin is piped");
    let writer = thread::spawn(move || -> io::Result<()> {
        let mut stdin = BufWriter::new(stdin);
        for i in 0..WORDS {
            writeln!(stdin, "word{i}")?;
        }
        stdin.flush()
    });

    // Reads all of stdout (and stderr, if piped) until the child closes it,
    // then waits for the child to exit.
    let output = child.wait_with_output()?;
    writer.join().expect("the writer thread panicked")?;
    assert!(output.status.success());

    let answers = String::from_utf8(output.stdout).expect("the child writes UTF-8");
    let lines: Vec<&str> = answers.lines().collect();
    assert_eq!(lines.len(), WORDS);
    assert_eq!(lines[0], "> WORD0 5");
    let last = lines[WORDS - 1];
    assert_eq!(last, "> WORD9999 8");
    println!("{} answers, the last one: {last}", lines.len());
    Ok(())
}
// ANCHOR_END: parent
