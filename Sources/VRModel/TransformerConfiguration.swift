// The shape of a decoder-only transformer: family, layers, widths, heads, context length, vocabulary.

/// The hyperparameters that fix a transformer's architecture and parameter layout.
///
/// For the built-in `.gpt` family: learned token and position embeddings, pre-LayerNorm blocks of causal
/// multi-head attention and a GELU (tanh approximation) MLP of width `4 * width`, a final LayerNorm and an output
/// projection tied to the token embedding. For the Llama family (`.llama`, `.qwen2`, `.qwen3`): RMSNorm, rotary
/// position embeddings with base `ropeTheta`, grouped-query attention of `headCount` query heads over
/// `keyValueHeadCount` key/value heads of width `headWidth`, a SwiGLU MLP of width `hiddenWidth`, and an output
/// projection tied to the token embedding or not (`tiedEmbeddings`).
public struct TransformerConfiguration: Codable, Sendable, Equatable {
    /// Configurations are equal when they describe the same model: the fields the GPT family derives are compared
    /// as derived.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.family == rhs.family && lhs.layerCount == rhs.layerCount && lhs.width == rhs.width
            && lhs.headCount == rhs.headCount && lhs.keyValueHeadCount == rhs.keyValueHeadCount
            && lhs.headWidth == rhs.headWidth && lhs.hiddenWidth == rhs.hiddenWidth
            && lhs.contextLength == rhs.contextLength && lhs.vocabularySize == rhs.vocabularySize
            && (lhs.family == .gpt
                || (lhs.ropeTheta == rhs.ropeTheta && lhs.normEpsilon == rhs.normEpsilon
                    && lhs.tiedEmbeddings == rhs.tiedEmbeddings))
    }

    /// The architecture.
    public var family: ModelFamily
    /// Number of transformer blocks (L).
    public var layerCount: Int
    /// Width of the residual stream (C).
    public var width: Int
    /// Number of query heads (H).
    public var headCount: Int
    /// Number of key/value heads (G), of which `headCount` is a multiple; the KV cache holds only these.
    ///
    /// Always `headCount` for the GPT family.
    public var keyValueHeadCount: Int {
        get { family == .gpt ? headCount : storedKeyValueHeadCount }
        set { storedKeyValueHeadCount = newValue }
    }
    /// Width of one attention head (D); always `width / headCount` for the GPT family.
    public var headWidth: Int {
        get { family == .gpt ? width / max(headCount, 1) : storedHeadWidth }
        set { storedHeadWidth = newValue }
    }
    /// Width of the MLP's hidden layer (F); always `4 * width` for the GPT family.
    public var hiddenWidth: Int {
        get { family == .gpt ? 4 * width : storedHiddenWidth }
        set { storedHiddenWidth = newValue }
    }
    private var storedKeyValueHeadCount: Int
    private var storedHeadWidth: Int
    private var storedHiddenWidth: Int
    /// Longest sequence the model reads, in tokens (T).
    public var contextLength: Int
    /// Number of token ids (V).
    public var vocabularySize: Int
    /// The base of the rotary embedding's frequencies (`rope_theta`); unused by the GPT family.
    public var ropeTheta: Double
    /// The epsilon of every RMSNorm (`rms_norm_eps`); unused by the GPT family, whose LayerNorms use 1e-5.
    public var normEpsilon: Float
    /// Whether the output projection is the token embedding (always for the GPT family).
    public var tiedEmbeddings: Bool

    /// Creates a configuration of the built-in GPT family; call `validate()` before building a model from
    /// untrusted values.
    /// - Parameters:
    ///   - layerCount: number of transformer blocks.
    ///   - width: width of the residual stream.
    ///   - headCount: number of attention heads.
    ///   - contextLength: longest sequence in tokens.
    ///   - vocabularySize: number of token ids.
    public init(layerCount: Int, width: Int, headCount: Int, contextLength: Int, vocabularySize: Int) {
        self.init(
            family: .gpt, layerCount: layerCount, width: width, headCount: headCount, keyValueHeadCount: headCount,
            headWidth: width / max(headCount, 1), hiddenWidth: 4 * width, contextLength: contextLength,
            vocabularySize: vocabularySize, ropeTheta: 10_000, normEpsilon: 1e-5, tiedEmbeddings: true)
    }

    /// Creates a configuration of any family; call `validate()` before building a model from untrusted values.
    /// - Parameters:
    ///   - family: the architecture.
    ///   - layerCount: L.
    ///   - width: C.
    ///   - headCount: H.
    ///   - keyValueHeadCount: G.
    ///   - headWidth: D.
    ///   - hiddenWidth: F.
    ///   - contextLength: T.
    ///   - vocabularySize: V.
    ///   - ropeTheta: the rotary base.
    ///   - normEpsilon: the RMSNorm epsilon.
    ///   - tiedEmbeddings: whether the output projection is the token embedding.
    public init(
        family: ModelFamily, layerCount: Int, width: Int, headCount: Int, keyValueHeadCount: Int, headWidth: Int,
        hiddenWidth: Int, contextLength: Int, vocabularySize: Int, ropeTheta: Double, normEpsilon: Float,
        tiedEmbeddings: Bool
    ) {
        self.family = family
        self.layerCount = layerCount
        self.width = width
        self.headCount = headCount
        storedKeyValueHeadCount = keyValueHeadCount
        storedHeadWidth = headWidth
        storedHiddenWidth = hiddenWidth
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.ropeTheta = ropeTheta
        self.normEpsilon = normEpsilon
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// Width of the attention's query rows and output (H * D).
    public var attentionWidth: Int { headCount * headWidth }

    /// Width of the packed query, key and value rows ((H + 2G) * D).
    public var queryKeyValueWidth: Int { (headCount + 2 * keyValueHeadCount) * headWidth }

    /// Checks that the values describe a buildable model.
    /// - Throws: `ModelError.invalidConfiguration` naming the first field at fault.
    public func validate() throws(ModelError) {
        func require(_ condition: Bool, _ message: String) throws(ModelError) {
            if !condition { throw .invalidConfiguration(message) }
        }
        try require(layerCount >= 1 && layerCount <= 256, "layerCount must be in 1...256, got \(layerCount)")
        try require(width >= 1 && width <= 16_384, "width must be in 1...16384, got \(width)")
        try require(headCount >= 1 && headCount <= 1024, "headCount must be in 1...1024, got \(headCount)")
        try require(
            keyValueHeadCount >= 1 && headCount % keyValueHeadCount == 0,
            "headCount \(headCount) must be a positive multiple of keyValueHeadCount \(keyValueHeadCount)")
        try require(headWidth >= 1 && headWidth <= 1024, "headWidth must be in 1...1024, got \(headWidth)")
        try require(
            hiddenWidth >= 1 && hiddenWidth <= 131_072, "hiddenWidth must be in 1...131072, got \(hiddenWidth)")
        try require(
            contextLength >= 1 && contextLength <= 65_536, "contextLength must be in 1...65536, got \(contextLength)")
        try require(
            vocabularySize >= 2 && vocabularySize <= 1 << 20,
            "vocabularySize must be in 2...1048576, got \(vocabularySize)")
        if family == .gpt {
            try require(width % headCount == 0, "width \(width) is not a multiple of headCount \(headCount)")
            try require(tiedEmbeddings, "a gpt model's output is tied to its token embedding")
        } else {
            try require(headWidth % 2 == 0, "headWidth must be even for rotary embeddings, got \(headWidth)")
            try require(ropeTheta > 0 && ropeTheta.isFinite, "ropeTheta must be positive and finite, got \(ropeTheta)")
            try require(
                normEpsilon > 0 && normEpsilon.isFinite, "normEpsilon must be positive and finite, got \(normEpsilon)")
        }
        let parameterCount = ParameterLayout(self).parameterCount
        try require(parameterCount <= 1 << 31, "the model would have \(parameterCount) parameters, more than 2^31")
    }
}

