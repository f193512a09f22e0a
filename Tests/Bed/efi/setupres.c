// FleetTUI test bed: setupres.efi, a UEFI shell application that makes OVMF's setup (UiApp: front page, Device
// Manager, Boot Manager) draw at a resolution other than its built-in 640x480 (Tests/Bed/uefi builds it).
//
// Debian bookworm's OVMF (edk2 2022.11) has the setup resolution in two dynamic PCDs
// (PcdSetupVideoHorizontalResolution/VerticalResolution = 640x480) that nothing sets at run time; UiApp switches
// the display to that mode whenever it starts (newer OVMF sets them to the display's own resolution). This program
// sets them through EDK2's PCD protocol, as a platform driver would:
//   setupres WxH    the setup switches the display to WxH (a mode the display offers) and draws its 80x25 text
//                   mode centred in it (the setup's text mode is built into UiApp)
//   setupres keep   the setup keeps the display's mode and text mode as they are (no mode offers 0x0, so UiApp
//                   leaves the console alone), as edk2-stable202502's OVMF does with a display's preferred mode
// Until the next reset. The two PCDs are found by their values (two consecutive 4-byte tokens holding 640 and 480:
// exactly one such pair in that firmware); anything else is an error, printed, and nothing is set.
//
// Built with the Swift toolchain's clang and lld-link, no EFI SDK:
//   clang --target=x86_64-unknown-windows -ffreestanding -fno-stack-protector -mno-red-zone -fshort-wchar -O1
//         -nostdlib -fuse-ld=lld-link -Wl,-entry:efi_main -Wl,-subsystem:efi_application -o setupres.efi setupres.c
// The few UEFI structures it touches are declared here from the UEFI specification (system table, boot services,
// loaded image, graphics output) and from EDK2's PCD protocol interface (its function table order).

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef u64 Status;
typedef struct { u32 a; u16 b, c; u8 d[8]; } Guid;

#define ERR(n) (0x8000000000000000ull | (n))
#define INVALID_PARAMETER ERR(2)
#define NOT_FOUND ERR(14)

// EFI_SYSTEM_TABLE: header (24 bytes), vendor, revision, ConIn handle and protocol, ConOut handle and protocol,
// StdErr handle and protocol, runtime services, boot services.
typedef struct {
    u8 header[24];
    void *vendor;
    u32 revision;
    void *conInHandle, *conIn, *conOutHandle;
    void **conOut;
    void *stdErrHandle, *stdErr, *runtime;
    void **boot;
} SystemTable;

enum { bootHeader = 3, handleProtocol = bootHeader + 16, locateProtocol = bootHeader + 37 };
enum { pcdGet32 = 3, pcdGetSize = 7, pcdSet32 = 17, pcdGetNextToken = 29 };

typedef Status (*OutputString)(void *, u16 *);
typedef Status (*HandleProtocol)(void *, Guid *, void **);
typedef Status (*LocateProtocol)(Guid *, void *, void **);
typedef u32 (*PcdGet32)(u64);
typedef u64 (*PcdGetSize)(u64);
typedef Status (*PcdSet32)(u64, u32);
typedef Status (*PcdGetNextToken)(Guid *, u64 *);

typedef struct {
    u32 revision;
    void *parent, *system, *device, *path, *reserved;
    u32 optionsSize;
    u16 *options;
} LoadedImage;

typedef struct { u32 version, width, height; } ModeInfo;
typedef struct { u32 maxMode, mode; ModeInfo *info; } GraphicsMode;
typedef struct { void *queryMode, *setMode, *blt; GraphicsMode *mode; } GraphicsOutput;

static Guid pcdProtocol = {0x11b34006, 0xd85b, 0x4d0a, {0xa2, 0x90, 0xd5, 0xa5, 0x71, 0x31, 0x0e, 0xf7}};
static Guid loadedImageProtocol = {0x5b1b31a1, 0x9562, 0x11d2, {0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b}};
static Guid graphicsOutputProtocol = {0x9042a9de, 0x23dc, 0x4a38, {0x96, 0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51, 0x6a}};

static void **conOut;

