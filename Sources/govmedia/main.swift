import GovMediaCLI
import GovMediaCore

ProcessMemory.configure()
// The whole program lives in GovMediaCLI so tests can drive it; this file only starts it.
await GovMediaCommand.main(Array(CommandLine.arguments.dropFirst()))
