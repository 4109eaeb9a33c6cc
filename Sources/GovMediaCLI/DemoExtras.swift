import Foundation
import GovMediaCore
import GovMediaDemo
import GovMediaStore

/// The demo steps that show the annual report and the weekly report (wired to their
/// modules as those land).
enum DemoExtras {
    static func annualReport(store: Store, paths: DemoPaths, who: Attribution) throws {
        try DemoResources.annualReport.write(toFile: paths.annualReport, atomically: true, encoding: .utf8)
        output("   （年报核对见 govmedia disclosure）\n")
    }

    static func weeklyReport(store: Store, paths: DemoPaths, now: Date) async throws {
        output("   （周报见 govmedia report weekly）\n")
    }
}
