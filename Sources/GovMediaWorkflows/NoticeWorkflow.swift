import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaReport
import GovMediaRules
import GovMediaStore

/// Rectification notices (整改通知) to owner units: which open items each unit must hear
/// about today, one notice per unit (HTML for print, `.eml` in the outbox for mail), and a
/// record of every item told, so that no unit hears about the same item twice in one day.
/// `govmedia notify` and the daemon both run it; the outbox sends what it writes.
public struct NoticeWorkflow: Sendable {
    /// Which open items go out.
    public enum Selection: Sendable {
        /// Every open item (an officer's `govmedia notify`).
        case allOpen
        /// What the daemon sends after an evaluation: items never noticed, and reminders for
        /// items due within one working day or overdue.
        case newAndDue
    }

    /// One notice written.
    public struct Written: Sendable {
        public var unit: String
        public var recipients: [String]
        public var htmlPath: String
        /// Nil when the unit has no contact address or no mail server is configured.
        public var emlPath: String?
        public var items: [(id: Int64, reason: NoticeReason)]
    }

    /// What one pass did.
    public struct Outcome: Sendable {
        public var written: [Written] = []
        /// Units with items to hear about but no `contact_email` in the register: their
        /// notices are written as HTML only, for the office to deliver by hand.
        public var withoutContact: [Written] = []
        /// Items left out because their unit was already told today.
        public var alreadyToday = 0
    }

    public let store: Store
    public let rules: RuleSet
    /// Nil: no mail server configured; notices are written as HTML only.
    public let mail: MailSettings?
    public let issuer: RectificationNotice.Issuer
    /// Where the HTML notices go (one folder per day beneath it).
    public let directory: String

    public init(store: Store, rules: RuleSet, mail: MailSettings?, issuer: RectificationNotice.Issuer, directory: String) {
        self.store = store
        self.rules = rules
        self.mail = mail
        self.issuer = issuer
        self.directory = directory
    }

    /// Writes today's notices (China day of `at`), optionally for units whose name contains
    /// `unit`, and records the items of every notice that went to the outbox.
    public func run(at: Date, unit: String? = nil, selection: Selection, by who: String) throws -> Outcome {
        let day = ChinaTime.today(at)
        let open = try store.rectifications(RectificationFilter(unit: unit, states: [.open])).sorted { $0.id < $1.id }
        let toldToday = try store.noticedItems(on: day)
        let everTold = try store.everNoticedItemIDs()
        let dueBy = rules.calendar.addingWorkingDays(1, to: day).day
        var outcome = Outcome()
        var byUnit: [String: [(RectificationItem, NoticeReason)]] = [:]
        for item in open {
            let reason: NoticeReason? = if item.isOverdue(at: at) {
                .overdue
            } else if item.deadline <= dueBy {
                .due
            } else if !everTold.contains(item.id) {
                .opened
            } else {
                selection == .allOpen ? .open : nil
            }
            guard let reason else { continue }
            if toldToday.contains(NoticeKey(itemID: item.id, unit: item.owner)) {
                outcome.alreadyToday += 1
                continue
            }
            byUnit[item.owner, default: []].append((item, reason))
        }
        let contacts = try store.unitContacts()
        let accounts = Dictionary(try store.accounts().map { ($0.id, $0) }) { a, _ in a }
        let folder = URL(fileURLWithPath: directory).appendingPathComponent(day.description)
        for unitName in byUnit.keys.sorted() {
            let entries = byUnit[unitName]!.map { item, reason in
                let rule = rules.rule(item.rule)
                let account = accounts[item.accountID]
                return RectificationNotice.Entry(item: item, reason: reason, ruleTitle: rule?.title ?? item.rule, ruleSource: rule?.source ?? "",
                                                 platform: account?.platform.chineseName ?? "", url: account?.url.text ?? "")
            }
            let recipients = contacts[unitName] ?? []
            let notice = RectificationNotice(unit: unitName, day: day, entries: entries, recipients: recipients, issuer: issuer)
            let html = Array(notice.html().utf8)
            let htmlName = notice.fileStem + ".html"
            try WeeklyReportFiles.createDirectory(folder)
            let htmlURL = folder.appendingPathComponent(htmlName)
            try WeeklyReportFiles.writeAtomically(html, to: htmlURL)
            var written = Written(unit: unitName, recipients: recipients, htmlPath: htmlURL.path, emlPath: nil,
                                  items: notice.entries.map { ($0.item.id, $0.reason) })
            guard !recipients.isEmpty else {
                outcome.withoutContact.append(written)
                continue
            }
            guard let mail else {
                outcome.written.append(written)
                continue
            }
            let message = notice.mail(html: html, htmlFile: htmlName, from: mail.from)
            let outbox = URL(fileURLWithPath: mail.outbox)
            try WeeklyReportFiles.createDirectory(outbox)
            let emlURL = outbox.appendingPathComponent(Outbox.fileName(prefix: "notice-\(day)", messageID: message.messageID))
            try WeeklyReportFiles.writeAtomically(message.encoded(), to: emlURL)
            written.emlPath = emlURL.path
            try store.recordNotices(written.items.map {
                NoticeRecord(itemID: $0.id, unit: unitName, day: day, reason: $0.reason, recipients: recipients, messageID: message.messageID,
                             htmlPath: htmlURL.path, emlPath: emlURL.path, writtenAt: at, writtenBy: who)
            })
            outcome.written.append(written)
        }
        return outcome
    }
}

extension NoticeWorkflow.Selection: Equatable {}
