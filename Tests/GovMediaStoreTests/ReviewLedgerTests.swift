import Foundation
import GovMediaCore
import GovMediaStore
import GRDB
import Testing

/// A sign-off for `account`, signed `minutes` after 2026-11-05 09:00 China time.
private func signOff(_ account: String = "jy-a-wx", _ stage: ReviewStage = .first, reviewer: String = "张三",
                     minutes: Int = 0, title: String = "区长调研企业", line: Int = 2) -> ReviewInput {
    let day = CivilDate(year: 2026, month: 11, day: 5)!
    return ReviewInput(accountID: account, postURL: "https://www.example.gov.cn/\(title.count).html", postTitle: title,
                       stage: stage, reviewer: reviewer, signedAt: ChinaTime.instant(day, hour: 9, minute: minutes),
                       opinion: .approve, source: ReviewSource(name: "reviews.csv", line: line))
}

/// A store with two accounts registered.
private func storeWithAccounts() throws -> Store {
    let store = try freshStore()
    try store.add(sampleAccount("jy-a-wx"), by: officer)
    try store.add(sampleAccount("jy-b-wb"), by: officer)
    return store
}

/// One post's three stages, by three people, ten minutes apart.
private let threeStages = [signOff("jy-a-wx", .first, minutes: 0), signOff("jy-a-wx", .second, reviewer: "李四", minutes: 10),
                           signOff("jy-a-wx", .final, reviewer: "王五", minutes: 20)]

@Suite("三审 ledger in the store")
struct ReviewLedgerTests {
    @Test("appended records are chained from genesis and read back with their origin")
    func appendAndRead() throws {
        let store = try storeWithAccounts()
        #expect(try store.appendReviews(threeStages, by: Attribution(operator: "officer1", reason: "")) == 3)
        let records = try store.reviews(accountID: "jy-a-wx")
        #expect(records.map(\.stage) == [.first, .second, .final])
        #expect(records.map(\.seq) == [1, 2, 3])
        #expect(records[0].previousHash == AuditHash.genesis)
        #expect(records[1].previousHash == records[0].hash && records[2].previousHash == records[1].hash)
        #expect(records.allSatisfy { $0.hash == $0.computedHash })
        #expect(records[0].signedAt == "2026-11-05T09:00:00+08:00")
        #expect(records[0].origin == "reviews.csv:2" && records[0].recordedBy == "officer1")
        #expect(try store.verifyAudit().isEmpty)
    }

    @Test("a reason is kept in the hashed origin")
    func reasonInOrigin() throws {
        let store = try storeWithAccounts()
        try store.appendReviews([signOff()], by: Attribution(operator: "o", reason: "补录十月记录"))
        #expect(try store.reviews().first?.origin == "reviews.csv:2（补录十月记录）")
    }

    @Test("re-appending the same rows skips them as duplicates")
    func duplicatesSkipped() throws {
        let store = try storeWithAccounts()
        try store.appendReviews(threeStages, by: officer)
        var later = threeStages
        later.append(signOff("jy-a-wx", .final, reviewer: "王五", minutes: 30))
        #expect(try store.appendReviews(later, by: officer) == 1)
        #expect(try store.reviews().count == 4)
    }

    @Test("a row repeated within one import is recorded once")
    func duplicateWithinBatch() throws {
        let store = try storeWithAccounts()
        #expect(try store.appendReviews([signOff(), signOff()], by: officer) == 1)
    }

    @Test("an unknown account refuses the whole batch and names the row")
    func unknownAccount() throws {
        let store = try storeWithAccounts()
        let rows = [signOff(line: 2), signOff("no-such", .second, reviewer: "李四", line: 3)]
        #expect {
            try store.appendReviews(rows, by: officer)
        } throws: { error in
            let failure = (error as? StoreError)?.underlying as? ReviewImportFailure
            return failure?.errors.map(\.line) == [3] && failure?.errors.first?.column == "account_id"
                && "\(error)".contains("reviews.csv 第 3 行 account_id 列") && "\(error)".contains("no-such")
        }
        #expect(try store.reviews().isEmpty)
    }

    @Test("queries by signing period include the start and exclude the end")
    func signedPeriod() throws {
        let store = try storeWithAccounts()
        try store.appendReviews(threeStages, by: officer)
        let day = CivilDate(year: 2026, month: 11, day: 5)!
        let found = try store.reviews(signedFrom: ChinaTime.instant(day, hour: 9, minute: 10),
                                      to: ChinaTime.instant(day, hour: 9, minute: 20))
        #expect(found.map(\.stage) == [.second])
    }

    @Test("queries by account and by post link return only matching records")
    func byAccountAndLink() throws {
        let store = try storeWithAccounts()
        try store.appendReviews(threeStages + [signOff("jy-b-wb", title: "另一篇稿件")], by: officer)
        #expect(try store.reviews(accountID: "jy-b-wb").map(\.postTitle) == ["另一篇稿件"])
        #expect(try store.reviews(postURL: threeStages[0].postURL!).count == 3)
    }

    @Test("UPDATE and DELETE on review_record are refused by the database")
    func appendOnly() throws {
        let store = try storeWithAccounts()
        try store.appendReviews(threeStages, by: officer)
        #expect(throws: DatabaseError.self) {
            try store.pool.write { try $0.execute(sql: "UPDATE review_record SET reviewer = '别人'") }
        }
        #expect(throws: DatabaseError.self) {
            try store.pool.write { try $0.execute(sql: "DELETE FROM review_record") }
        }
        #expect(try store.reviews().count == 3)
    }

    @Test("a stage or opinion outside the allowed values is refused by the database")
    func checkConstraints() throws {
        let store = try storeWithAccounts()
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO review_record (seq, account_id, post_title, stage, reviewer, signed_at, signed_ts, opinion,
                        recorded_at, recorded_by, origin, prev_hash, hash) VALUES (1, 'jy-a-wx', 't', '四审', 'r', 's', 0, '同意', '', '', '', '', 'h')
                    """)
            }
        }
    }

    @Test("a record altered with the triggers dropped is named by the audit")
    func tamperDetected() throws {
        let store = try storeWithAccounts()
        try store.appendReviews(threeStages, by: officer)
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER review_record_no_update")
            try db.execute(sql: "UPDATE review_record SET reviewer = '王五' WHERE seq = 2")
        }
        let problems = try store.verifyAudit()
        #expect(problems.count == 1)
        #expect(problems.first?.ledger == "review_record" && problems.first?.seq == 2)
        #expect(problems.first?.recordID.contains("jy-a-wx") == true)
        #expect(problems.first?.recordID.contains("区长调研企业") == true)
    }

    @Test("an unhashed signing timestamp moved behind the CLI's back is caught")
    func timestampTamperDetected() throws {
        let store = try storeWithAccounts()
        try store.appendReviews(threeStages, by: officer)
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER review_record_no_update")
            try db.execute(sql: "UPDATE review_record SET signed_ts = signed_ts - 86400 WHERE seq = 3")
        }
        #expect(try store.verifyAudit().first?.seq == 3)
    }

    @Test("a deleted record breaks the chain at the next one")
    func deletionDetected() throws {
        let store = try storeWithAccounts()
        try store.appendReviews(threeStages, by: officer)
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER review_record_no_delete")
            try db.execute(sql: "DELETE FROM review_record WHERE seq = 2")
        }
        let problems = try store.verifyAudit()
        #expect(problems.first?.ledger == "review_record" && problems.first?.seq == 3)
    }
}
