/* The grader's exit guard, preloaded (LD_PRELOAD) into every test process it runs.
 *
 * A test passes when its process exits with status 0. Code under test could fake that by calling
 * std::process::exit(0) (in any spelling) before libtest has judged the test, or by replacing the
 * process with `exec`. This guard remembers the test's own process, and:
 *   - turns an exit with status 0 into status 97 unless `main` has already returned;
 *   - refuses exec* in the test's own process (child processes may exec freely).
 * Student code cannot undo it: the course forbids `unsafe`, the guard is loaded before main, and
 * the test process is made non-dumpable, so its /proc/self/mem (which safe code could otherwise
 * open and write) belongs to root.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EARLY_EXIT 97

typedef int (*main_fn)(int, char **, char **);
static pid_t test_pid = -1;
static main_fn real_main;
static volatile int main_returned;

static int main_wrapper(int argc, char **argv, char **envp) {
    int code = real_main(argc, argv, envp);
    main_returned = 1; /* libtest has finished: an exit from here on is its own */
    return code;
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end) {
    typeof(&__libc_start_main) real = dlsym(RTLD_NEXT, "__libc_start_main");
    test_pid = getpid();
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    unsetenv("LD_PRELOAD"); /* processes the test starts are not test processes */
    real_main = main;
    return real(main_wrapper, argc, argv, init, fini, rtld_fini, stack_end);
}

static int remap(int status) {
    return (status == 0 && !main_returned && getpid() == test_pid) ? EARLY_EXIT : status;
}

void exit(int status) {
    void (*real)(int) = dlsym(RTLD_NEXT, "exit");
    real(remap(status));
    __builtin_unreachable();
}
void _exit(int status) { syscall(SYS_exit_group, remap(status)); __builtin_unreachable(); }
void _Exit(int status) { syscall(SYS_exit_group, remap(status)); __builtin_unreachable(); }

static int refuse_exec(void) {
    if (getpid() == test_pid) {
        errno = EPERM;
        return 1;
    }
    return 0;
}
int execve(const char *p, char *const a[], char *const e[]) {
    if (refuse_exec()) return -1;
    typeof(&execve) real = dlsym(RTLD_NEXT, "execve");
    return real(p, a, e);
}
int execvp(const char *p, char *const a[]) {
    if (refuse_exec()) return -1;
    typeof(&execvp) real = dlsym(RTLD_NEXT, "execvp");
    return real(p, a);
}
int execv(const char *p, char *const a[]) {
    if (refuse_exec()) return -1;
    typeof(&execv) real = dlsym(RTLD_NEXT, "execv");
    return real(p, a);
}
int execvpe(const char *p, char *const a[], char *const e[]) {
    if (refuse_exec()) return -1;
    typeof(&execvpe) real = dlsym(RTLD_NEXT, "execvpe");
    return real(p, a, e);
}
