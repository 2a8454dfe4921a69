// Writing small GGUF files (version 3, metadata only) in memory, for tests of tokenizer metadata that is wrong.

import Foundation
import VRGGUF

/// A GGUF file with metadata and no tensors.
struct GGUFTestFile {
    /// A metadata value.
    enum Value {
        case string(String)
        case strings([String])
        case int32s([Int32])
        case uint32(UInt32)
    }

    /// The entries, in file order.
    var metadata: [(key: String, value: Value)]

    /// The file's bytes.
    var bytes: Data {
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        func append(_ text: String) {
            append(UInt64(text.utf8.count))
            data.append(contentsOf: Array(text.utf8))
        }
        append(UInt32(0x4655_4747))  // "GGUF"
        append(UInt32(3))
        append(UInt64(0))  // tensors
        append(UInt64(metadata.count))
        for (key, value) in metadata {
            append(key)
            switch value {
            case .string(let text):
                append(UInt32(8))
                append(text)
            case .strings(let texts):
                append(UInt32(9))
                append(UInt32(8))
                append(UInt64(texts.count))
                for text in texts { append(text) }
            case .int32s(let numbers):
                append(UInt32(9))
                append(UInt32(5))
                append(UInt64(numbers.count))
                for number in numbers { append(number) }
            case .uint32(let number):
                append(UInt32(4))
                append(number)
            }
        }
        return data
    }

    /// The opened file.
    func opened() throws -> GGUFFile {
        try GGUFFile(contents: bytes, path: "test.gguf")
    }

    /// The value under `key`, to change or remove.
    subscript(key: String) -> Value? {
        get { metadata.first { $0.key == key }?.value }
        set {
            metadata.removeAll { $0.key == key }
            if let newValue { metadata.append((key, newValue)) }
        }
    }

    /// A small valid byte-level tokenizer: the 256 byte tokens, "Ġt", "he", "Ġthe" and the control token
    /// `<|im_end|>` (id 259), with pre-tokenizer `gpt-2`.
    static func tiny() -> GGUFTestFile {
        let bytes = (0..<256).map { byte in byteLevelSpelling(UInt8(byte)) }
        let tokens = bytes + ["Ġt", "he", "Ġthe", "<|im_end|>"]
        return GGUFTestFile(metadata: [
            ("general.architecture", .string("llama")),
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string("gpt-2")),
            ("tokenizer.ggml.tokens", .strings(tokens)),
            ("tokenizer.ggml.token_type", .int32s([Int32](repeating: 1, count: 259) + [3])),
            ("tokenizer.ggml.merges", .strings(["Ġ t", "h e", "Ġt he"])),
            ("tokenizer.ggml.eos_token_id", .uint32(259)),
        ])
    }

    /// GPT-2's printable spelling of `byte` (its bytes_to_unicode table).
    static func byteLevelSpelling(_ byte: UInt8) -> String {
        let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
        if printable { return String(Unicode.Scalar(byte)) }
        let shifted = (0..<Int(byte)).count { other in
            !((0x21...0x7E).contains(other) || (0xA1...0xAC).contains(other) || (0xAE...0xFF).contains(other))
        }
        return String(Unicode.Scalar(UInt32(256 + shifted)).map(Character.init) ?? " ")
    }
}
