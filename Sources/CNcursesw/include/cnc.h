// CNcursesw: ncursesw for Swift. Swift imports neither function-like macros (COLOR_PAIR, KEY_F, getmaxyx)
// nor the attribute bit macros (A_BOLD is NCURSES_BITS(1U,13)), so each gets a plain function here
// (`cnc_` prefix); every value comes from the system headers, no ABI number is typed in.
#ifndef CNC_H
#define CNC_H

// The wide-character API (cchar_t, mvwaddnwstr, wget_wch).
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <stdio.h>
#include <wchar.h>

// MARK: - Macros as functions

/// Attribute bits.
attr_t cnc_a_normal(void);
attr_t cnc_a_bold(void);
attr_t cnc_a_dim(void);
attr_t cnc_a_reverse(void);
attr_t cnc_a_underline(void);

/// KEY_F(n) is a function-like macro; KEY_RESIZE is an octal constant Swift would import, kept here
/// beside its kin for one place to look.
int cnc_key_f(int n);
int cnc_key_resize(void);

/// stdscr, COLORS and COLOR_PAIRS are variables or macros depending on how ncurses was built.
WINDOW *cnc_stdscr(void);
int cnc_colors(void);
int cnc_color_pairs(void);

/// getmaxyx assigns through a macro.
void cnc_size(WINDOW *win, int *rows, int *columns);

/// One run of characters in one style at (row, column). The colour pair goes through wattr_set's `opts`
/// pointer, so ncurses' extended pairs (above 32767) work too.
int cnc_put_run(WINDOW *win, int row, int column, const wchar_t *text, int count, attr_t attrs, int pair);

/// The codeset of the locale set by setlocale(LC_ALL, ""): "UTF-8" where wide characters can be shown.
const char *cnc_codeset(void);

/// Sets the locale from the environment (LANG, LC_*), as curses needs for wide characters.
void cnc_set_locale_from_environment(void);

/// Unblocks the signals a full-screen program must see on the calling thread (SIGWINCH for resizes,
/// SIGINT, SIGTERM, SIGHUP, SIGTSTP and SIGCONT), which a parent may have left blocked: a blocked mask is
/// inherited across exec, and with SIGWINCH blocked curses never learns of a resize. Threads started
/// afterwards inherit the unblocked mask.
void cnc_unblock_terminal_signals(void);

/// Whether $TERM's terminfo entry can move the cursor (`cup`), which a full screen needs (TERM=dumb
/// cannot: curses would draw line after line of garbage): 1 it can, 0 it cannot, -1 $TERM is unset or
/// has no terminfo entry. Asks terminfo only; nothing is written to `fd`.
int cnc_terminal_can_draw(int fd);

// MARK: - Restoring the terminal on a crash

/// Call before curses touches the terminal: remembers the settings of `fd` (tcgetattr).
void cnc_remember_terminal(int fd);

/// Call once curses has started: saves the bytes that leave curses mode (sgr0, cnorm, rmcup from
/// terminfo) and installs a handler on the signals a crash raises (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
/// SIGABRT, SIGTRAP) that writes them and restores the saved settings with async-signal-safe calls
/// (write, tcsetattr), then lets the signal go on. Swift traps cannot be caught and endwin() is not
/// async-signal-safe, so this is how a crash still leaves a usable terminal.
void cnc_install_crash_restore(void);

/// After a normal endwin(): the handler has nothing left to restore.
void cnc_forget_terminal(void);

#endif
