#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04, with
# network). Written by `cargo course grade --export gradescope`.
#
# It installs what the grader needs (a C compiler, util-linux, the exact Rust toolchain the course
# was exported with, cargo-nextest), builds the grader from the course's own source, and warms
# its cache: the exercises' dependencies are vendored and the reference solution is built and
# graded here, once, so that grading a submission later needs no network and only rebuilds the
# chapter crates.
set -euo pipefail
umask 022

# Filled in at export time from `rustc --version`.
RUST_VERSION="@RUST_VERSION@"

ROOT=/autograder
SOURCE="$ROOT/source"
COURSE="$SOURCE/course"
# The toolchain goes where every user can read it: submissions are built and tested under user
# ids of their own, which cannot enter /root. run_autograder uses the same two folders.
export RUSTUP_HOME=/usr/local/rustup
export CARGO_HOME=/usr/local/cargo
export PATH="$CARGO_HOME/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

echo "== system packages"
apt-get update
apt-get install -y --no-install-recommends build-essential curl ca-certificates util-linux tar

echo "== Rust $RUST_VERSION"
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --no-modify-path --profile minimal --default-toolchain "$RUST_VERSION"
rustc --version

echo "== cargo-nextest"
curl -LsSf https://get.nexte.st/latest/linux | tar zxf - -C "$CARGO_HOME/bin"
cargo nextest --version
chmod -R a+rX "$RUSTUP_HOME" "$CARGO_HOME"

echo "== the grader"
# Not --locked: the lock file is the whole repository's, a superset of what the grader needs.
# Without the book (mdBook): grading needs none of it.
cargo build --release --manifest-path "$COURSE/Cargo.toml" -p course-cli --no-default-features

# The reference solution and the instructor's tests are read by the grader (root) only; a
# submission's code, built and run under another user id, must not be able to read them.
for secret in "$COURSE/solutions" "$COURSE/extra-tests"; do
    if [ -e "$secret" ]; then chmod -R go-rwx "$secret"; fi
done
# The grading slots (under $SOURCE/work) must be reachable by those user ids.
chmod a+rx "$ROOT" "$SOURCE"

echo "== warming the cache (vendoring, building and grading the reference solution)"
extra=()
if [ -d "$COURSE/extra-tests" ]; then extra=(--extra-tests "$COURSE/extra-tests"); fi
warm="$(mktemp -d)"
mkdir "$warm/submissions"
"$COURSE/target/release/cargo-course" grade "$warm/submissions" --out "$warm/out" \
    --work "$SOURCE/work" --course "$COURSE" --no-sandbox --prepare-only "${extra[@]}"
rm -rf "$warm"
echo "== ready"
