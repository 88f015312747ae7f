// Bodies of the wrappers declared in include/cnc.h.
#include "cnc.h"

#include <langinfo.h>
#include <locale.h>
#include <ncursesw/term.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

attr_t cnc_a_normal(void) { return A_NORMAL; }
attr_t cnc_a_bold(void) { return A_BOLD; }
attr_t cnc_a_dim(void) { return A_DIM; }
attr_t cnc_a_reverse(void) { return A_REVERSE; }
attr_t cnc_a_underline(void) { return A_UNDERLINE; }

int cnc_key_f(int n) { return KEY_F(n); }
int cnc_key_resize(void) { return KEY_RESIZE; }

WINDOW *cnc_stdscr(void) { return stdscr; }
int cnc_colors(void) { return COLORS; }
int cnc_color_pairs(void) { return COLOR_PAIRS; }

void cnc_size(WINDOW *win, int *out_rows, int *out_columns) {
    int y, x;
    getmaxyx(win, y, x);
    *out_rows = y;
    *out_columns = x;
}

int cnc_put_run(WINDOW *win, int row, int column, const wchar_t *text, int count, attr_t attrs, int pair) {
    wattr_set(win, attrs, 0, &pair);
    return mvwaddnwstr(win, row, column, text, count);
}

const char *cnc_codeset(void) { return nl_langinfo(CODESET); }

void cnc_set_locale_from_environment(void) { setlocale(LC_ALL, ""); }

void cnc_unblock_terminal_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGCONT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static char restore_bytes[256];
static size_t restore_length;
static struct termios saved_termios;
static int saved_termios_valid;
static volatile sig_atomic_t restore_fd = -1;

static void append_capability(const char *name) {
    char *cap = tigetstr(name);
    if (cap == NULL || cap == (char *)-1) return;
    size_t n = strlen(cap);
    if (restore_length + n > sizeof restore_bytes) return;
    memcpy(restore_bytes + restore_length, cap, n);
    restore_length += n;
}

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
#define CRASH_SIGNAL_COUNT (sizeof crash_signals / sizeof crash_signals[0])
/// The handlers that were there before (the Swift runtime's backtracer, or the default), put back before
/// the signal is raised again so they still run.
static struct sigaction previous_actions[CRASH_SIGNAL_COUNT];

static void crash_handler(int sig) {
    int fd = restore_fd;
    if (fd >= 0) {
        ssize_t ignored = write(fd, restore_bytes, restore_length);
        (void)ignored;
        if (saved_termios_valid) tcsetattr(fd, TCSANOW, &saved_termios);
    }
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] == sig) sigaction(sig, &previous_actions[i], NULL);
    }
    raise(sig);
}

void cnc_remember_terminal(int fd) {
    saved_termios_valid = tcgetattr(fd, &saved_termios) == 0;
    restore_fd = fd;
}

void cnc_install_crash_restore(void) {
    restore_length = 0;
    append_capability("sgr0");
    append_capability("cnorm");
    append_capability("rmcup");
    static int installed;
    if (installed) return; // a second install would save our own handler as the one to chain to
    installed = 1;
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = crash_handler;
        sigemptyset(&action.sa_mask);
        sigaction(crash_signals[i], &action, &previous_actions[i]);
    }
}

void cnc_forget_terminal(void) { restore_fd = -1; }

int cnc_terminal_can_draw(int fd) {
    // setupterm with an error pointer reports instead of printing and exiting; the TERMINAL it makes is
    // freed again so that newterm later starts from nothing, as it would have without this question.
    TERMINAL *before = cur_term;
    int error = 0;
    if (setupterm(NULL, fd, &error) != OK) {
        set_curterm(before);
        return -1;
    }
    const char *move = tigetstr("cup");
    int can = move != NULL && move != (char *)-1;
    TERMINAL *asked = set_curterm(before);
    del_curterm(asked);
    return can;
}
