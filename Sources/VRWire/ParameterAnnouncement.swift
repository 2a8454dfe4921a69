// L -> W: a parameter version exists and its chunks follow (parameters.proto `ParameterAnnouncement`).

/// The header of a parameter snapshot: its version, size, chunking, checksum and model configuration.
///
/// The parameter bytes are the model's flat buffer in little-endian order, in float32 or bfloat16 (``encoding``);
/// they follow as ``SnapshotChunk`` messages, each with a raw frame of at most 16 MiB.
public struct ParameterAnnouncement: Sendable, Equatable {
    /// The announced version, at least 1.
    public var parameterVersion: UInt64
    /// Size of the whole parameter buffer in bytes; a multiple of the encoding's bytes per parameter.
    public var byteCount: UInt64
    /// Number of chunks that follow: `ceil(byteCount / chunkByteCount)`.
    public var chunkCount: Int
    /// Size of every chunk but the last, in bytes; a multiple of 4, at most ``WireLimits/frameBytesCap``.
    public var chunkByteCount: Int
    /// CRC-32 of the whole parameter buffer.
    public var crc32: UInt32
    /// The model configuration as JSON, which fixes the named views into the buffer.
    public var modelConfigurationJSON: String
    /// How the bytes hold the values.
    public var encoding: ParameterEncoding

    /// Creates an announcement.
    /// - Parameters:
    ///   - parameterVersion: the announced version, at least 1.
    ///   - byteCount: size of the whole buffer in bytes.
    ///   - chunkCount: number of chunks that follow.
    ///   - chunkByteCount: size of every chunk but the last.
    ///   - crc32: CRC-32 of the whole buffer.
    ///   - modelConfigurationJSON: the model configuration as JSON.
    ///   - encoding: how the bytes hold the values.
    public init(
        parameterVersion: UInt64, byteCount: UInt64, chunkCount: Int, chunkByteCount: Int, crc32: UInt32,
        modelConfigurationJSON: String, encoding: ParameterEncoding = .float32
    ) {
        self.parameterVersion = parameterVersion
        self.byteCount = byteCount
        self.chunkCount = chunkCount
        self.chunkByteCount = chunkByteCount
        self.crc32 = crc32
        self.modelConfigurationJSON = modelConfigurationJSON
        self.encoding = encoding
    }

    /// Number of parameters in the buffer.
    public var parameterCount: Int { Int(byteCount / UInt64(encoding.bytesPerParameter)) }

    /// Size in bytes of chunk `index`: ``chunkByteCount`` for all but the last chunk.
    /// - Precondition: `0 <= index < chunkCount`.
    /// - Parameter index: the chunk's position.
    /// - Returns: the number of bytes chunk `index` carries.
    public func byteCount(ofChunk index: Int) -> Int {
        precondition(index >= 0 && index < chunkCount, "chunk \(index) of \(chunkCount)")
        let offset = UInt64(index) * UInt64(chunkByteCount)
        return Int(min(UInt64(chunkByteCount), byteCount - offset))
    }
}

// MARK: - Validation and wire conversion

extension ParameterAnnouncement {
    init(wire: Vr_V1_ParameterAnnouncement, validator: WireValidator) throws(WireError) {
        let encoding: ParameterEncoding
        switch wire.encoding {
        case .float32Le: encoding = .float32
        case .bfloat16Le: encoding = .bfloat16
        case .unspecified: throw WireError(.missingField, "ParameterAnnouncement.encoding is unspecified")
        case .UNRECOGNIZED(let raw):
            throw WireError(
                .invalidValue,
                "ParameterAnnouncement.encoding \(raw) is unknown; this peer reads FLOAT32_LE and BFLOAT16_LE")
        }
        self.init(
            parameterVersion: wire.parameterVersion, byteCount: wire.byteCount, chunkCount: Int(wire.chunkCount),
            chunkByteCount: Int(wire.chunkByteCount), crc32: wire.crc32,
            modelConfigurationJSON: wire.modelConfigurationJson, encoding: encoding)
        try validate(validator)
    }

    /// Checks the version, the sizes against the limits, and that the chunk count matches the sizes.
    func validate(_ validator: WireValidator) throws(WireError) {
        let limits = validator.limits
        _ = try validator.nonZero(parameterVersion, "ParameterAnnouncement.parameter_version")
        _ = try validator.text(
            modelConfigurationJSON, "ParameterAnnouncement.model_configuration_json",
            maxBytes: limits.maxConfigurationBytes)
        guard byteCount <= limits.maxParameterBytes else {
            throw WireError(
                .tooLarge, "ParameterAnnouncement.byte_count \(byteCount) exceeds \(limits.maxParameterBytes)")
        }
        let width = encoding.bytesPerParameter
        guard byteCount % UInt64(width) == 0, chunkByteCount % 4 == 0 else {
            throw WireError(
                .invalidValue,
                "ParameterAnnouncement byte_count \(byteCount) must be a multiple of \(width) (\(encoding.rawValue)) "
                    + "and chunk_byte_count \(chunkByteCount) a multiple of 4")
        }
        _ = try validator.count(chunkByteCount, "ParameterAnnouncement.chunk_byte_count", in: 4...limits.maxFrameBytes)
        let (wholeChunks, rest) = byteCount.quotientAndRemainder(dividingBy: UInt64(chunkByteCount))
        let expectedChunkCount = wholeChunks + (rest == 0 ? 0 : 1)
        guard chunkCount >= 0, UInt64(chunkCount) == expectedChunkCount else {
            throw WireError(
                .invalidValue,
                "ParameterAnnouncement.chunk_count \(chunkCount) does not match byte_count \(byteCount) "
                    + "in chunks of \(chunkByteCount) bytes (\(expectedChunkCount) chunks)")
        }
    }

    var wire: Vr_V1_ParameterAnnouncement {
        var wire = Vr_V1_ParameterAnnouncement()
        wire.parameterVersion = parameterVersion
        wire.byteCount = byteCount
        wire.chunkCount = UInt32(clamping: chunkCount)
        wire.chunkByteCount = UInt32(clamping: chunkByteCount)
        wire.crc32 = crc32
        wire.encoding =
            switch encoding {
            case .float32: .float32Le
            case .bfloat16: .bfloat16Le
            }
        wire.modelConfigurationJson = modelConfigurationJSON
        return wire
    }
}