extension TransformerConfiguration {
    private enum CodingKeys: String, CodingKey {
        case family, layerCount, width, headCount, keyValueHeadCount, headWidth, hiddenWidth, contextLength
        case vocabularySize, ropeTheta, normEpsilon, tiedEmbeddings
    }

    /// Encodes the configuration: the five fields of its shape for the GPT family, as before the Llama family
    /// existed, and every field for the others.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(layerCount, forKey: .layerCount)
        try container.encode(width, forKey: .width)
        try container.encode(headCount, forKey: .headCount)
        try container.encode(contextLength, forKey: .contextLength)
        try container.encode(vocabularySize, forKey: .vocabularySize)
        guard family != .gpt else { return }
        try container.encode(family, forKey: .family)
        try container.encode(keyValueHeadCount, forKey: .keyValueHeadCount)
        try container.encode(headWidth, forKey: .headWidth)
        try container.encode(hiddenWidth, forKey: .hiddenWidth)
        try container.encode(ropeTheta, forKey: .ropeTheta)
        try container.encode(normEpsilon, forKey: .normEpsilon)
        try container.encode(tiedEmbeddings, forKey: .tiedEmbeddings)
    }

    /// Decodes a configuration; every field but the five of the GPT family's shape has the GPT family's default,
    /// so configurations written before the Llama family existed still read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let gpt = Self(
            layerCount: try container.decode(Int.self, forKey: .layerCount),
            width: try container.decode(Int.self, forKey: .width),
            headCount: try container.decode(Int.self, forKey: .headCount),
            contextLength: try container.decode(Int.self, forKey: .contextLength),
            vocabularySize: try container.decode(Int.self, forKey: .vocabularySize))
        self.init(
            family: try container.decodeIfPresent(ModelFamily.self, forKey: .family) ?? .gpt,
            layerCount: gpt.layerCount, width: gpt.width, headCount: gpt.headCount,
            keyValueHeadCount: try container.decodeIfPresent(Int.self, forKey: .keyValueHeadCount)
                ?? gpt.keyValueHeadCount,
            headWidth: try container.decodeIfPresent(Int.self, forKey: .headWidth) ?? gpt.headWidth,
            hiddenWidth: try container.decodeIfPresent(Int.self, forKey: .hiddenWidth) ?? gpt.hiddenWidth,
            contextLength: gpt.contextLength, vocabularySize: gpt.vocabularySize,
            ropeTheta: try container.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? gpt.ropeTheta,
            normEpsilon: try container.decodeIfPresent(Float.self, forKey: .normEpsilon) ?? gpt.normEpsilon,
            tiedEmbeddings: try container.decodeIfPresent(Bool.self, forKey: .tiedEmbeddings) ?? gpt.tiedEmbeddings)
    }
}
