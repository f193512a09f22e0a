#include "CShims.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <pthread.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include <rfb/rfbclient.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

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

static fleet_vnc_log_sink vnc_sink = NULL;

static void vnc_log_to_sink(int is_error, const char *format, va_list ap) {
    fleet_vnc_log_sink sink = vnc_sink;
    if (sink == NULL) return;
    char line[1024];
    vsnprintf(line, sizeof line, format, ap);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    sink(is_error, line);
}

static void vnc_log(const char *format, ...) {
    va_list ap; va_start(ap, format); vnc_log_to_sink(0, format, ap); va_end(ap);
}

static void vnc_err(const char *format, ...) {
    va_list ap; va_start(ap, format); vnc_log_to_sink(1, format, ap); va_end(ap);
}

void fleet_vnc_set_log_sink(fleet_vnc_log_sink sink) {
    vnc_sink = sink;
    rfbClientLog = vnc_log;
    rfbClientErr = vnc_err;
}

static void virt_quiet(void *userdata, virErrorPtr err) { (void)userdata; (void)err; }

void fleet_virt_silence_errors(void) { virSetErrorFunc(NULL, virt_quiet); }

int fleet_virt_register_lifecycle(virConnectPtr conn, fleet_virt_lifecycle_cb cb, void *opaque, virFreeCallback freecb) {
    return virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                            VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, freecb);
}

void fleet_malloc_limit_arenas(int n) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, n);
    /* A fixed threshold turns off glibc's dynamic one, which rises after each large block is freed:
     * then the fleet's multi-MB row arrays (rebuilt on every host's refresh) land in the arena and
     * fragment it, instead of being mapped and unmapped whole. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#else
    (void)n;
#endif
}

void fleet_malloc_trim(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
