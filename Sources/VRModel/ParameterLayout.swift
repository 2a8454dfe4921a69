// Where each named parameter tensor lives inside the model's single contiguous buffer.

/// A named tensor inside the parameter buffer.
public struct ParameterView: Sendable, Equatable {
    /// The tensor's name, as written in checkpoints (`h.0.attn.qkv.weight` for the GPT family, Hugging Face's
    /// names like `model.layers.0.self_attn.q_proj.weight` for the Llama family).
    public let name: String
    /// Offset of the first element in the parameter buffer.
    public let offset: Int
    /// Shape, row-major; linear weights are `[out, in]`.
    public let shape: [Int]

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}

/// The order, names and shapes of every parameter of a transformer, packed without gaps.
///
/// The family's own offsets (`GPTOffsets`, `LlamaOffsets`) say where each block's tensors are.
public struct ParameterLayout: Sendable, Equatable {
    /// The offsets of one family's tensors.
    public enum Offsets: Sendable, Equatable {
        /// The GPT family's.
        case gpt(GPTOffsets)
        /// The Llama family's.
        case llama(LlamaOffsets)
    }

    /// Every tensor in buffer order.
    public let views: [ParameterView]
    /// Offset of the token embedding `[V, C]`.
    public let tokenEmbedding: Int
    /// Offset of the output projection `[V, C]`: the token embedding when they are tied.
    public let outputWeight: Int
    /// The family's offsets.
    public let offsets: Offsets
    /// Total number of parameters.
    public let parameterCount: Int

    /// Lays out the parameters of `configuration`.
    /// - Parameter configuration: the architecture.
    public init(_ configuration: TransformerConfiguration) {
        var builder = Builder()
        if configuration.family == .gpt {
            let gpt = GPTOffsets(configuration, builder: &builder)
            tokenEmbedding = gpt.tokenEmbedding
            outputWeight = gpt.tokenEmbedding
            offsets = .gpt(gpt)
        } else {
            let llama = LlamaOffsets(configuration, builder: &builder)
            tokenEmbedding = llama.tokenEmbedding
            outputWeight = llama.outputWeight
            offsets = .llama(llama)
        }
        views = builder.views
        parameterCount = builder.next
    }

    /// The view named `name`, if the layout has one.
    /// - Parameter name: a tensor name.
    /// - Returns: the view or nil.
    public func view(named name: String) -> ParameterView? { views.first { $0.name == name } }

    /// Appends views one after the other.
    struct Builder {
        private(set) var views: [ParameterView] = []
        private(set) var next = 0

        /// Appends a tensor and returns its offset.
        mutating func add(_ name: String, _ shape: [Int]) -> Int {
            let view = ParameterView(name: name, offset: next, shape: shape)
            views.append(view)
            next += view.count
            return view.offset
        }
    }
}
