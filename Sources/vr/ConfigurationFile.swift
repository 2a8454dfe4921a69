// Reading a daemon's JSON configuration file (`--config`), strictly.

import ArgumentParser
import Foundation
import VRCore

/// Decodes the JSON configuration at `path`; the types reject unknown keys and default missing ones.
/// - Parameters:
///   - type: the configuration type.
///   - path: the file.
/// - Returns: the configuration.
/// - Throws: `ValidationError` naming the file and, for bad content, the path to the bad value.
func decodeConfiguration<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
    let data: Data
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw ValidationError("cannot read \(path): \(error.localizedDescription)")
    }
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch {
        throw ValidationError("\(path): \(DecodingFailure.message(for: error))")
    }
}
