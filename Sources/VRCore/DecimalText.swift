// Numbers written with a fixed number of decimals, as C's printf writes them, for logs and progress lines.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `value` with `digits` decimals, rounded as C's `%.*f` rounds (`3.142` for pi and 3 digits; `nan`, `inf`).
/// - Parameters:
///   - value: the number.
///   - digits: decimals after the point, 0 to 17.
/// - Returns: the text.
public func decimal(_ value: Double, _ digits: Int) -> String {
    let precision = Int32(min(max(digits, 0), 17))
    var buffer = [CChar](repeating: 0, count: 352)  // the longest double (1.8e308) with 17 decimals fits
    let written = withVaList([precision, value]) { arguments in
        vsnprintf(&buffer, buffer.count, "%.*f", arguments)
    }
    guard written >= 0 else { return "\(value)" }
    return String(
        decoding: buffer.prefix(min(Int(written), buffer.count - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
