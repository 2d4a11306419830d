// Chapter 2, "The Rust way": a process asks who it is, and who started it.
// The notes' os.getpid() and os.getppid().

// ANCHOR: ids
use std::process;

fn main() {
    // os.getpid(): the number the operating system gave this process.
    let me = process::id();
    println!("pid={me}");

    // os.getppid(): the process that started this one. It exists on Unix
    // only, so this block is compiled on Unix only.
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        assert_ne!(me, parent);
        println!("ppid={parent}");
    }
}
// ANCHOR_END: ids
