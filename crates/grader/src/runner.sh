#!/bin/bash
# Written by `cargo course grade`: nextest's target runner for one student. It runs one test
# process ("$@": the test binary and nextest's arguments) inside the sandbox, read-only, with the
# exit guard preloaded and its output cut off at the limit. What changes from student to student
# (the sandbox's command line, the instructor's binaries to hide, the limits) is in runner.args
# beside this file, written by the grader as bash arrays.
set -o pipefail
source "$(dirname "$0")/runner.args"

# Every test process but the instructor's extra tests' own sees their binaries as empty files.
hide=()
own=false
for binary in "${hidden[@]}"; do
    if [ "$1" = "$binary" ]; then own=true; fi
done
if ! $own; then
    for binary in "${hidden[@]}"; do hide+=(--ro-bind /dev/null "$binary"); done
fi

# nextest stops the test at its limit already; `timeout` kills it if the grader itself died.
timeout -s KILL "$kill_after" "${walls[@]}" "${hide[@]}" "${inside[@]}" \
    env LD_PRELOAD="$exit_guard" "$@" 2>&1 | head -c "$output_limit"
