// Tests for the safetensors reader and writer: exact bytes, round trips, Python interop, malformed input.

import Foundation
import Testing
import VRTensor

@testable import VRModel

@Suite("Safetensors")
struct SafetensorsTests {
    @Test("the writer emits the documented layout: length, space-padded JSON header, packed data")
    func exactBytes() {
        var writer = SafetensorsWriter(metadata: ["k": "v"])
        writer.append("a", shape: [1], floats: [1.0])
        let header = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"# + " "
        let expected = [80, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + [0x00, 0x00, 0x80, 0x3F]
        #expect(writer.encoded() == expected)
    }

    @Test("F32, I32 and I64 tensors and metadata round-trip through a file")
    func roundTrip() throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = SafetensorsWriter(metadata: ["step": "12", "quote\"key": "line\nbreak"])
        let buffer = FloatBuffer([9, 1.5, -2.25, .infinity, -0.0, 9])
        writer.append("w", shape: [2, 2], from: buffer, offset: 1)
        writer.append("ids", shape: [3], int32s: [1, -2, .max])
        writer.append("steps", shape: [], int64s: [.min])
        writer.append("empty", shape: [0, 4], floats: [])
        try writer.write(to: path)

        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["step": "12", "quote\"key": "line\nbreak"])
        #expect(file.tensors.map(\.name) == ["w", "ids", "steps", "empty"])
        #expect(
            file.tensor(named: "w")
                == Safetensors.TensorInfo(name: "w", dtype: .f32, shape: [2, 2], dataOffsets: 0..<16))
        #expect(file.tensor(named: "steps")?.dataOffsets == 28..<36)
        #expect(
            try file.floats(named: "w").map(\.bitPattern)
                == ([1.5, -2.25, .infinity, -0.0] as [Float]).map(\.bitPattern))
        #expect(try file.int32s(named: "ids") == [1, -2, .max])
        #expect(try file.int64s(named: "steps") == [.min])
        #expect(try file.floats(named: "empty") == [])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes) == writer.encoded())
        #expect(bytes.count == 8 + headerLength(of: Array(bytes)) + 36)
        #expect(headerLength(of: Array(bytes)) % 8 == 0)
    }

    @Test("a file written by Python's safetensors.numpy.save reads back with its values")
    func pythonFixture() throws {
        let file = try SafetensorsFile(contents: pythonFile, path: "python.safetensors")
        #expect(file.metadata == ["source": "python"])
        #expect(file.tensors.map(\.name) == ["step", "w", "ids"])
        #expect(file.tensor(named: "step")?.shape == [])
        #expect(file.tensor(named: "w")?.shape == [1, 3])
        #expect(try file.int64s(named: "step") == [7])
        #expect(try file.floats(named: "w") == [0.5, -2.0, 3.25])
        #expect(try file.int32s(named: "ids") == [1, -2, 70000])
    }

    @Test("every truncation of a valid file throws invalidCheckpoint and never crashes")
    func truncations() throws {
        var writer = SafetensorsWriter(metadata: ["k": "v"])
        writer.append("a", shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        writer.append("b", shape: [2], int64s: [7, 8])
        let bytes = writer.encoded()
        let dataStart = 8 + headerLength(of: bytes)
        for length in 0..<bytes.count {
            let reason = try #require(
                invalidReason { _ = try SafetensorsFile(contents: Data(bytes[..<length]), path: "t") })
            if length < 8 {
                #expect(reason == "file is \(length) bytes, shorter than the 8-byte header length")
            } else if length < dataStart {
                #expect(reason.contains("header length \(dataStart - 8) exceeds the \(length - 8) bytes"))
            } else if length == dataStart {
                #expect(reason.contains("truncated data section: tensor 'a' ends at byte 24"))
            } else {
                #expect(reason.contains("truncated data section"), "length \(length): \(reason)")
            }
        }
        #expect(try SafetensorsFile(contents: Data(bytes), path: "t").tensors.count == 2)
    }

    @Test(
        "bogus header lengths are rejected with the limit or the file size",
        arguments: [
            (UInt64.max, "exceeds the limit of 100000000 bytes"),
            (100_000_001, "exceeds the limit of 100000000 bytes"),
            (1 << 40, "exceeds the limit"),
            (17, "header length 17 exceeds the 16 bytes after the length field"),
        ] as [(UInt64, String)])
    func bogusHeaderLength(length: UInt64, expected: String) {
        let bytes =
            (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + Array(repeating: UInt8(32), count: 16)
        let reason = invalidReason { _ = try SafetensorsFile(contents: Data(bytes), path: "t") }
        #expect(reason?.contains(expected) == true, "\(reason ?? "no error")")
    }

    @Test(
        "malformed headers are rejected with a reason naming the field",
        arguments: [
            ("not json", 0, "header is not valid JSON"),
            ("[1, 2]", 0, "header is not a JSON object"),
            (#"{"__metadata__":{"k":1}}"#, 0, "__metadata__ must be an object of string values"),
            (#"{"a":3}"#, 0, "tensor 'a' is not a JSON object"),
            (#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, 4, "tensor 'a' has no dtype"),
            (#"{"a":{"dtype":"F32","data_offsets":[0,4]}}"#, 4, "tensor 'a' has no shape"),
            (#"{"a":{"dtype":"F32","shape":[1]}}"#, 4, "tensor 'a' has no data_offsets"),
            (#"{"a":{"dtype":5,"shape":[1],"data_offsets":[0,4]}}"#, 4, "tensor 'a': dtype is not a string"),
            (#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, 4, "shape is not an array of integers"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":"0"}}"#, 4, "data_offsets is not an array"),
            (#"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#, 8, "unsupported dtype 'F64'"),
            (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "negative dimension"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, 4, "must hold 2 integers"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, 4, "data_offsets [4, 0] are not a range"),
            (
                #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, 8,
                "needs 4 bytes but data_offsets [0, 8] span 8"
            ),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 8, "4 unused bytes at the end"),
            (#"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, 4, "tensor 'a' ends at byte 8"),
            (
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                12, "tensors 'a' and 'b' overlap"
            ),
            (
                #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                12, "4 unused bytes in the data section before tensor 'b'"
            ),
        ] as [(String, Int, String)])
    func malformedHeader(header: String, dataByteCount: Int, expected: String) {
        let bytes = safetensorsBytes(header: Array(header.utf8), dataByteCount: dataByteCount)
        let reason = invalidReason { _ = try SafetensorsFile(contents: Data(bytes), path: "t") }
        #expect(reason?.contains(expected) == true, "\(reason ?? "no error")")
    }

    @Test("a header that is not UTF-8 is rejected")
    func invalidUTF8Header() {
        let bytes = safetensorsBytes(header: [0x7B, 0xFF, 0x7D], dataByteCount: 0)
        #expect(
            invalidReason { _ = try SafetensorsFile(contents: Data(bytes), path: "t") } == "header is not valid UTF-8")
    }

    @Test("accessors reject an unknown name or a different dtype")
    func accessorErrors() throws {
        let file = try SafetensorsFile(contents: pythonFile, path: "python.safetensors")
        #expect(invalidReason { _ = try file.floats(named: "ids") } == "tensor 'ids' has dtype I32, expected F32")
        #expect(invalidReason { _ = try file.int64s(named: "w") } == "tensor 'w' has dtype F32, expected I64")
        #expect(invalidReason { _ = try file.int32s(named: "nope") } == "no tensor named 'nope'")
        #expect(file.tensor(named: "nope") == nil)
    }

    @Test("opening a file that does not exist names the path")
    func missingFile() {
        let path = temporaryFile()
        #expect(throws: ModelError.invalidCheckpoint(path: path, reason: "file does not exist")) {
            _ = try SafetensorsFile(path: path)
        }
    }
}

// MARK: - Helpers

/// Written by `safetensors.numpy.save` 0.8.0 (see the test for the arrays and metadata).
private let pythonFile = Data(
    base64Encoded: """
        0AAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJzb3VyY2UiOiJweXRob24ifSwic3RlcCI6eyJkdHlwZSI6Ikk2NCIsInNoYXBlIjpb\
        XSwiZGF0YV9vZmZzZXRzIjpbMCw4XX0sInciOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzEsM10sImRhdGFfb2Zmc2V0cyI6Wzgs\
        MjBdfSwiaWRzIjp7ImR0eXBlIjoiSTMyIiwic2hhcGUiOlszXSwiZGF0YV9vZmZzZXRzIjpbMjAsMzJdfX0gICAgBwAAAAAAAAAA\
        AAA/AAAAwAAAUEABAAAA/v///3ARAQA=
        """)!

/// A file with the given header bytes and a zero-filled data section.
private func safetensorsBytes(header: [UInt8], dataByteCount: Int) -> [UInt8] {
    let length = UInt64(header.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header
        + Array(repeating: 0, count: dataByteCount)
}

/// The header length field of a safetensors file.
private func headerLength(of bytes: [UInt8]) -> Int {
    bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
}

/// The reason of the `invalidCheckpoint` error `body` throws, or `nil` if it throws nothing or another error.
private func invalidReason(_ body: () throws -> Void) -> String? {
    do {
        try body()
    } catch ModelError.invalidCheckpoint(_, let reason) {
        return reason
    } catch {
        return nil
    }
    return nil
}

private func temporaryFile() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("vr-safetensors-\(UUID().uuidString)").path
}
