// libFuzzer's driver, for the harnesses' main.swift (libFuzzer's own main cannot be used:
// SwiftPM links every executable with `main` defined as the module's entry point).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
