// The tensor element types of GGUF files (ggml's `ggml_type`) and the block layout of each.

/// A ggml tensor type: plain floats, or quantized blocks of 32 or 256 values with their own scales.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// 32-bit floats.
    case f32 = 0
    /// IEEE half floats.
    case f16 = 1
    /// Blocks of 32: a half scale d and 4-bit values q, x = d (q - 8).
    case q4_0 = 2
    /// Blocks of 32: half d and m and 4-bit values q, x = d q + m.
    case q4_1 = 3
    /// Blocks of 32: half d and 5-bit values q (4 low bits and 1 high bit each), x = d (q - 16).
    case q5_0 = 6
    /// Blocks of 32: half d and m and 5-bit values q, x = d q + m.
    case q5_1 = 7
    /// Blocks of 32: half d and signed 8-bit values q, x = d q.
    case q8_0 = 8
    /// Super-blocks of 256 in 8 sub-blocks of 32, each with a 6-bit scale and minimum, 4-bit values.
    case q4_K = 12
    /// Super-blocks of 256 in 8 sub-blocks of 32, each with a 6-bit scale and minimum, 5-bit values.
    case q5_K = 13
    /// Super-blocks of 256 in 16 sub-blocks of 16, each with an 8-bit scale, 6-bit values.
    case q6_K = 14
    /// bfloat16: the high half of a 32-bit float.
    case bf16 = 30

    /// Values per block.
    public var blockValueCount: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: 32
        case .q4_K, .q5_K, .q6_K: 256
        }
    }

    /// Bytes per block.
    public var blockByteCount: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q8_0: 34
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        }
    }

    /// ggml's name for the type: `F32`, `Q4_K`, ...
    public var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        }
    }

    /// ggml's names of the types that exist but that this reader does not dequantize, by number.
    static let unsupportedNames: [UInt32: String] = [
        9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S",
        20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64",
        29: "IQ1_M", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
    ]
}
