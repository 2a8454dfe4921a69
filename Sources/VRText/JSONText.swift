// Writing JSON that is byte for byte the same each time: objects keep the key order they are given, a container of
// at most eight scalars goes on one line, any other one element per line, indented by two spaces.

/// A JSON value to write, whose objects keep their members in the order given.
indirect enum JSONText: Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    /// A number written exactly as given, for integers beyond `Int` such as transformers' `int(1e30)`.
    case number(String)
    case string(String)
    case array([JSONText])
    case object([(key: String, value: JSONText)])

    /// An object with `members` in ascending key order.
    static func sortedObject(_ members: [String: JSONText]) -> JSONText {
        .object(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
    }

    /// The value as UTF-8 JSON text, ending with a newline.
    func utf8() -> [UInt8] {
        var output: [UInt8] = []
        write(to: &output, indent: 0)
        output.append(UInt8(ascii: "\n"))
        return output
    }

    /// Whether the value is neither an array nor an object.
    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(to output: inout [UInt8], indent: Int) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .number(let digits): output.append(contentsOf: digits.utf8)
        case .string(let text): Self.write(text, to: &output)
        case .array(let elements):
            Self.writeContainer("[", "]", elements, to: &output, indent: indent) { index, output in
                elements[index].write(to: &output, indent: indent + 2)
            }
        case .object(let members):
            Self.writeContainer("{", "}", members.map(\.value), to: &output, indent: indent) { index, output in
                Self.write(members[index].key, to: &output)
                output.append(contentsOf: ": ".utf8)
                members[index].value.write(to: &output, indent: indent + 2)
            }
        }
    }
}

extension JSONText {
    /// Writes the container of `values` between `open` and `close`, inline when they are at most eight scalars, else
    /// one a line; `element` writes the element at an index.
    private static func writeContainer(
        _ open: Character, _ close: Character, _ values: [JSONText], to output: inout [UInt8], indent: Int,
        element: (Int, inout [UInt8]) -> Void
    ) {
        output.append(contentsOf: String(open).utf8)
        let isInline = values.count <= 8 && values.allSatisfy(\.isScalar)
        for index in values.indices {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if isInline {
                if index > 0 { output.append(UInt8(ascii: " ")) }
            } else {
                output.append(UInt8(ascii: "\n"))
                output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
            }
            element(index, &output)
        }
        if !isInline {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
        }
        output.append(contentsOf: String(close).utf8)
    }

    /// Writes `text` as a JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    private static func write(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): output.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
