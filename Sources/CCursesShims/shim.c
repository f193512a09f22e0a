#include "CCursesShims.h"
#include <string.h>
#include <signal.h>
#include <pthread.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

uint32_t fleet_attr_normal(void) { return (uint32_t)A_NORMAL; }
uint32_t fleet_attr_bold(void) { return (uint32_t)A_BOLD; }
uint32_t fleet_attr_dim(void) { return (uint32_t)A_DIM; }
uint32_t fleet_attr_reverse(void) { return (uint32_t)A_REVERSE; }
uint32_t fleet_attr_underline(void) { return (uint32_t)A_UNDERLINE; }
uint32_t fleet_attr_italic(void) { return (uint32_t)A_ITALIC; }
uint32_t fleet_color_pair(int pair) { return (uint32_t)COLOR_PAIR(pair); }
int fleet_key_f(int n) { return KEY_F(n); }
int fleet_getmaxy(WINDOW *w) { return getmaxy(w); }
int fleet_getmaxx(WINDOW *w) { return getmaxx(w); }
WINDOW *fleet_stdscr(void) { return stdscr; }
SCREEN *fleet_newterm(void) { return newterm(NULL, stdout, stdin); }
int fleet_colors(void) { return COLORS; }

mmask_t fleet_mouse_all(void) { return ALL_MOUSE_EVENTS; }

int fleet_mouse_decode(mmask_t b, int *button) {
    *button = 0;
#ifdef BUTTON5_PRESSED
    if (b & BUTTON5_PRESSED) return 4;
#endif
    if (b & BUTTON4_PRESSED) return 3;
    if (b & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) { *button = 1; return 1; }
    if (b & (BUTTON2_PRESSED | BUTTON2_CLICKED)) { *button = 2; return 1; }
    if (b & (BUTTON3_PRESSED | BUTTON3_CLICKED)) { *button = 3; return 1; }
    if (b & (BUTTON1_RELEASED | BUTTON2_RELEASED | BUTTON3_RELEASED)) return 2;
    return 0;
}

/* ---- terminal guard ------------------------------------------------------ */
static struct termios saved_tio;
static int saved_tio_valid = 0;
static int guard_wake_fd = -1;
static volatile sig_atomic_t guard_pending = 0;

void fleet_terminal_guard_restore(void) {
    static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l\033[?2004l\033[0m\033[?25h\033[?1049l\r\n";
    if (saved_tio_valid) tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    ssize_t r = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)r;
}

static void guard_on_stop_signal(int sig) {
    if (guard_pending == 0) {
        guard_pending = sig;
        if (guard_wake_fd >= 0) { ssize_t r = write(guard_wake_fd, "s", 1); (void)r; }
        return;
    }
    fleet_terminal_guard_restore();
    _exit(128 + sig);
}

static void guard_on_crash(int sig) {
    fleet_terminal_guard_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void guard_atexit(void) {
    if (stdscr != NULL && !isendwin()) endwin();
}

void fleet_terminal_guard_install(int wake_fd) {
    static int installed = 0;
    guard_wake_fd = wake_fd;
    if (installed) return;
    installed = 1;
    if (tcgetattr(STDIN_FILENO, &saved_tio) == 0) saved_tio_valid = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = guard_on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    sa.sa_handler = guard_on_crash;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    /* A parent may hand down a mask that blocks these (a thread of a test runner, a daemon's child):
     * then Ctrl+C, a hangup or a resize would never reach us. This thread takes them. */
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT); sigaddset(&wanted, SIGTERM); sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGQUIT); sigaddset(&wanted, SIGWINCH); sigaddset(&wanted, SIGCONT);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
    atexit(guard_atexit);
}

int fleet_terminal_guard_pending(void) { return (int)guard_pending; }

void fleet_terminal_guard_hangup(void) {
    if (guard_pending == 0) guard_pending = SIGHUP;
}
