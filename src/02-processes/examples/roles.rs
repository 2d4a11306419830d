// Chapter 2, "The Rust way": instead of subclassing Process and overriding
// run(), an enum of roles and one dispatcher in `main`.
use std::env;
use std::io;
use std::process::{Child, Command, ExitCode, Stdio};

// ANCHOR: role
/// Every role this program can play in a child process. One variant per
/// "subclass of Process"; its fields are what that subclass's constructor took.
#[derive(Debug, PartialEq)]
enum Role {
    Sing { song: String },
    Dance { steps: u32 },
}

impl Role {
    /// The notes' `run`: what the child does in this role.
    fn run(self) -> ExitCode {
        match self {
            Role::Sing { song } => println!("sang {song}"),
            Role::Dance { steps } => println!("danced {steps} steps"),
        }
        ExitCode::SUCCESS
    }

    /// A role becomes text to cross into the new process: its name in the
    /// environment, its fields as arguments.
    fn encode(&self) -> (&'static str, Vec<String>) {
        match self {
            Role::Sing { song } => ("sing", vec![song.clone()]),
            Role::Dance { steps } => ("dance", vec![steps.to_string()]),
        }
    }

    /// And the child turns the text back into a role.
    fn decode(name: &str, args: &[String]) -> Result<Role, String> {
        match (name, args) {
            ("sing", [song]) => Ok(Role::Sing { song: song.clone() }),
            ("dance", [steps]) => steps
                .parse()
                .map(|steps| Role::Dance { steps })
                .map_err(|e| format!("dance: bad number of steps {steps:?}: {e}")),
            _ => Err(format!("unknown role {name:?} with arguments {args:?}")),
        }
    }

    /// The notes' `start()`: run this role in a new process.
    fn start(&self) -> io::Result<Child> {
        let (name, args) = self.encode();
        Command::new(env::current_exe()?)
            .env("EXAMPLE_ROLE", name)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
    }
}
// ANCHOR_END: role

// ANCHOR: main
fn main() -> ExitCode {
    // The one dispatcher: a child finds its role and runs it.
    if let Some(name) = env::var_os("EXAMPLE_ROLE") {
        let args: Vec<String> = env::args().skip(1).collect();
        return match Role::decode(&name.to_string_lossy(), &args) {
            Ok(role) => role.run(),
            Err(problem) => {
                eprintln!("{problem}");
                ExitCode::from(2)
            }
        };
    }

    // The parent: start both children, then wait for both.
    let roles = [
        Role::Sing {
            song: "茉莉花".into(),
        },
        Role::Dance { steps: 8 },
    ];
    let children: Vec<Child> = roles
        .iter()
        .map(|role| role.start().expect("cannot start a child"))
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("cannot wait for a child");
        assert!(output.status.success());
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main
