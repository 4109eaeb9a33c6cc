// libFuzzer harness: the text-date reader, both ways (GovMediaCore.TextDate.read for posts,
// TextDate.readExact for signing times, --at and stored times), on the input as UTF-8 text
// (invalid bytes become U+FFFD, as String(decoding:) makes them).
// Built and run by scripts/fuzz (a main.swift: libFuzzer runs through its driver); see FUZZING.md.
import CFuzzer
import Foundation
import GovMediaCore

/// 2026-11-05 12:00:00 and 2026-01-03 10:00:00 in China, the tests' fetch times.
private let fetchTimes = [Date(timeIntervalSince1970: 1_793_851_200), Date(timeIntervalSince1970: 1_767_405_600)]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for now in fetchTimes {
        if let date = TextDate.read(text, now: now) {
            precondition(date.timeIntervalSince1970.isFinite, "TextDate.read returned a non-finite date")
        }
    }
    _ = TextDate.readExact(text)
    return 0
}

// libFuzzer's main, through its driver (see CFuzzer/fuzzer.h).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzDate))
