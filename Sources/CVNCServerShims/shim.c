#include "CVNCServerShims.h"
#include <rfb/rfb.h>

static void quiet(const char *format, ...) { (void)format; }

void fleet_vncserver_silence(void) {
    rfbLogEnable(0);
    rfbLog = quiet;
    rfbErr = quiet;
}

void fleet_vncserver_init(void *screen) {
    rfbInitServer((rfbScreenInfoPtr)screen);
}
