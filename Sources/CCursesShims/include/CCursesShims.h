/*
 * CCursesShims: what Swift cannot import from ncursesw directly — function-like macros (attributes,
 * COLOR_PAIR, KEY_F, getmaxx/getmaxy), globals (stdscr, COLORS) — and the async-signal-safe terminal
 * guard that gives the terminal back on signals and crashes. Every symbol is prefixed fleet_.
 */
#ifndef FLEET_CCURSESSHIMS_H
#define FLEET_CCURSESSHIMS_H

#include <stdint.h>

/* Wide-character ncurses, set up once: CNcursesw's header (the defines the *_wch API needs, then ncurses.h). */
#include "../../CNcursesw/shim.h"

/* ---- curses ---------------------------------------------------------- */
uint32_t fleet_attr_normal(void);
uint32_t fleet_attr_bold(void);
uint32_t fleet_attr_dim(void);
uint32_t fleet_attr_reverse(void);
uint32_t fleet_attr_underline(void);
uint32_t fleet_attr_italic(void);
uint32_t fleet_color_pair(int pair);
int fleet_key_f(int n);
int fleet_getmaxy(WINDOW *w);
int fleet_getmaxx(WINDOW *w);
WINDOW *fleet_stdscr(void);
/* newterm(NULL, stdout, stdin): NULL (instead of exiting like initscr) when $TERM is unusable. */
SCREEN *fleet_newterm(void);
int fleet_colors(void);

/* Mouse: every button event plus wheel; decode an event's button state. */
mmask_t fleet_mouse_all(void);
/* Returns 1 press, 2 release, 3 wheel up, 4 wheel down, 0 other; *button = 1..3 for press. */
int fleet_mouse_decode(mmask_t bstate, int *button);

/* ---- terminal restore on signals and crashes ---------------------------- */
/* Saves the current termios (call BEFORE initscr). Installs handlers:
 * SIGINT/SIGTERM/SIGHUP/SIGQUIT: the first records the signal and writes a byte to wake_fd; a second
 *   restores the terminal (saved termios + reset sequence) and _exits 128+sig.
 * SIGSEGV/SIGBUS/SIGILL/SIGTRAP/SIGFPE/SIGABRT: restore the terminal, then re-raise with the default action.
 * Also registers an atexit hook that calls endwin() if curses is active. */
void fleet_terminal_guard_install(int wake_fd);
/* Signal number recorded by the first handler call, 0 if none. */
int fleet_terminal_guard_pending(void);
/* The terminal went away (stdin hung up: an SSH connection dropped, the tmux pane was killed):
 * recorded as SIGHUP, so the session ends the same way and exits 129. */
void fleet_terminal_guard_hangup(void);
/* Restores the saved termios and writes the reset sequence (async-signal-safe). */
void fleet_terminal_guard_restore(void);

#endif
