// `vr weights`: the method's weights, bound and ESS for questions given as JSON, to check the math from outside.

import ArgumentParser
import Foundation
import VRCore
import VRObjectives

/// Reads questions with their traces' log-probs and answer evidence; prints weights, bound and ESS as JSON.
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Compute multi-trace weights [E4]-[E6], the bound [E3] and the ESS for questions in a JSON file.",
        discussion: """
            The input holds {"estimator", "normalization", "questions": [{"id", "traces": [{"logPi": [..], \
            "logQ": [..], "correct": n, "total": n, "answerLogProbs": [..]}]}]}; log-probs may be "-inf". \
            See docs/math.md.
            """)

    @Option(help: "The JSON input file ('-' reads standard input).")
    var input: String

    @Option(help: "Override the estimator: accuracy, geometricMeanLikelihood or likelihood.")
    var estimator: String?

    @Option(help: "Override the trace normalisation: perToken or exact.")
    var normalization: String?

    func run() throws {
        let data: Data
        do {
            data =
                input == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: input))
        } catch {
            throw InputError(message: "cannot read \(input): \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw InputError(
                message: "\(input) is not valid JSON (\(syntaxProblem(error))); write non-finite log-probs as the "
                    + "strings \"-inf\", \"inf\" or \"nan\"")
        }
        var request: WeightsRequest
        do {
            request = try decoder.decode(WeightsRequest.self, from: data)
        } catch {
            throw InputError(message: "\(input) is not a weights request: \(DecodingFailure.message(for: error))")
        }
        if let estimator { request.estimator = estimator }
        if let normalization { request.normalization = normalization }
        let report: WeightsReport
        do {
            report = try weightsReport(for: request)
        } catch {
            throw InputError(message: "\(input): \(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Where a JSON syntax error is, as the parser says it.
    private func syntaxProblem(_ error: Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
    }
}

/// A bad input file: reported as "Error: <message>" with exit status 1, without the usage text.
private struct InputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
