import ArgumentParser
import Foundation
import GovMediaCore
import GovMediaDemo
import GovMediaReport
import GovMediaStore

/// The demo's steps for the annual report and the weekly report, run through the same
/// commands an officer types, so the demo shows exactly their output.
enum DemoExtras {
    static func annualReport(store: Store, paths: DemoPaths, who: Attribution) throws {
        try DemoResources.annualReport.write(toFile: paths.annualReport, atomically: true, encoding: .utf8)
        let importer = try DisclosureCommand.Import.parse([paths.annualReport, "--org", "净月高新区", "--year", "2021", "--db", paths.database])
        try importer.run()
        let check = try DisclosureCommand.Check.parse(["--org", "净月高新区", "--year", "2021", "--db", paths.database])
        try check.run()
    }

    static func weeklyReport(store: Store, paths: DemoPaths, now: Date) async throws {
        // The demo has one day of data: this week's report, not last week's.
        let week = ISOWeek(containing: now)
        // A mail setting with an outbox in the demo directory: the .eml is written, not sent.
        let mail = paths.root.appendingPathComponent("mail.json").path
        try """
            {"mail": {"url": "smtp://127.0.0.1:2525", "from": "govmedia@jingyue.gov.cn",
                      "to": ["zwgkb@jingyue.gov.cn"], "outbox": "outbox"}}
            """.write(toFile: mail, atomically: true, encoding: .utf8)
        let weekly = try ReportCommand.Weekly.parse([
            "--week", week.description, "--out", paths.reports + "/\(week)", "--rules", paths.rules,
            "--district", "净月高新区", "--db", paths.database, "--config", mail,
        ])
        try await weekly.run()
    }
}
