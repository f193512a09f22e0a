#include "CLibvirtShims.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <libvirt/virterror.h>

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
