import ArgumentParser

/// `govmedia review`: the 三审 ledger.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "三审记录：导入、登记与查询。")
}
