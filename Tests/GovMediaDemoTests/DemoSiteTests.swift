import Foundation
import GovMediaCore
import GovMediaDemo
import GovMediaParse
import GovMediaScan
import GovMediaSite
import Testing

/// The demo district (净月高新区): its register, the pages its loopback site serves for each
/// account, and its 三审 ledger, read by the same readers a scan uses — so the demo's
/// headline figures rest on pages that say what their shape promises.
@Suite("the demo district")
struct DemoSiteTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    var site: DemoSite { DemoSite(now: now) }

    private func accounts() throws -> [Account] { try RegisterFile.decode(DemoResources.register) }

    /// An account's page read as a scan reads it.
    private func read(_ account: Account, index: Int) throws -> ParsedDocument {
        let page = site.page(for: account, index: index)
        return try DocumentReader.read(page.body, contentType: page.contentType, baseURL: account.url.text,
                                       profile: Scanner.readingProfile(account.source), fetchedAt: now)
    }

    /// The days since the newest dated post of a page.
    private func ageOfNewest(_ account: Account, index: Int) throws -> Double? {
        try read(account, index: index).items.compactMap(\.publishedAt).max().map { now.timeIntervalSince($0) / 86_400 }
    }

    @Test("the register is the district's 39 accounts of 33 owner units, and every account is served a page")
    func registerAndPages() throws {
        let accounts = try accounts()
        #expect(accounts.count == 39)
        #expect(Set(accounts.map(\.owner)).count == 33)
        for (i, account) in accounts.enumerated() {
            #expect(!site.pages(for: account, index: i).isEmpty, "\(account.id)")
        }
    }

    @Test("each page reads as its shape says: fresh within a day, stale 16 days or more, lagging 7 to 14, broken markup recovered")
    func shapesRead() throws {
        for (i, account) in try accounts().enumerated() {
            switch site.shape(of: account) {
            case .fresh where account.platform == .kuaishou && account.source == .bridge(nil):
                // RSSHub's Kuaishou route gives no dates, and the demo serves it so.
                #expect(try ageOfNewest(account, index: i) == nil, "\(account.id)")
            case .fresh:
                let age = try #require(try ageOfNewest(account, index: i), "\(account.id)")
                #expect(age < 1, "\(account.id): \(age)")
            case .stale:
                let age = try #require(try ageOfNewest(account, index: i), "\(account.id)")
                #expect(age >= 16, "\(account.id): \(age)")
            case .lagging:
                let age = try #require(try ageOfNewest(account, index: i), "\(account.id)")
                #expect(age >= 7 && age < 14, "\(account.id): \(age)")
            case .broken:
                // Broken markup from the bridge: both posts kept, with their dates, and the damage noted.
                let doc = try read(account, index: i)
                #expect(doc.items.count == 2 && doc.items.allSatisfy { $0.publishedAt != nil }, "\(account.id): \(doc.items)")
                #expect(doc.items.first?.title.hasSuffix("& 居民议事会") == true)
                #expect(doc.problems.contains(.bareAmpersands(count: 2)), "\(doc.problems)")
            case .undated:
                let doc = try read(account, index: i)
                #expect(!doc.items.isEmpty && doc.items.allSatisfy { $0.publishedAt == nil }, "\(account.id)")
            default:
                break
            }
        }
    }

    @Test("the 三审 ledger imports without a problem and signs every fresh account's newest post")
    func ledgerImports() throws {
        let accounts = try accounts()
        let inputs = try ReviewCSV.parse(site.ledger(accounts: accounts), file: "demo-ledger.csv")
        #expect(!inputs.isEmpty)
        #expect(Set(inputs.map(\.accountID)).isSubset(of: Set(accounts.map(\.id))))
        #expect(Set(inputs.map(\.stage)) == Set(ReviewStage.allCases))
    }
}