static void say(const char *s) {
    u16 line[160];
    int n = 0;
    for (; *s && n < 156; s++) {
        if (*s == '\n') line[n++] = '\r';
        line[n++] = (u8)*s;
    }
    line[n] = 0;
    ((OutputString)conOut[1])(conOut, line);
}

static void sayNumber(u64 v) {
    char digits[24];
    int i = 23;
    digits[i] = 0;
    do { digits[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    say(digits + i);
}

// The last word of the command line ("fs0:\setupres.efi 1024x768"): "keep", or WxH into *w, *h.
static int parseArguments(const u16 *options, u32 size, u32 *w, u32 *h, int *keep) {
    u32 n = size / 2, start = 0, i;
    for (i = 0; i < n && options[i]; i++)
        if (options[i] == ' ' && i + 1 < n && options[i + 1] && options[i + 1] != ' ') start = i + 1;
    if (start == 0) return 0;
    const u16 *a = options + start;
    if (a[0] == 'k' && a[1] == 'e' && a[2] == 'e' && a[3] == 'p' && (a[4] == 0 || a[4] == ' ')) { *keep = 1; return 1; }
    u32 *v = w;
    *w = *h = 0;
    for (; *a && *a != ' '; a++) {
        if (*a == 'x' && v == w) { v = h; continue; }
        if (*a < '0' || *a > '9' || *v > 100000) return 0;
        *v = *v * 10 + (*a - '0');
    }
    return v == h && *w && *h;
}

Status efi_main(void *image, SystemTable *system) {
    void **boot = system->boot;
    conOut = system->conOut;
    LoadedImage *self = 0;
    u32 w = 0, h = 0;
    int keep = 0;
    if (((HandleProtocol)boot[handleProtocol])(image, &loadedImageProtocol, (void **)&self) || !self->options ||
        !parseArguments(self->options, self->optionsSize, &w, &h, &keep)) {
        say("usage: setupres WxH | keep\n");
        return INVALID_PARAMETER;
    }
    GraphicsOutput *gop = 0;
    if (!keep && ((LocateProtocol)boot[locateProtocol])(&graphicsOutputProtocol, 0, (void **)&gop) == 0) {
        u32 m, found = 0;
        for (m = 0; m < gop->mode->maxMode && !found; m++) {
            ModeInfo *info = 0;
            u64 infoSize = 0;
            typedef Status (*QueryMode)(GraphicsOutput *, u32, u64 *, ModeInfo **);
            if (((QueryMode)gop->queryMode)(gop, m, &infoSize, &info) == 0) found = info->width == w && info->height == h;
        }
        if (!found) { say("setupres: the display offers no such mode\n"); return INVALID_PARAMETER; }
    }
    void **pcd = 0;
    if (((LocateProtocol)boot[locateProtocol])(&pcdProtocol, 0, (void **)&pcd)) {
        say("setupres: no PCD protocol\n");
        return NOT_FOUND;
    }
    u64 token = 0, previous = 0, horizontal = 0, pairs = 0;
    u32 previousValue = 0;
    while (((PcdGetNextToken)pcd[pcdGetNextToken])(0, &token) == 0 && token != 0) {
        u32 value = ((PcdGetSize)pcd[pcdGetSize])(token) == 4 ? ((PcdGet32)pcd[pcdGet32])(token) : 0;
        if (previous == token - 1 && previousValue == 640 && value == 480) { horizontal = previous; pairs++; }
        previous = token;
        previousValue = value;
    }
    if (pairs != 1) {
        say("setupres: no single pair of PCDs holding 640x480 (found ");
        sayNumber(pairs);
        say("): not the firmware this was made for\n");
        return NOT_FOUND;
    }
    if (keep) w = h = 0;
    if (((PcdSet32)pcd[pcdSet32])(horizontal, w) || ((PcdSet32)pcd[pcdSet32])(horizontal + 1, h)) {
        say("setupres: setting the PCDs failed\n");
        return NOT_FOUND;
    }
    say("setupres: setup resolution ");
    if (keep) {
        say("kept as the display's");
    } else {
        sayNumber(w);
        say("x");
        sayNumber(h);
    }
    say(" (PCD tokens ");
    sayNumber(horizontal);
    say(", ");
    sayNumber(horizontal + 1);
    say(")\n");
    return 0;
}
