// The canonical text of a decimal number, so that "1,234", "+1234" and "1234.0" compare equal.

/// Decimal numbers in canonical form, compared as text so that no size overflows.
///
/// Accepted: optional surrounding whitespace, an optional `+` or `-`, digits (optionally grouped
/// in thousands by commas, which must then be well placed: `1,234` but not `12,34`), and an
/// optional `.` followed by at least one digit. Nothing else: no units, no trailing period, no
/// exponent. The canonical form drops leading integer zeros, trailing fraction zeros, an empty
/// fraction and the sign of zero: `+001,000.50` becomes `1000.5`, `-0.0` becomes `0`.
enum NumericAnswer {
    /// The canonical form of `text`, or nil when it is not a number in the accepted syntax.
    static func canonical(_ text: String) -> String? {
        var body = Substring(text).drop(while: \.isWhitespace)
        while let last = body.last, last.isWhitespace { body = body.dropLast() }
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integerPart = parts.first, let integerDigits = digits(ofGrouped: integerPart) else { return nil }
        var fraction = ""
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(isDigit) else { return nil }
            fraction = String(parts[1].reversed().drop { $0 == "0" }.reversed())
        }
        let integer = String(integerDigits.drop { $0 == "0" })
        let magnitude = (integer.isEmpty ? "0" : integer) + (fraction.isEmpty ? "" : "." + fraction)
        return negative && magnitude != "0" ? "-" + magnitude : magnitude
    }

    /// The digits of an integer part written plainly or with well-placed thousands commas.
    private static func digits(ofGrouped text: Substring) -> Substring? {
        guard !text.isEmpty else { return nil }
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) }) else { return nil }
        if groups.count > 1 {
            // First group 1-3 digits, every later group exactly 3.
            guard groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        return Substring(groups.joined())
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }
}
