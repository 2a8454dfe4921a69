// JSON Lines files replaced atomically: one encoded value per line, keys sorted.

import Foundation

extension AtomicFile {
    /// Writes `values` as JSON Lines (one object per line, keys sorted), replacing `path` atomically.
    /// - Parameters:
    ///   - values: the values, in file order.
    ///   - path: the file.
    /// - Throws: the encoder's errors, `ModelError.io` if the write fails.
    public static func writeJSONLines<Value: Encodable>(_ values: [Value], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var bytes: [UInt8] = []
        for value in values {
            bytes += try encoder.encode(value)
            bytes.append(UInt8(ascii: "\n"))
        }
        try write(bytes, to: path)
    }
}
