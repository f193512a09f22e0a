/*
 * CVNCServerShims: what Swift cannot do with libvncserver. rfbInitServer is a macro naming the variant the
 * library was built as; its log hooks (rfbLog, rfbErr) are global variadic function pointers that print to
 * stderr (fatal under curses). The screen is passed as an opaque pointer so that this header does not include
 * rfb.h a second time beside the CVNCServer module. Every symbol is prefixed fleet_.
 */
#ifndef FLEET_CVNCSERVERSHIMS_H
#define FLEET_CVNCSERVERSHIMS_H

/* Silences libvncserver's logging for the whole process (rfbLog, rfbErr, rfbLogPerror). */
void fleet_vncserver_silence(void);

/* rfbInitServer(screen) for an rfbScreenInfoPtr. */
void fleet_vncserver_init(void *screen);

#endif
