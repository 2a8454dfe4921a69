// Trace pool files: one `PooledQuestion` per line, JSON, written atomically and checked when read.

import Foundation
import VRModel
import VRWorker

/// A pool file: one `PooledQuestion` per line, JSON.
public enum TracePool {
    /// Writes a pool atomically.
    /// - Parameters:
    ///   - questions: the pooled questions.
    ///   - path: the file.
    /// - Throws: encoding and I/O errors.
    public static func write(_ questions: [PooledQuestion], to path: String) throws {
        try AtomicFile.writeJSONLines(questions, to: path)
    }

    /// Reads a pool and checks it against the questions it must cover.
    /// - Parameters:
    ///   - path: the file.
    ///   - questionIDs: the ids of the task file's questions, in order.
    ///   - traceCount: the traces every question must have.
    /// - Returns: the pooled questions, in the task file's order.
    /// - Throws: `WorkerError.invalidConfiguration` naming the line and the field for anything malformed.
    public static func read(from path: String, questionIDs: [String], traceCount: Int) throws -> [PooledQuestion] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkerError.invalidConfiguration("cannot read the trace pool \(path)")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard lines.count == questionIDs.count else {
            throw WorkerError.invalidConfiguration(
                "trace pool \(path) has \(lines.count) questions; the task file has \(questionIDs.count)")
        }
        return try zip(lines, questionIDs).enumerated().map { index, pair in
            let (line, questionID) = pair
            let question: PooledQuestion
            do {
                question = try JSONDecoder().decode(PooledQuestion.self, from: Data(line))
            } catch {
                throw WorkerError.invalidConfiguration("trace pool \(path) line \(index + 1): \(error)")
            }
            if let problem = question.problem(questionID: questionID, traceCount: traceCount) {
                throw WorkerError.invalidConfiguration("trace pool \(path) line \(index + 1): \(problem)")
            }
            return question
        }
    }
}
