/*
 * CVNCShims: libvncclient logs through two global variadic hooks (rfbClientLog, rfbClientErr), which Swift
 * cannot implement. The shim formats each line and hands it to one sink. Every symbol is prefixed fleet_.
 */
#ifndef FLEET_CVNCSHIMS_H
#define FLEET_CVNCSHIMS_H

/* A sink receives each formatted libvncclient log line (no newline); is_error
 * is 1 for rfbClientErr. NULL drops everything. Never writes to stdout/stderr. */
typedef void (*fleet_vnc_log_sink)(int is_error, const char *line);
void fleet_vnc_set_log_sink(fleet_vnc_log_sink sink);

#endif
