// Values of a GGUF file's metadata.

/// One metadata value: a number, a flag, a string or an array of values of one type.
public enum GGUFValue: Equatable, Sendable {
    /// Any of the unsigned integer types (u8, u16, u32, u64).
    case unsigned(UInt64)
    /// Any of the signed integer types (i8, i16, i32, i64).
    case signed(Int64)
    /// f32 or f64.
    case float(Double)
    /// bool.
    case bool(Bool)
    /// A UTF-8 string.
    case string(String)
    /// An array; all elements have one type.
    case array([GGUFValue])

    /// The value as an integer, if it is an integer that fits.
    public var int: Int? {
        switch self {
        case .unsigned(let value): Int(exactly: value)
        case .signed(let value): Int(exactly: value)
        default: nil
        }
    }

    /// The value as a floating-point number, if it is a number.
    public var double: Double? {
        switch self {
        case .float(let value): value
        case .unsigned(let value): Double(value)
        case .signed(let value): Double(value)
        default: nil
        }
    }

    /// The value if it is a string.
    public var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The value if it is a flag.
    public var bool: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The elements if the value is an array.
    public var array: [GGUFValue]? {
        if case .array(let values) = self { values } else { nil }
    }
}
