// The reasoning model pi and the posterior q as one unit: the parameters the learner publishes and workers load.

import Foundation
import VRTensor

/// pi and q together, as the learner publishes them: one flat buffer holding pi's parameters, then q's.
public final class ModelPair {
    /// The architectures of both models, as the JSON that travels with a parameter snapshot.
    public struct Configuration: Codable, Sendable, Equatable {
        /// pi's architecture.
        public var reasoning: TransformerConfiguration
        /// q's architecture.
        public var posterior: TransformerConfiguration

        /// Pairs two architectures.
        /// - Parameters:
        ///   - reasoning: pi's architecture.
        ///   - posterior: q's architecture.
        public init(reasoning: TransformerConfiguration, posterior: TransformerConfiguration) {
            self.reasoning = reasoning
            self.posterior = posterior
        }

        /// Parses and validates the JSON of a snapshot announcement.
        /// - Parameter json: `{"reasoning": {...}, "posterior": {...}}`.
        /// - Throws: `ModelError.invalidConfiguration` naming what is wrong.
        public init(json: String) throws(ModelError) {
            do {
                self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
            } catch {
                throw .invalidConfiguration("the model pair configuration does not parse: \(error)")
            }
            try reasoning.validate()
            try posterior.validate()
        }

        /// The JSON form, with sorted keys.
        public var json: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            // Encoding a struct of integers cannot fail.
            let data = (try? encoder.encode(self)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }

        /// The number of values in the combined buffer.
        public var parameterCount: Int {
            ParameterLayout(reasoning).parameterCount + ParameterLayout(posterior).parameterCount
        }
    }

    /// pi.
    public let reasoning: Transformer
    /// q.
    public let posterior: Transformer

    /// Pairs two models.
    /// - Parameters:
    ///   - reasoning: pi.
    ///   - posterior: q.
    public init(reasoning: Transformer, posterior: Transformer) {
        self.reasoning = reasoning
        self.posterior = posterior
    }

    /// Builds both models from a combined buffer.
    /// - Parameters:
    ///   - configuration: both architectures.
    ///   - parameters: pi's values, then q's.
    /// - Throws: `ModelError.invalidConfiguration` if the buffer does not fit the architectures.
    public convenience init(configuration: Configuration, parameters: [Float]) throws(ModelError) {
        try Self.checkCount(parameters.count, configuration)
        let split = ParameterLayout(configuration.reasoning).parameterCount
        try self.init(
            reasoning: Transformer(
                configuration: configuration.reasoning, parameters: FloatBuffer(Array(parameters[..<split]))),
            posterior: Transformer(
                configuration: configuration.posterior, parameters: FloatBuffer(Array(parameters[split...]))))
    }

    /// Both architectures.
    public var configuration: Configuration {
        Configuration(reasoning: reasoning.configuration, posterior: posterior.configuration)
    }

    /// Replaces both models' parameters in place.
    /// - Parameter parameters: pi's values, then q's.
    /// - Throws: `ModelError.invalidConfiguration` if the count does not fit; nothing changes then.
    public func load(_ parameters: [Float]) throws(ModelError) {
        try Self.checkCount(parameters.count, configuration)
        let split = reasoning.parameters.count
        parameters.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return }
            reasoning.parameters.pointer.update(from: base, count: split)
            posterior.parameters.pointer.update(from: base + split, count: posterior.parameters.count)
        }
    }

    private static func checkCount(_ count: Int, _ configuration: Configuration) throws(ModelError) {
        guard count == configuration.parameterCount else {
            throw .invalidConfiguration(
                "the parameter buffer has \(count) values; pi and q need \(configuration.parameterCount)")
        }
    }
}
