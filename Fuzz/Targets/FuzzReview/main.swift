// libFuzzer harness: the 三审 review CSV reader (GovMediaCore.ReviewCSV.parse), on the input as
// UTF-8 text (invalid bytes become U+FFFD, as String(decoding:) makes them).
// Checked: a failure carries at most ReviewCSV.errorLimit errors.
// Built and run by scripts/fuzz (a main.swift: libFuzzer runs through its driver); see FUZZING.md.
import CFuzzer
import Glibc
import GovMediaCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReview(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do throws(ReviewImportFailure) {
        _ = try ReviewCSV.parse(text, file: "fuzz.csv")
    } catch {
        precondition(!error.errors.isEmpty, "ReviewImportFailure with no errors")
        precondition(error.errors.count <= ReviewCSV.errorLimit, "more than ReviewCSV.errorLimit errors")
    }
    return 0
}

// libFuzzer's main, through its driver (see CFuzzer/fuzzer.h).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzReview))
