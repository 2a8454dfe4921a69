import Foundation
import Testing
import VRGGUF

@Suite("GGUF files")
struct GGUFFileTests {
    /// The fixture written by scripts/fixtures/make_gguf_fixtures.py with the `gguf` package.
    static let fixturePath =
        Bundle.module.path(forResource: "quant-types", ofType: "gguf", inDirectory: "Fixtures") ?? ""

    /// Every tensor of the fixture dequantized by `gguf.quants.dequantize`, float32, in file order.
    static func expectedValues() throws -> [Float] {
        let path = try #require(
            Bundle.module.path(forResource: "quant-types.expected", ofType: "f32", inDirectory: "Fixtures"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { bytes in
            (0..<data.count / 4).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
            }
        }
    }

    @Test("every supported tensor type dequantizes to exactly the floats of the gguf package")
    func dequantizesLikeReference() throws {
        let file = try GGUFFile(path: Self.fixturePath)
        let expected = try Self.expectedValues()
        #expect(Set(file.tensors.compactMap(\.type)) == Set(GGMLType.allCases))
        var offset = 0
        for tensor in file.tensors {
            #expect(tensor.shape == [3, 512], "\(tensor.name)")
            let values = try file.floats(named: tensor.name)
            let reference = expected[offset..<offset + values.count]
            let mismatches = zip(values, reference).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(
                mismatches == 0, "\(tensor.name) (\(tensor.typeName)): \(mismatches) of \(values.count) values differ")
            offset += values.count
        }
        #expect(offset == expected.count)
    }

    @Test("metadata of every value type reads back as written")
    func readsMetadata() throws {
        let metadata = try GGUFFile(path: Self.fixturePath).metadata
        #expect(metadata["general.architecture"] == .string("llama"))
        #expect(metadata["test.u32"] == .unsigned(4_000_000_000))
        #expect(metadata["test.i32"] == .signed(-7))
        #expect(metadata["test.f32"] == .float(0.25))
        #expect(metadata["test.f64"] == .float(-1.5e300))
        #expect(metadata["test.bool"] == .bool(true))
        #expect(metadata["test.string"] == .string("naïve café 数学 🙂"))
        #expect(
            metadata["test.strings"] == .array([.string("<|im_start|>"), .string("Ġthe"), .string(""), .string("\n")]))
        #expect(metadata["test.i32s"]?.array?.compactMap(\.int) == [1, -2, 3])
    }

    @Test("a truncated file is refused with a message naming the file, at every length tried")
    func refusesTruncatedFiles() throws {
        let contents = try Data(contentsOf: URL(fileURLWithPath: Self.fixturePath))
        // The last tensor's data ends before the file's final padding: cutting there still leaves a whole file.
        let last = try #require(try GGUFFile(contents: contents, path: "whole.gguf").tensors.last)
        let dataEnd = last.fileOffset + (last.byteCount ?? 0)
        #expect(try GGUFFile(contents: contents.prefix(dataEnd), path: "whole.gguf").tensors.count == 11)
        for length in [0, 3, 8, 20, 100, 700, contents.count / 2, dataEnd - 1] {
            #expect {
                try GGUFFile(contents: contents.prefix(length), path: "cut.gguf")
            } throws: { error in
                guard case .malformed(let path, _) = error as? GGUFError else { return false }
                return path == "cut.gguf"
            }
        }
    }

    @Test("a foreign file, an unknown version and a missing file are refused")
    func refusesForeignFiles() throws {
        var contents = try Data(contentsOf: URL(fileURLWithPath: Self.fixturePath))
        #expect(throws: GGUFError.malformed(path: "x", reason: "it does not start with \"GGUF\"")) {
            try GGUFFile(contents: Data("PK\u{3}\u{4}not a model at all".utf8), path: "x")
        }
        contents[4] = 9
        #expect(throws: GGUFError.malformed(path: "x", reason: "version 9 is not supported (2 and 3 are)")) {
            try GGUFFile(contents: contents, path: "x")
        }
        #expect(throws: GGUFError.io(path: "/nonexistent/model.gguf", reason: "file does not exist")) {
            try GGUFFile(path: "/nonexistent/model.gguf")
        }
    }

    @Test("a tensor of an unsupported type opens but is refused when read, naming the tensor and its type")
    func refusesUnsupportedTypes() throws {
        var contents = try Data(contentsOf: URL(fileURLWithPath: Self.fixturePath))
        // The tensor info of tensor.q8_0: name, dimension count 2, two dimensions, then the type (8).
        let name = Data("tensor.q8_0".utf8)
        let nameRange = try #require(contents.range(of: name))
        let typeOffset = nameRange.upperBound + 4 + 2 * 8
        #expect(contents[typeOffset] == 8)
        contents[typeOffset] = 10  // Q2_K
        let file = try GGUFFile(contents: contents, path: "x.gguf")
        #expect(throws: GGUFError.unsupportedType(path: "x.gguf", tensor: "tensor.q8_0", type: "Q2_K")) {
            try file.floats(named: "tensor.q8_0")
        }
        #expect(throws: GGUFError.missingTensor(path: "x.gguf", name: "tensor.q9")) {
            try file.floats(named: "tensor.q9")
        }
        #expect(try file.floats(named: "tensor.f32").count == 3 * 512)
    }
}
