#include "CVNCShims.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <rfb/rfbclient.h>

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
