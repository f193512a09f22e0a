// libFuzzer's driver, linked in only when the fuzz binary is built with -sanitize=fuzzer (scripts/fuzz).
// Declared weak so that the ordinary builds (swift build, the tests) link the same binary without libFuzzer:
// it then only replays files (regression inputs) through a target.
#include <stddef.h>
#include <stdint.h>

typedef int (*fleet_fuzz_callback)(const uint8_t *data, size_t size);

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, fleet_fuzz_callback callback) __attribute__((weak));

static inline int fleet_fuzz_linked(void) { return LLVMFuzzerRunDriver != 0; }

static inline int fleet_fuzz_run(int *argc, char ***argv, fleet_fuzz_callback callback) {
    return LLVMFuzzerRunDriver ? LLVMFuzzerRunDriver(argc, argv, callback) : -1;
}
