// libFuzzer harness: the CMS list readers (GovMediaParse) and the probe. An input is read one of
// four ways, by its length modulo 4, as a scan or `govmedia probe` would read a fetched body:
// a JSON/JSONP/JS-data list with plain fields (custom.data[*]: title, infourl, infodate), a JSON
// body carrying an HTML fragment (data.html, read with //li XPaths), Hanweb-style XML records with
// HTML in CDATA, and `ListProbe.probe`, which detects the kind and finds the list by itself (and
// reaches the tolerant JS-literal reader on bodies Foundation's JSON parser refuses).
// Built and run by scripts/fuzz; see FUZZING.md.
import CFuzzer
import Foundation
import GovMediaCore
import GovMediaParse

/// 2026-11-05 12:00:00 in China, the fetch time the tests use (relative and year-less dates).
private let fetchedAt = Date(timeIntervalSince1970: 1_793_851_200)
private let baseURL = "https://www.example.gov.cn/col/col123/index.html"
private let fragment = HTMLStep(item: "//li", title: "a/@title | a", link: "a/@href", date: "span")

private let profiles: [ReadingProfile] = [
    .jsonList(JSONListProfile(items: "custom.data", title: "title", link: "infourl", date: "infodate")),
    .jsonList(JSONListProfile(items: "data.html", html: fragment)),
    .xmlRecords(XMLRecordsProfile(item: "//record", html: fragment)),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCMS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    let choice = size % (profiles.count + 1)
    guard choice < profiles.count else {
        let found = ListProbe.probe(body, contentType: nil, baseURL: baseURL, fetchedAt: fetchedAt)
        precondition((found.document?.items.count ?? 0) <= DocumentReader.maxItems, "the probe found more items than DocumentReader.maxItems")
        return 0
    }
    do {
        let document = try DocumentReader.read(body, contentType: nil, baseURL: baseURL, profile: profiles[choice],
                                               fetchedAt: fetchedAt)
        precondition(document.items.count <= DocumentReader.maxItems, "more items than DocumentReader.maxItems")
    } catch {
        // A body that cannot be read is an answer, not a failure.
    }
    return 0
}

// libFuzzer's main, through its driver (see CFuzzer/fuzzer.h).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzCMS))
