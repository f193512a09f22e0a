/*
 * CLibvirtShims: what Swift cannot express against libvirt — a generic event callback that must be cast
 * (VIR_DOMAIN_EVENT_CALLBACK) and the error-printing hook — plus the glibc heap settings the collectors
 * (one thread per host) need. Every symbol is prefixed fleet_.
 */
#ifndef FLEET_CLIBVIRTSHIMS_H
#define FLEET_CLIBVIRTSHIMS_H

#include <libvirt/libvirt.h>

/* Stops libvirt from printing errors to stderr (they are read per thread with virGetLastError instead). */
void fleet_virt_silence_errors(void);

/* Domain lifecycle events: libvirt's register call takes a generic callback that must be cast
 * (VIR_DOMAIN_EVENT_CALLBACK), which Swift cannot express. Returns the callback id or -1. */
typedef void (*fleet_virt_lifecycle_cb)(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque);
int fleet_virt_register_lifecycle(virConnectPtr conn, fleet_virt_lifecycle_cb cb, void *opaque, virFreeCallback freecb);

/* ---- memory ----------------------------------------------------------- */
/* glibc: cap the number of malloc arenas (one per thread by default; fragmentation
 * with one collector thread per host). No-op elsewhere. */
void fleet_malloc_limit_arenas(int n);
/* glibc: give freed heap memory back to the system (after a burst of transient allocations). */
void fleet_malloc_trim(void);

#endif
