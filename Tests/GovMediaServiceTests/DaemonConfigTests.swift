import Foundation
import GovMediaCore
import GovMediaFetch
import GovMediaService
import Testing

/// Writes `text` as a config file in a folder of its own and loads it.
private func load(_ text: String, requiringDatabase: Bool = true) throws(ConfigError) -> DaemonConfig {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gm-config-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("govmedia.yaml").path
    try? text.write(toFile: path, atomically: true, encoding: .utf8)
    return try DaemonConfig.load(path: path, requiringDatabase: requiringDatabase)
}

/// 2026-12-07 10:30 in China.
private let mondayMorning = ChinaTime.instant(CivilDate(year: 2026, month: 12, day: 7)!, hour: 10, minute: 30)

@Suite("the daemon's config and schedule")
struct DaemonConfigTests {
    @Test("the daemon needs database:; a CLI command reading the same file for its bridges does not")
    func databaseRequiredOnlyForTheDaemon() throws {
        let text = "fetch:\n  allow_private_addresses: true\n"
        #expect(throws: ConfigError.self) { try load(text) }
        do {
            _ = try load(text)
        } catch {
            #expect(error.field == "database" && error.description.contains("缺少必填字段"), "\(error)")
        }
        let cli = try load(text, requiringDatabase: false)
        #expect(cli.fetch.allowPrivateAddresses)
    }

    @Test("a wrong field is refused naming the field and its line")
    func badFieldNamesLine() {
        do {
            _ = try load("database: g.sqlite\nschedule:\n  interval_minutes: 5\n  daily: [\"06:00\"]\n")
            Issue.record("two schedules were accepted")
        } catch {
            #expect(error.field == "schedule" && error.line == 3, "\(error)")
        }
        do {
            _ = try load("database: g.sqlite\nschedule:\n  daily: [\"25:00\"]\n")
            Issue.record("25:00 was accepted")
        } catch {
            #expect(error.field == "schedule.daily" && error.description.contains("25:00"), "\(error)")
        }
        do {
            _ = try load("database: g.sqlite\nbridges:\n  rss hub:\n    base_url: http://x\n")
            Issue.record("a bridge name with a space was accepted")
        } catch {
            #expect(error.field == "bridges", "\(error)")
        }
    }

    @Test("an interval schedule scans at once when nothing has run, then every interval; a daily one at its next time")
    func nextScan() throws {
        let every = try load("database: g.sqlite\nschedule:\n  interval_minutes: 30\n").schedule
        #expect(ScanSchedule.next(every, after: nil, now: mondayMorning) == mondayMorning)
        #expect(ScanSchedule.next(every, after: mondayMorning.addingTimeInterval(-600), now: mondayMorning)
                == mondayMorning.addingTimeInterval(1200))
        let daily = try load("database: g.sqlite\nschedule:\n  daily: [\"18:00\", \"06:00\"]\n").schedule
        let day = CivilDate(year: 2026, month: 12, day: 7)!
        #expect(ScanSchedule.next(daily, after: nil, now: mondayMorning) == ChinaTime.instant(day, hour: 18))
        let evening = ChinaTime.instant(day, hour: 19)
        #expect(ScanSchedule.next(daily, after: evening, now: evening) == ChinaTime.instant(day.adding(days: 1), hour: 6))
    }

    @Test("the weekly report falls due on the configured weekday of the current ISO week, China time")
    func reportDue() {
        let due = ScanSchedule.reportDue(DaemonConfig.ReportTime(weekday: 1, hour: 8, minute: 0), weekOf: mondayMorning.addingTimeInterval(3 * 86_400))
        #expect(due == ChinaTime.instant(CivilDate(year: 2026, month: 12, day: 7)!, hour: 8))
    }
}
