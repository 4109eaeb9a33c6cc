// libFuzzer harness: the annual disclosure report reader (GovMediaDisclosure.DisclosureReader.read)
// and, on a report that reads, the arithmetic checker (DisclosureChecker.check).
// The bytes become text as `govmedia disclosure import` makes them: UTF-8 (BOM dropped) when
// valid, else TextDecoding (GB18030 and the rest); the command refuses text with U+FFFD in
// that second case, and so does the harness.
// Built and run by scripts/fuzz (a main.swift: libFuzzer runs through its driver); see FUZZING.md.
import CFuzzer
import Glibc
import GovMediaDisclosure
import GovMediaParse

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDisclosure(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    let text: String
    if let utf8 = String(validating: bytes, as: UTF8.self) {
        text = utf8
    } else {
        let decoded = String(decoding: TextDecoding.decode(Array(UnsafeBufferPointer(start: data, count: size)),
                                                           contentType: nil).utf8, as: UTF8.self)
        guard !decoded.unicodeScalars.contains("\u{FFFD}") else { return 0 }
        text = decoded
    }
    guard let report = try? DisclosureReader.read(text: text) else { return 0 }
    _ = DisclosureChecker.check(report)
    return 0
}

// libFuzzer's main, through its driver (see CFuzzer/fuzzer.h).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzDisclosure))
