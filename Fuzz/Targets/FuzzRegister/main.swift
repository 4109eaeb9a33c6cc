// libFuzzer harness: the register reader (GovMediaCore.RegisterFile.decode) with libxml2's
// XPath check (GovMediaParse.XPathCheck.problem), as `govmedia account import` reads a file.
// Checked: a register that reads writes back (RegisterFile.encode) to a file that reads to
// the same accounts.
// Built and run by scripts/fuzz (a main.swift: libFuzzer runs through its driver); see FUZZING.md.
import CFuzzer
import Foundation
import GovMediaCore
import GovMediaParse

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegister(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let file = Data(UnsafeBufferPointer(start: data, count: size))
    guard let accounts = try? RegisterFile.decode(file, xpathProblem: XPathCheck.problem) else { return 0 }
    let written = RegisterFile.encode(accounts)
    do {
        let again = try RegisterFile.decode(written, xpathProblem: XPathCheck.problem)
        precondition(again == accounts, "register changed on write and read back")
    } catch {
        preconditionFailure("a register that read does not read back after RegisterFile.encode: \(error)")
    }
    return 0
}

// libFuzzer's main, through its driver (see CFuzzer/fuzzer.h).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzRegister))
