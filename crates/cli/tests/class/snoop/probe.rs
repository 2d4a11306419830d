{
    let _ = std::fs::write("{{out}}/pwned", "x");
    let _ = std::fs::write("{{peer}}/pwned", "x");
    let _ = std::net::TcpStream::connect("{{addr}}");
    let mem = if std::fs::OpenOptions::new().write(true).open("/proc/self/mem").is_ok() {
        "PROC-MEM-WRITABLE"
    } else {
        "PROC-MEM-REFUSED"
    };
    let mut extra = "EXTRA-HIDDEN";
    for e in std::fs::read_dir("../../target/debug/deps").into_iter().flatten().flatten() {
        if e.file_name().to_string_lossy().starts_with("extra_")
            && std::fs::read(e.path()).is_ok_and(|b| b.windows(18).any(|w| w == b"SECRET-EXPECTATION"))
        {
            extra = "EXTRA-LEAKED";
        }
    }
    panic!("{mem} {extra}")
}
