// Bounds-checked little-endian reads through a GGUF file's header.

/// A read position in a file's bytes; every read checks that the bytes exist.
struct GGUFCursor {
    /// The whole file.
    let bytes: UnsafeRawBufferPointer
    /// The file's path, for errors.
    let path: String
    /// The next byte to read.
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Reads a fixed-width integer or float.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else {
            throw .malformed(path: path, reason: "file ends at byte \(bytes.count) inside \(what())")
        }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    /// Reads a u64 length followed by that many bytes of UTF-8.
    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let length = try read(UInt64.self, "the length of \(what())")
        guard length <= UInt64(bytes.count - offset) else {
            throw .malformed(
                path: path, reason: "\(what()) claims \(length) bytes at offset \(offset), past the end of the file")
        }
        let start = offset
        offset += Int(length)
        guard let text = String(validating: bytes[start..<offset], as: UTF8.self) else {
            throw .malformed(path: path, reason: "\(what()) at offset \(start) is not valid UTF-8")
        }
        return text
    }

    /// Reads a count that sizes later reads of at least `minimumElementBytes` each, refusing counts the rest of
    /// the file cannot hold (so a corrupt count cannot ask for a huge allocation).
    mutating func readCount(_ what: @autoclosure () -> String, minimumElementBytes: Int) throws(GGUFError) -> Int {
        let count = try read(UInt64.self, what())
        let remaining = UInt64(bytes.count - offset)
        guard count <= remaining / UInt64(max(minimumElementBytes, 1)) else {
            throw .malformed(
                path: path, reason: "\(what()) is \(count), more than the file's \(remaining) remaining bytes hold")
        }
        return Int(count)
    }

    /// Moves to the next multiple of `alignment`.
    mutating func align(to alignment: Int) {
        offset = (offset + alignment - 1) / alignment * alignment
    }

    /// Reads one metadata value of type `type` (GGUF's `gguf_metadata_value_type`).
    mutating func readValue(
        type: UInt32, _ what: @autoclosure () -> String, depth: Int = 0
    ) throws(GGUFError)
        -> GGUFValue
    {
        switch type {
        case 0: return .unsigned(UInt64(try read(UInt8.self, what())))
        case 1: return .signed(Int64(try read(Int8.self, what())))
        case 2: return .unsigned(UInt64(try read(UInt16.self, what())))
        case 3: return .signed(Int64(try read(Int16.self, what())))
        case 4: return .unsigned(UInt64(try read(UInt32.self, what())))
        case 5: return .signed(Int64(try read(Int32.self, what())))
        case 6: return .float(Double(Float(bitPattern: try read(UInt32.self, what()))))
        case 7:
            let flag = try read(UInt8.self, what())
            guard flag <= 1 else { throw .malformed(path: path, reason: "\(what()) is a bool of value \(flag)") }
            return .bool(flag == 1)
        case 8: return .string(try readString(what()))
        case 9:
            guard depth == 0 else { throw .malformed(path: path, reason: "\(what()) nests arrays") }
            let elementType = try read(UInt32.self, "the element type of \(what())")
            let count = try readCount("the length of \(what())", minimumElementBytes: 1)
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                values.append(try readValue(type: elementType, "element \(index) of \(what())", depth: depth + 1))
            }
            return .array(values)
        case 10: return .unsigned(try read(UInt64.self, what()))
        case 11: return .signed(try read(Int64.self, what()))
        case 12: return .float(Double(bitPattern: try read(UInt64.self, what())))
        default: throw .malformed(path: path, reason: "\(what()) has unknown value type \(type)")
        }
    }
}
