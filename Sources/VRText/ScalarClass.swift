// The character classes the pre-tokenizer patterns and added-token rules test: \p{L}, \p{N}, \s and \w.

/// The classes of one Unicode scalar, as bits.
///
/// `letter` is general category L (Lu, Ll, Lt, Lm, Lo), `number` is N (Nd, Nl, No; also Rust's `char::is_numeric`),
/// `whitespace` is the White_Space property (Oniguruma's and Rust regex's `\s`), `word` is Rust regex's `\w` (Alphabetic,
/// marks, Nd, Pc and Join_Control), which `single_word` added tokens test. The tables come from the Swift standard library's Unicode data,
/// which may be a newer Unicode version than `tokenizers`' Oniguruma; only characters assigned in between differ.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    static let letter = ScalarClass(rawValue: 1)
    static let number = ScalarClass(rawValue: 2)
    static let whitespace = ScalarClass(rawValue: 4)
    static let word = ScalarClass(rawValue: 8)

    /// The classes of `scalar`.
    static func of(_ scalar: Unicode.Scalar) -> ScalarClass {
        let value = Int(scalar.value)
        if value < basicPlane.count { return ScalarClass(rawValue: basicPlane[value]) }
        return computed(scalar)
    }

    /// The classes of `value`, a valid scalar value.
    static func of(value: UInt32) -> ScalarClass {
        if Int(value) < basicPlane.count { return ScalarClass(rawValue: basicPlane[Int(value)]) }
        return computed(Unicode.Scalar(value).unsafelyUnwrapped)
    }

    /// The classes of every scalar of the Basic Multilingual Plane (surrogates: none), built on first use.
    static let basicPlane: [UInt8] = (0..<0x1_0000).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return 0 }
        return computed(scalar).rawValue
    }

    /// The classes of `scalar`, from the standard library's Unicode properties.
    static func computed(_ scalar: Unicode.Scalar) -> ScalarClass {
        let properties = scalar.properties
        var classes: ScalarClass = []
        let category = properties.generalCategory
        switch category {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            classes.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            classes.insert(.number)
        default:
            break
        }
        if properties.isWhitespace { classes.insert(.whitespace) }
        switch category {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            classes.insert(.word)
        default:
            if properties.isAlphabetic || properties.isJoinControl { classes.insert(.word) }
        }
        return classes
    }
}
