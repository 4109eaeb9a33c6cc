import Foundation
@testable import GovMediaDisclosure

/// Reads a fixture copied into the test bundle.
func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw FixtureMissing(name: name)
    }
    return try String(contentsOf: url, encoding: .utf8)
}

struct FixtureMissing: Error { let name: String }
