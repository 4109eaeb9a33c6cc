// libFuzzer harness: the text decoder (GovMediaParse.TextDecoding.decode).
// The first byte chooses the Content-Type header: one of the labels below, or (0xFF) the
// bytes up to the first newline as the header itself; the rest is the body.
// Checked: the result is valid UTF-8, as DecodedText promises.
// Built and run by scripts/fuzz (a main.swift: libFuzzer runs through its driver); see FUZZING.md.
import CFuzzer
import Glibc
import GovMediaParse

private let contentTypes: [String?] = [
    nil,
    "text/html; charset=utf-8",
    "text/html; charset=GBK",
    "text/xml; charset=gb2312",
    "text/html;charset=big5",
    "text/html; charset=ISO-8859-1",
    "text/html; charset=windows-1252",
    "application/xml; charset=UTF-16",
    "text/plain; charset=utf-16le",
    "text/html; charset=UTF-16BE",
    "text/html; charset=\"gb18030\"",
    "text/html; charset='utf-8'",
    "text/html; charset=x-no-such-charset",
    "text/html; charset=",
    "text/html; charset=us-ascii",
    "text/html; charset=shift_jis",
    "application/rss+xml",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let selector = input.first else { return 0 }
    var rest = input.dropFirst()
    let contentType: String?
    if selector == 0xFF {
        let end = rest.prefix(256).firstIndex(of: 0x0A) ?? rest.startIndex
        contentType = String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
        rest = rest[(end == rest.startIndex ? end : end + 1)...]
    } else {
        contentType = contentTypes[Int(selector) % contentTypes.count]
    }
    let decoded = TextDecoding.decode(Array(rest), contentType: contentType)
    precondition(String(validating: decoded.utf8, as: UTF8.self) != nil, "TextDecoding.decode returned invalid UTF-8")
    return 0
}

// libFuzzer's main, through its driver (see CFuzzer/fuzzer.h).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzDecode))
