import Foundation
import GovMediaCore
import GovMediaStore

/// The report's 整改 section: what was found and fixed in the week, what stood overdue at
/// its end (by unit, veto items first), and the year's running totals — the figures a
/// quarterly return asks for. Computed as of the week's end from the stored items, so a
/// report made again later says the same.
public struct WeeklyRectification: Sendable, Equatable {
    /// One item as the report lists it.
    public struct Line: Sendable, Equatable {
        public var id: Int64
        public var accountID, accountName, owner, rule: String
        public var veto: Bool
        public var found: Date
        public var deadline: String
        public var closed: Date?
        /// Calendar days from the day found to the day fixed.
        public var daysToFix: Int?
        /// Fixed by the end of its deadline day.
        public var onTime: Bool?
        /// Calendar days past the deadline at the week's end.
        public var daysOverdue: Int?
        public var summary: String
    }

    /// One unit's overdue items.
    public struct UnitOverdue: Sendable, Equatable {
        public var owner: String
        public var vetoes: Int
        public var items: [Line]
    }

    /// The year's figures up to the week's end (items found in the year).
    public struct YearTotals: Sendable, Equatable {
        public var year: Int
        public var found = 0, fixed = 0, fixedOnTime = 0, waived = 0, overdue = 0, open = 0
        /// Fixed on time / fixed; nil before anything is fixed.
        public var onTimeRate: Double? { fixed == 0 ? nil : Double(fixedOnTime) / Double(fixed) }
    }

    /// A unit with open items and no contact address in the register.
    public struct UnitWithoutContact: Sendable, Equatable {
        public var owner: String
        public var openItems: Int
    }

    public var opened: [Line]
    public var fixed: [Line]
    /// Veto units first, then by how many items.
    public var overdue: [UnitOverdue]
    public var year: YearTotals
    public var withoutContact: [UnitWithoutContact]
    /// Units told in the week and the items in their notices.
    public var unitsNoticed: Int
    public var itemsNoticed: Int
    /// Deadlines counted by weekends only (a year missing from the calendar).
    public var warnings: [String]

    public var isEmpty: Bool { year.found == 0 && opened.isEmpty && fixed.isEmpty && overdue.isEmpty }

    /// Builds the section for `week` from every stored item.
    public init(week: ISOWeek, items: [RectificationItem], contacts: [String: [String]], notices: [NoticeRecord], warnings: [String]) {
        let start = week.start, end = week.end
        let endDay = ChinaTime.civil(end.addingTimeInterval(-1)).date
        func openAtEnd(_ i: RectificationItem) -> Bool { i.foundAt < end && (i.closedAt.map { $0 >= end } ?? true) }
        func line(_ i: RectificationItem) -> Line {
            let foundDay = ChinaTime.civil(i.foundAt).date
            var l = Line(id: i.id, accountID: i.accountID, accountName: i.accountName, owner: i.owner, rule: i.rule, veto: i.severity == .veto,
                         found: i.foundAt, deadline: i.deadlineText, closed: i.closedAt, summary: i.summary)
            if i.state == .fixed, let closed = i.closedAt {
                l.daysToFix = ChinaTime.civil(closed).date.daysSinceEpoch - foundDay.daysSinceEpoch
                l.onTime = closed < i.deadlineEnd
            }
            if openAtEnd(i), i.deadlineEnd <= end { l.daysOverdue = endDay.daysSinceEpoch - i.deadline.daysSinceEpoch }
            return l
        }
        let ordered = items.sorted { $0.id < $1.id }
        opened = ordered.filter { $0.foundAt >= start && $0.foundAt < end }.map(line)
        fixed = ordered.filter { $0.state == .fixed && ($0.closedAt.map { $0 >= start && $0 < end } ?? false) }.map(line)
        var byUnit: [String: [Line]] = [:]
        for i in ordered where openAtEnd(i) && i.deadlineEnd <= end { byUnit[i.owner, default: []].append(line(i)) }
        overdue = byUnit.map { owner, lines in
            UnitOverdue(owner: owner, vetoes: lines.filter(\.veto).count,
                        items: lines.sorted { ($0.veto ? 0 : 1, $0.id) < ($1.veto ? 0 : 1, $1.id) })
        }.sorted { ($1.vetoes, $1.items.count, $0.owner) < ($0.vetoes, $0.items.count, $1.owner) }
        var totals = YearTotals(year: endDay.year)
        for i in ordered where i.foundAt < end && ChinaTime.civil(i.foundAt).date.year == endDay.year {
            totals.found += 1
            if openAtEnd(i) {
                if i.deadlineEnd <= end { totals.overdue += 1 } else { totals.open += 1 }
            } else if i.state == .fixed {
                totals.fixed += 1
                if let closed = i.closedAt, closed < i.deadlineEnd { totals.fixedOnTime += 1 }
            } else if i.state == .waived {
                totals.waived += 1
            }
        }
        year = totals
        var openByUnit: [String: Int] = [:]
        for i in ordered where openAtEnd(i) { openByUnit[i.owner, default: 0] += 1 }
        withoutContact = openByUnit.filter { (contacts[$0.key] ?? []).isEmpty }.map { UnitWithoutContact(owner: $0.key, openItems: $0.value) }
            .sorted { ($1.openItems, $0.owner) < ($0.openItems, $1.owner) }
        let weekNotices = notices.filter { $0.writtenAt >= start && $0.writtenAt < end }
        unitsNoticed = Set(weekNotices.map(\.unit)).count
        itemsNoticed = Set(weekNotices.map(\.itemID)).count
        self.warnings = warnings
    }

    /// The template's values for the section.
    func context(heading: String) -> [String: Any] {
        func row(_ l: Line) -> [String: Any] {
            var d: [String: Any] = ["id": l.id, "accountID": l.accountID, "accountName": l.accountName, "owner": l.owner, "rule": l.rule,
                                    "veto": l.veto, "severity": l.veto ? "单项否决" : "扣分", "found": ChinaTime.short(l.found),
                                    "deadline": l.deadline, "summary": l.summary]
            if let closed = l.closed { d["closed"] = ChinaTime.short(closed) }
            if let days = l.daysToFix { d["daysToFix"] = "\(days) 天" }
            if let onTime = l.onTime { d["onTime"] = onTime ? "按期" : "超期"; d["onTimeClass"] = onTime ? "ok" : "problem" }
            if let days = l.daysOverdue { d["daysOverdue"] = "\(days) 天" }
            return d
        }
        return [
            "heading": heading, "isEmpty": isEmpty,
            "opened": opened.map(row), "openedCount": opened.count, "hasOpened": !opened.isEmpty,
            "fixed": fixed.map(row), "fixedCount": fixed.count, "hasFixed": !fixed.isEmpty,
            "overdue": overdue.map { ["owner": $0.owner, "vetoes": $0.vetoes, "count": $0.items.count, "items": $0.items.map(row)] },
            "overdueCount": overdue.reduce(0) { $0 + $1.items.count }, "hasOverdue": !overdue.isEmpty,
            "year": ["year": String(year.year), "found": year.found, "fixed": year.fixed, "fixedOnTime": year.fixedOnTime,
                     "onTimeRate": ReportFormat.percent(year.onTimeRate), "waived": year.waived, "overdue": year.overdue, "open": year.open],
            "withoutContact": withoutContact.map { ["owner": $0.owner, "openItems": $0.openItems] }, "hasWithoutContact": !withoutContact.isEmpty,
            "unitsNoticed": unitsNoticed, "itemsNoticed": itemsNoticed,
            "warnings": warnings.map { ["text": $0] },
        ]
    }
}
