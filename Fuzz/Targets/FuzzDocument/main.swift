// libFuzzer harness: the document reader (GovMediaParse.DocumentReader), feeds and HTML list pages.
// An input is read one of three ways, as a scan would read a fetched body, chosen by its length
// modulo 3 (one read per execution: reading every input three ways ran at under 300 exec/s):
// as a feed, as a list page through the test fixtures' XPaths, or as a list page through broad
// XPaths that match most pages (so the item, title, link and date code runs on real-world
// markup too). The mutator changes lengths all the time, so every input meets every reading.
// Built and run by scripts/fuzz (a main.swift: libFuzzer runs through its driver); see FUZZING.md.
import CFuzzer
import Foundation
import GovMediaCore
import GovMediaParse

/// 2026-11-05 12:00:00 in China, the fetch time the tests use (relative and year-less dates).
private let fetchedAt = Date(timeIntervalSince1970: 1_793_851_200)
private let baseURL = "https://www.example.gov.cn/col/col123/index.html"

private let profiles: [ReadingProfile] = [
    .feed,
    // DocumentReaderTests' newsList.
    .htmlList(item: "//ul[@class='news-list']/li", title: "a", link: "a/@href", date: "span[@class='date']"),
    // Broad: any list item or table row, its first link and whatever looks like a date cell.
    .htmlList(item: "//li | //tr", title: ".//a", link: ".//a/@href", date: ".//span | ./td[last()]"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    let profile = profiles[size % profiles.count]
    do {
        let document = try DocumentReader.read(body, contentType: nil, baseURL: baseURL, profile: profile,
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
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzDocument))
