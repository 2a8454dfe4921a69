// The JSON of the run directory's files that people read: configurations and results.

import Foundation

/// `value` as indented JSON with sorted keys and a final newline.
/// - Parameter value: the value.
/// - Returns: the bytes.
/// - Throws: the encoder's errors.
func prettyJSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(value) + Data("\n".utf8)
}
