// swift-log's backend for the daemons: one line per record on standard output, as text or as a JSON object.

import Foundation
import Logging
import Synchronization

/// How log lines look.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `message key=value ...`, for people.
    case text
    /// One JSON object per line with `time`, `level`, `label`, `message` and the metadata, for machines.
    case json
}

/// Writes each log record as one line on standard output and flushes it, so that logs show up promptly through
/// pipes and in container logs.
public struct LineLogHandler: LogHandler {
    /// The records at this level and above are written.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every record of this logger.
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: LogFormat
    private let write: @Sendable (String) -> Void

    /// Creates a handler.
    /// - Parameters:
    ///   - label: the logger's label, written in JSON lines.
    ///   - format: text or JSON lines.
    ///   - write: where each line goes (default: standard output, flushed).
    public init(label: String, format: LogFormat, write: @escaping @Sendable (String) -> Void = LineLogHandler.print) {
        self.label = label
        self.format = format
        self.write = write
    }

    /// Prints a line on standard output and flushes it; lines from concurrent loggers never interleave.
    /// - Parameter line: the line, without its newline.
    public static func print(_ line: String) {
        output.withLock { _ in
            Swift.print(line)
            fflush(nil)
        }
    }

    /// One metadata value by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one record.
    /// - Parameter event: the record.
    public func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        let line: String
        switch format {
        case .text:
            let pairs = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            line = ([event.message.description] + pairs).joined(separator: " ")
        case .json:
            var object = fields.mapValues(\.json)
            object["time"] = .string(String(format: "%.6f", Date().timeIntervalSince1970))
            object["level"] = .string(event.level.rawValue)
            object["label"] = .string(label)
            object["message"] = .string(event.message.description)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            line = String(decoding: (try? encoder.encode(object)) ?? Data("{}".utf8), as: UTF8.self)
        }
        write(line)
    }

    /// Serializes writes from concurrent loggers, so lines never interleave.
    private static let output = Mutex(())
}

/// A metadata value as JSON: strings as strings, lists as arrays, dictionaries as objects.
private enum JSONMetadata: Encodable {
    case string(String)
    case array([JSONMetadata])
    case object([String: JSONMetadata])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .array(let values): try container.encode(values)
        case .object(let values): try container.encode(values)
        }
    }
}

extension Logger.MetadataValue {
    fileprivate var json: JSONMetadata {
        switch self {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(\.json))
        case .dictionary(let values): .object(values.mapValues(\.json))
        }
    }
}
