// The written forms of a numeric answer: a decimal or a fraction, and the wrappers models put around them.

extension NumericAnswer {
    /// A number as written, with its digits as text so that no size overflows while reading.
    enum Written: Equatable {
        /// `[-]integer[.fraction]`; thousands commas removed; `fraction` may be empty.
        case decimal(negative: Bool, integer: Substring, fraction: Substring)
        /// `[-]numerator/denominator` or `\frac{numerator}{denominator}`; plain digits.
        case fraction(negative: Bool, numerator: Substring, denominator: Substring)
    }

    /// Reads `text` in the accepted syntax (see `NumericAnswer`), or nil.
    ///
    /// Wrappers are removed in this order: surrounding whitespace, one trailing `.`, a surrounding
    /// pair of `$`, a leading one-letter variable and `=` (`x = 5`); then an optional sign and the number.
    static func written(_ text: String) -> Written? {
        var body = trimmed(Substring(text))
        if body.last == "." { body = trimmed(body.dropLast()) }
        if body.count >= 2, body.first == "$", body.last == "$" { body = trimmed(body.dropFirst().dropLast()) }
        if let first = body.first, first.isASCII, first.isLetter {
            let rest = trimmed(body.dropFirst())
            if rest.first == "=" { body = trimmed(rest.dropFirst()) }
        }
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        if body.first == "\\" {
            return latexFraction(body).map { .fraction(negative: negative, numerator: $0.0, denominator: $0.1) }
        }
        if body.contains("/") {
            let parts = body.split(separator: "/", omittingEmptySubsequences: false).map(trimmed)
            guard parts.count == 2, isDigits(parts[0]), isDigits(parts[1]) else { return nil }
            return .fraction(negative: negative, numerator: parts[0], denominator: parts[1])
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integerPart = parts.first, let integer = digits(ofGrouped: integerPart) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || isDigits(fraction) else { return nil }
        return .decimal(negative: negative, integer: integer, fraction: fraction)
    }

    // MARK: - Helpers

    /// The numerator and denominator of `\frac{p}{q}` or `\dfrac{p}{q}` (spaces allowed around the parts).
    private static func latexFraction(_ text: Substring) -> (Substring, Substring)? {
        var rest: Substring
        if text.hasPrefix("\\frac") {
            rest = text.dropFirst(5)
        } else if text.hasPrefix("\\dfrac") {
            rest = text.dropFirst(6)
        } else {
            return nil
        }
        var groups: [Substring] = []
        for _ in 0..<2 {
            rest = trimmed(rest)
            guard rest.first == "{", let close = rest.firstIndex(of: "}") else { return nil }
            let group = trimmed(rest[rest.index(after: rest.startIndex)..<close])
            guard isDigits(group) else { return nil }
            groups.append(group)
            rest = rest[rest.index(after: close)...]
        }
        return trimmed(rest).isEmpty ? (groups[0], groups[1]) : nil
    }

    /// The digits of an integer part written plainly or with well-placed thousands commas.
    private static func digits(ofGrouped text: Substring) -> Substring? {
        guard !text.isEmpty else { return nil }
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.allSatisfy(isDigits) else { return nil }
        if groups.count > 1 {
            // First group 1-3 digits, every later group exactly 3.
            guard groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        return Substring(groups.joined())
    }

    /// Whether `text` is one or more ASCII digits.
    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `text` without surrounding whitespace.
    private static func trimmed(_ text: Substring) -> Substring {
        var body = text.drop(while: \.isWhitespace)
        while let last = body.last, last.isWhitespace { body = body.dropLast() }
        return body
    }
}
