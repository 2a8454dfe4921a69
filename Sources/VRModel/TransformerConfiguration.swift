// The shape of a decoder-only transformer: layers, width, heads, context length, vocabulary.

/// The hyperparameters that fix a transformer's architecture and parameter layout.
///
/// The architecture is GPT-2's: learned token and position embeddings, pre-LayerNorm blocks of causal
/// multi-head attention and a GELU (tanh approximation) MLP of width `4 * width`, a final LayerNorm and
/// an output projection tied to the token embedding.
public struct TransformerConfiguration: Codable, Sendable, Equatable {
    /// Number of transformer blocks (L).
    public var layerCount: Int
    /// Width of the residual stream (C).
    public var width: Int
    /// Number of attention heads (H); `width` must be a multiple of it.
    public var headCount: Int
    /// Longest sequence the model reads, in tokens (T).
    public var contextLength: Int
    /// Number of token ids (V).
    public var vocabularySize: Int

    /// Creates a configuration; call `validate()` before building a model from untrusted values.
    /// - Parameters:
    ///   - layerCount: number of transformer blocks.
    ///   - width: width of the residual stream.
    ///   - headCount: number of attention heads.
    ///   - contextLength: longest sequence in tokens.
    ///   - vocabularySize: number of token ids.
    public init(layerCount: Int, width: Int, headCount: Int, contextLength: Int, vocabularySize: Int) {
        self.layerCount = layerCount
        self.width = width
        self.headCount = headCount
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
    }

    /// Width of one attention head (C / H).
    public var headWidth: Int { width / headCount }

    /// Width of the MLP's hidden layer (4C).
    public var hiddenWidth: Int { 4 * width }

    /// Checks that the values describe a buildable model.
    /// - Throws: `ModelError.invalidConfiguration` naming the first field at fault.
    public func validate() throws(ModelError) {
        func require(_ condition: Bool, _ message: String) throws(ModelError) {
            if !condition { throw .invalidConfiguration(message) }
        }
        try require(layerCount >= 1 && layerCount <= 256, "layerCount must be in 1...256, got \(layerCount)")
        try require(width >= 1 && width <= 16_384, "width must be in 1...16384, got \(width)")
        try require(headCount >= 1, "headCount must be at least 1, got \(headCount)")
        try require(width % headCount == 0, "width \(width) is not a multiple of headCount \(headCount)")
        try require(
            contextLength >= 1 && contextLength <= 65_536, "contextLength must be in 1...65536, got \(contextLength)")
        try require(
            vocabularySize >= 2 && vocabularySize <= 1 << 20,
            "vocabularySize must be in 2...1048576, got \(vocabularySize)")
        let parameterCount = ParameterLayout(self).parameterCount
        try require(parameterCount <= 1 << 31, "the model would have \(parameterCount) parameters, more than 2^31")
    }
}
