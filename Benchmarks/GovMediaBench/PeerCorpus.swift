import Foundation
import GovMediaCore
import GovMediaParse

/// The peers' corpus (`gen.py` of the shared perf folder): files named in a list file, read
/// the way `xmlx` reads them, so the two can be timed side by side in one run.
///
///     govmedia-bench feeds --list feeds.list [--verify out.tsv]
///     govmedia-bench lists --list html.list [--item X --title X --link X --date X] [--verify out.tsv]
///
/// Like `xmlx`, the time covers reading each file and parsing it (nothing is written while
/// timing unless `--verify` is given), and the figures are printed as one line:
/// `RESULT {"files":…,"items":…,"bytes":…,"secs":…}`.
///
/// `--verify` writes `file<TAB>title<TAB>link<TAB>date` per item, in the columns of the
/// corpus truth files: feed dates as epoch seconds (0 when unread), list-page dates as
/// `YYYY-MM-DD` (the China civil date read, empty when unread). List-page links are relative
/// in the corpus; they are resolved against ``PeerCorpus/listBase`` like any link and the
/// base is taken off again for the comparison. Compare with `Benchmarks/compare-truth.py`.
enum PeerCorpus {
    /// The base list-page links resolve against (a link is resolved as in a real scan).
    static let listBase = "http://bench.invalid/col/index.html"
    static let listOrigin = "http://bench.invalid"
    /// The fetch time: after every date in the corpus (it ends in March 2021).
    static let fetchedAt = ChinaTime.instant(CivilDate(year: 2021, month: 4, day: 1)!, hour: 9)

    /// The default XPaths: the corpus's column list (those `xmlx html` uses).
    static let listXPaths = (item: "//ul[@class='list']/li", title: "a/@title", link: "a/@href", date: "span[@class='date']")

    static func string(_ name: String, in args: ArraySlice<String>) -> String? {
        guard let i = args.firstIndex(of: name), args.index(after: i) < args.endIndex else { return nil }
        return args[args.index(after: i)]
    }

    /// The paths in a list file, with the name each is written under in `--verify` output:
    /// the part after `/corpus/` (as `xmlx` does), else the path relative to the list file's
    /// folder (gen.py writes the lists next to the corpus).
    static func files(_ list: String) throws -> [(path: String, rel: String)] {
        let text = try String(contentsOfFile: list, encoding: .utf8)
        let dir = (URL(fileURLWithPath: list).deletingLastPathComponent().path as NSString).standardizingPath + "/"
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }.map { path in
            if let r = path.range(of: "/corpus/") { return (path, String(path[r.upperBound...])) }
            if path.hasPrefix(dir) { return (path, String(path.dropFirst(dir.count))) }
            return (path, path)
        }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        fseek(f, 0, SEEK_END)
        let n = ftell(f)
        fseek(f, 0, SEEK_SET)
        guard n > 0 else { return [] }
        let bytes = [UInt8](unsafeUninitializedCapacity: n) { buf, count in
            count = fread(buf.baseAddress, 1, n, f)
        }
        return bytes.count == n ? bytes : nil
    }

    /// Runs one mode over the list; prints the RESULT line.
    static func run(lists: Bool, args: ArraySlice<String>) throws {
        guard let list = string("--list", in: args) else { throw POSIXError(.EINVAL) }
        let files = try files(list)
        let profile: ReadingProfile
        if lists {
            let d = listXPaths
            profile = .htmlList(item: string("--item", in: args) ?? d.item, title: string("--title", in: args) ?? d.title,
                                link: string("--link", in: args) ?? d.link, date: string("--date", in: args) ?? d.date)
        } else {
            profile = .feed
        }
        let verifyPath = string("--verify", in: args)
        var verify = verifyPath == nil ? nil : [UInt8]()
        var items = 0, bytes = 0, count = 0, failures = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for (path, rel) in files {
            guard let body = read(path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                continue
            }
            let doc: ParsedDocument
            do {
                doc = try DocumentReader.read(body, contentType: nil, baseURL: lists ? listBase : "http://bench.invalid/feed.xml",
                                              profile: profile, fetchedAt: fetchedAt)
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("parse fail \(path): \(error)\n".utf8))
                continue
            }
            count += 1
            bytes += body.count
            items += doc.items.count
            if verify != nil {
                for item in doc.items {
                    var link = item.link ?? ""
                    if lists, link.hasPrefix(listOrigin) { link = String(link.dropFirst(listOrigin.count)) }
                    let date: String
                    if lists {
                        date = item.publishedAt.map { ChinaTime.civil($0).date.description } ?? ""
                    } else {
                        date = String(Int(item.publishedAt?.timeIntervalSince1970.rounded(.down) ?? 0))
                    }
                    verify!.append(contentsOf: "\(rel)\t\(item.title)\t\(link)\t\(date)\n".utf8)
                }
            }
        }
        let secs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "RESULT {\"files\":%d,\"items\":%d,\"bytes\":%d,\"secs\":%.4f}", count, items, bytes, secs))
        if let verifyPath, let verify {
            try Data(verify).write(to: URL(fileURLWithPath: verifyPath))
        }
        if failures > 0 { FileHandle.standardError.write(Data("\(failures) files failed\n".utf8)) }
    }
}
