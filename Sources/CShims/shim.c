#include "CShims.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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
