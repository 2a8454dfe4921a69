// The safetensors file format: element types, tensor descriptions and the JSON header.
// Reference: https://github.com/huggingface/safetensors (format section of README.md).

#if _endian(big)
    #error("safetensors data is little-endian; this module copies it without byte swapping")
#endif

/// Names and definitions shared by `SafetensorsFile` (reader) and `SafetensorsWriter`.
///
/// A safetensors file is laid out as:
/// ```
/// [8 bytes]  N, the header length, unsigned little-endian
/// [N bytes]  UTF-8 JSON object, padded with spaces to a multiple of 8:
///            {"__metadata__": {string: string},
///             "<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
/// [rest]     the data section; offsets are relative to its start, tensors are packed without gaps,
///            elements are little-endian and row-major
/// ```
public enum Safetensors {
    /// The largest header accepted (100 MB), as in the reference implementation.
    public static let maxHeaderByteCount = 100_000_000

    /// The key of the string-to-string metadata object in the header.
    static let metadataKey = "__metadata__"

    /// An element type; the raw value is its name in the header.
    public enum DType: String, Sendable, CaseIterable {
        /// IEEE 754 single precision.
        case f32 = "F32"
        /// IEEE 754 half precision.
        case f16 = "F16"
        /// bfloat16: the upper half of a single-precision value.
        case bf16 = "BF16"
        /// Signed 32-bit integer.
        case i32 = "I32"
        /// Signed 64-bit integer.
        case i64 = "I64"

        /// Size of one element in bytes.
        public var byteCount: Int {
            switch self {
            case .f16, .bf16: 2
            case .f32, .i32: 4
            case .i64: 8
            }
        }
    }

    /// Where one tensor lives in a file and what it holds.
    public struct TensorInfo: Sendable, Equatable {
        /// The tensor's name (its key in the header).
        public let name: String
        /// The element type.
        public let dtype: DType
        /// The shape, row-major; `[]` is a scalar.
        public let shape: [Int]
        /// Byte range in the data section.
        public let dataOffsets: Range<Int>

        /// Number of elements: the product of `shape`.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    // MARK: - Header encoding

    /// The header for `tensors` and `metadata`: compact JSON padded with spaces to a multiple of 8.
    ///
    /// Tensors appear in the given order and metadata keys sorted, so equal inputs give equal bytes.
    static func encodeHeader(metadata: [String: String], tensors: [TensorInfo]) -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { jsonString($0.key) + ":" + jsonString($0.value) }
            fields.append(jsonString(metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        for tensor in tensors {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            let offsets = "\(tensor.dataOffsets.lowerBound),\(tensor.dataOffsets.upperBound)"
            fields.append(
                jsonString(tensor.name) + ":{\"dtype\":" + jsonString(tensor.dtype.rawValue) + ",\"shape\":[" + shape
                    + "],\"data_offsets\":[" + offsets + "]}")
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        // Padding keeps the data section 8-byte aligned, as the reference writer does.
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        return header
    }

    /// `value` as a JSON string literal.
    static func jsonString(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
