// Writing progress lines to standard output so that they show up promptly through pipes too.

import Foundation

/// Prints `line` and flushes standard output.
/// - Parameter line: one line of progress.
func printProgress(_ line: String) {
    print(line)
    fflush(nil)  // nil flushes every stream: progress shows up promptly through pipes too
}

/// `value` with `digits` decimals.
func decimal(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

/// A JSON value as one line with sorted keys.
func jsonLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
}
