// Parsing and validating a safetensors header: JSON structure, element types, shapes and offsets.

import Foundation

extension Safetensors {
    /// The metadata and tensors of a header, checked against each other and the data section size.
    struct Header {
        /// The `__metadata__` object, or empty.
        var metadata: [String: String]
        /// Every tensor, sorted by data offset.
        var tensors: [TensorInfo]

        /// Parses `json` and validates it against a data section of `dataByteCount` bytes.
        /// - Throws: `HeaderProblem` with the reason the header is invalid.
        init(json: Data, dataByteCount: Int) throws(HeaderProblem) {
            guard String(validating: json, as: UTF8.self) != nil else {
                throw HeaderProblem("header is not valid UTF-8")
            }
            let raw: RawHeader
            do {
                raw = try JSONDecoder().decode(RawHeader.self, from: json)
            } catch let problem as HeaderProblem {
                throw problem
            } catch {
                throw HeaderProblem("header is not valid JSON")
            }
            metadata = raw.metadata
            tensors = try raw.entries.map { entry throws(HeaderProblem) in try Self.validate(entry) }
                .sorted(by: Self.isInDataOrder)
            try Self.checkPacking(tensors, dataByteCount: dataByteCount)
        }

        /// Checks one entry's element type, shape and offsets.
        private static func validate(_ entry: RawEntry) throws(HeaderProblem) -> TensorInfo {
            let name = entry.name
            guard let dtype = DType(rawValue: entry.dtype) else {
                let supported = DType.allCases.map(\.rawValue).joined(separator: ", ")
                throw HeaderProblem("tensor '\(name)' has unsupported dtype '\(entry.dtype)' (supported: \(supported))")
            }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw HeaderProblem("tensor '\(name)' has a negative dimension in shape \(entry.shape)")
            }
            guard entry.offsets.count == 2 else {
                throw HeaderProblem(
                    "tensor '\(name)': data_offsets must hold 2 integers [begin, end], got \(entry.offsets)")
            }
            let begin = entry.offsets[0]
            let end = entry.offsets[1]
            guard begin >= 0, begin <= end else {
                throw HeaderProblem("tensor '\(name)': data_offsets \(entry.offsets) are not a range")
            }
            var byteCount = dtype.byteCount
            for dimension in entry.shape {
                let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw HeaderProblem("tensor '\(name)': shape \(entry.shape) is too large") }
                byteCount = product
            }
            guard end - begin == byteCount else {
                throw HeaderProblem(
                    "tensor '\(name)': shape \(entry.shape) of \(dtype.rawValue) needs \(byteCount) bytes "
                        + "but data_offsets \(entry.offsets) span \(end - begin)")
            }
            return TensorInfo(name: name, dtype: dtype, shape: entry.shape, dataOffsets: begin..<end)
        }

        /// Orders tensors by where their data starts, then ends (zero-size tensors first), then name.
        private static func isInDataOrder(_ first: TensorInfo, _ second: TensorInfo) -> Bool {
            (first.dataOffsets.lowerBound, first.dataOffsets.upperBound, first.name)
                < (second.dataOffsets.lowerBound, second.dataOffsets.upperBound, second.name)
        }

        /// Checks that `tensors` (sorted by offset) tile the data section exactly, as the format requires.
        private static func checkPacking(_ tensors: [TensorInfo], dataByteCount: Int) throws(HeaderProblem) {
            var cursor = 0
            var previous: TensorInfo?
            for tensor in tensors {
                let range = tensor.dataOffsets
                guard range.upperBound <= dataByteCount else {
                    throw HeaderProblem(
                        "truncated data section: tensor '\(tensor.name)' ends at byte \(range.upperBound) "
                            + "but the data section holds \(dataByteCount) bytes")
                }
                if let previous, range.lowerBound < cursor {
                    throw HeaderProblem(
                        "tensors '\(previous.name)' and '\(tensor.name)' overlap: data_offsets "
                            + "[\(previous.dataOffsets.lowerBound), \(cursor)] and "
                            + "[\(range.lowerBound), \(range.upperBound)]")
                }
                guard range.lowerBound == cursor else {
                    throw HeaderProblem(
                        "\(range.lowerBound - cursor) unused bytes in the data section before tensor '\(tensor.name)'")
                }
                cursor = range.upperBound
                previous = tensor
            }
            guard cursor == dataByteCount else {
                throw HeaderProblem("\(dataByteCount - cursor) unused bytes at the end of the data section")
            }
        }
    }

    /// Why a header is invalid.
    struct HeaderProblem: Error {
        /// A sentence naming the field at fault.
        let reason: String

        init(_ reason: String) {
            self.reason = reason
        }
    }
}

// MARK: - JSON decoding

/// One tensor entry as written, before its values are checked.
private struct RawEntry {
    var name: String
    var dtype: String
    var shape: [Int]
    var offsets: [Int]
}

/// The header object as written: metadata plus tensor entries with the right JSON types.
private struct RawHeader: Decodable {
    var metadata: [String: String] = [:]
    var entries: [RawEntry] = []

    /// Any key of the header object.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The keys of a tensor entry.
    enum EntryKey: String, CodingKey {
        case dtype
        case shape
        case offsets = "data_offsets"
    }

    init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<AnyKey>
        do {
            container = try decoder.container(keyedBy: AnyKey.self)
        } catch {
            throw Safetensors.HeaderProblem("header is not a JSON object")
        }
        for key in container.allKeys {
            if key.stringValue == Safetensors.metadataKey {
                guard let metadata = try? container.decode([String: String].self, forKey: key) else {
                    throw Safetensors.HeaderProblem("\(Safetensors.metadataKey) must be an object of string values")
                }
                self.metadata = metadata
            } else {
                entries.append(try Self.entry(named: key.stringValue, in: container, at: key))
            }
        }
    }

    private static func entry(
        named name: String, in container: KeyedDecodingContainer<AnyKey>, at key: AnyKey
    )
        throws(Safetensors.HeaderProblem) -> RawEntry
    {
        guard let fields = try? container.nestedContainer(keyedBy: EntryKey.self, forKey: key) else {
            throw Safetensors.HeaderProblem("tensor '\(name)' is not a JSON object")
        }
        func field<T: Decodable>(_ fieldKey: EntryKey, _ expected: String) throws(Safetensors.HeaderProblem) -> T {
            guard fields.contains(fieldKey) else {
                throw Safetensors.HeaderProblem("tensor '\(name)' has no \(fieldKey.stringValue)")
            }
            guard let value = try? fields.decode(T.self, forKey: fieldKey) else {
                throw Safetensors.HeaderProblem("tensor '\(name)': \(fieldKey.stringValue) is not \(expected)")
            }
            return value
        }
        return RawEntry(
            name: name, dtype: try field(.dtype, "a string"), shape: try field(.shape, "an array of integers"),
            offsets: try field(.offsets, "an array of integers"))
    }
}
