// Strict decoding of `TransportConfiguration`: defaults for missing keys, an error for unknown ones.

import VRCore

extension TransportConfiguration {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case requestEndpoint, publishEndpoint, sendHighWaterMarkBytes, receiveHighWaterMarkBytes
        case requestMessageBytes, publishMessageBytes, maximumFrameBytes, lingerMilliseconds
        case sendTimeoutMilliseconds, heartbeatIntervalMilliseconds, heartbeatTimeoutMilliseconds
        case reconnectMinimumMilliseconds, reconnectMaximumMilliseconds
    }

    /// Decodes a configuration, taking defaults for missing keys and rejecting unknown ones.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for an unknown key or a value of the wrong type.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        let defaults = TransportConfiguration()
        self.init()
        requestEndpoint = try value(.requestEndpoint, defaults.requestEndpoint)
        publishEndpoint = try value(.publishEndpoint, defaults.publishEndpoint)
        sendHighWaterMarkBytes = try value(.sendHighWaterMarkBytes, defaults.sendHighWaterMarkBytes)
        receiveHighWaterMarkBytes = try value(.receiveHighWaterMarkBytes, defaults.receiveHighWaterMarkBytes)
        requestMessageBytes = try value(.requestMessageBytes, defaults.requestMessageBytes)
        publishMessageBytes = try value(.publishMessageBytes, defaults.publishMessageBytes)
        maximumFrameBytes = try value(.maximumFrameBytes, defaults.maximumFrameBytes)
        lingerMilliseconds = try value(.lingerMilliseconds, defaults.lingerMilliseconds)
        sendTimeoutMilliseconds = try value(.sendTimeoutMilliseconds, defaults.sendTimeoutMilliseconds)
        heartbeatIntervalMilliseconds = try value(
            .heartbeatIntervalMilliseconds, defaults.heartbeatIntervalMilliseconds)
        heartbeatTimeoutMilliseconds = try value(.heartbeatTimeoutMilliseconds, defaults.heartbeatTimeoutMilliseconds)
        reconnectMinimumMilliseconds = try value(.reconnectMinimumMilliseconds, defaults.reconnectMinimumMilliseconds)
        reconnectMaximumMilliseconds = try value(.reconnectMaximumMilliseconds, defaults.reconnectMaximumMilliseconds)
    }

    /// Encodes every value under its property name.
    /// - Parameter encoder: the encoder.
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requestEndpoint, forKey: .requestEndpoint)
        try container.encode(publishEndpoint, forKey: .publishEndpoint)
        try container.encode(sendHighWaterMarkBytes, forKey: .sendHighWaterMarkBytes)
        try container.encode(receiveHighWaterMarkBytes, forKey: .receiveHighWaterMarkBytes)
        try container.encode(requestMessageBytes, forKey: .requestMessageBytes)
        try container.encode(publishMessageBytes, forKey: .publishMessageBytes)
        try container.encode(maximumFrameBytes, forKey: .maximumFrameBytes)
        try container.encode(lingerMilliseconds, forKey: .lingerMilliseconds)
        try container.encode(sendTimeoutMilliseconds, forKey: .sendTimeoutMilliseconds)
        try container.encode(heartbeatIntervalMilliseconds, forKey: .heartbeatIntervalMilliseconds)
        try container.encode(heartbeatTimeoutMilliseconds, forKey: .heartbeatTimeoutMilliseconds)
        try container.encode(reconnectMinimumMilliseconds, forKey: .reconnectMinimumMilliseconds)
        try container.encode(reconnectMaximumMilliseconds, forKey: .reconnectMaximumMilliseconds)
    }

    /// Checks that a message can travel under this configuration: at least one frame, none too large.
    /// - Parameter message: the message about to be sent.
    /// - Throws: `TransportError` with code `.invalidMessage`.
    package func checkSendable(_ message: Multipart) throws(TransportError) {
        guard !message.isEmpty else {
            throw TransportError(.invalidMessage, hint: "a message needs at least one frame")
        }
        if let frame = message.first(where: { $0.count > maximumFrameBytes }) {
            throw TransportError(
                .invalidMessage,
                hint: "a frame of \(frame.count) bytes exceeds maximumFrameBytes (\(maximumFrameBytes)); split it into "
                    + "smaller frames or raise the limit on both ends")
        }
    }
}
