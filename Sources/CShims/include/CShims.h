/*
 * CShims: the few things Swift cannot import from our C libraries directly —
 * function-like macros (curses attributes, COLOR_PAIR, KEY_F), and variadic
 * callbacks (libvncclient's global log hooks). Every symbol is prefixed fleet_.
 */
#ifndef FLEET_CSHIMS_H
#define FLEET_CSHIMS_H

#include <stdint.h>

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncurses.h>

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

/* ---- libvncclient logging ------------------------------------------- */
/* A sink receives each formatted libvncclient log line (no newline); is_error
 * is 1 for rfbClientErr. NULL drops everything. Never writes to stdout/stderr. */
typedef void (*fleet_vnc_log_sink)(int is_error, const char *line);
void fleet_vnc_set_log_sink(fleet_vnc_log_sink sink);

/* ---- libvirt ---------------------------------------------------------- */
/* Stops libvirt from printing errors to stderr (they are read per thread
 * with virGetLastError instead). */
void fleet_virt_silence_errors(void);

/* Domain lifecycle events: libvirt's register call takes a generic callback that must be cast
 * (VIR_DOMAIN_EVENT_CALLBACK), which Swift cannot express. Returns the callback id or -1. */
#include <libvirt/libvirt.h>
typedef void (*fleet_virt_lifecycle_cb)(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque);
int fleet_virt_register_lifecycle(virConnectPtr conn, fleet_virt_lifecycle_cb cb, void *opaque, virFreeCallback freecb);

#endif
