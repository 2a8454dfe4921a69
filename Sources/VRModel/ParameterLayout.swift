// Where each named parameter tensor lives inside the model's single contiguous buffer.

/// A named tensor inside the parameter buffer.
public struct ParameterView: Sendable, Equatable {
    /// The tensor's name, as written in checkpoints (GPT-2 naming, like `h.0.attn.qkv.weight`).
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
/// Layout (C width, V vocabulary, T context, hidden 4C), for each block `l` in order:
/// ```
/// wte [V, C]  wpe [T, C]
/// h.l.ln_1.weight [C]  h.l.ln_1.bias [C]  h.l.attn.qkv.weight [3C, C]  h.l.attn.qkv.bias [3C]
/// h.l.attn.proj.weight [C, C]  h.l.attn.proj.bias [C]  h.l.ln_2.weight [C]  h.l.ln_2.bias [C]
/// h.l.mlp.fc.weight [4C, C]  h.l.mlp.fc.bias [4C]  h.l.mlp.proj.weight [C, 4C]  h.l.mlp.proj.bias [C]
/// ln_f.weight [C]  ln_f.bias [C]
/// ```
/// The rows of `qkv` hold the query, key and value projections in that order; head `h` owns rows
/// `h*C/H ..< (h+1)*C/H` of each.
public struct ParameterLayout: Sendable, Equatable {
    /// Offsets of one block's tensors in the buffer.
    public struct Block: Sendable, Equatable {
        /// First LayerNorm scale and shift.
        public let ln1Weight: Int, ln1Bias: Int
        /// Query/key/value projection.
        public let qkvWeight: Int, qkvBias: Int
        /// Attention output projection.
        public let projWeight: Int, projBias: Int
        /// Second LayerNorm scale and shift.
        public let ln2Weight: Int, ln2Bias: Int
        /// MLP expansion.
        public let fcWeight: Int, fcBias: Int
        /// MLP contraction.
        public let fcProjWeight: Int, fcProjBias: Int
    }

    /// Every tensor in buffer order.
    public let views: [ParameterView]
    /// Offset of the token embedding `[V, C]`.
    public let tokenEmbedding: Int
    /// Offset of the position embedding `[T, C]`.
    public let positionEmbedding: Int
    /// Offsets of each block's tensors.
    public let blocks: [Block]
    /// Offset of the final LayerNorm scale `[C]`.
    public let finalNormWeight: Int
    /// Offset of the final LayerNorm shift `[C]`.
    public let finalNormBias: Int
    /// Total number of parameters.
    public let parameterCount: Int

    /// Lays out the parameters of `configuration`.
    /// - Parameter configuration: the architecture.
    public init(_ configuration: TransformerConfiguration) {
        let c = configuration.width
        var views: [ParameterView] = []
        var next = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let view = ParameterView(name: name, offset: next, shape: shape)
            views.append(view)
            next += view.count
            return view.offset
        }
        tokenEmbedding = add("wte", [configuration.vocabularySize, c])
        positionEmbedding = add("wpe", [configuration.contextLength, c])
        var blocks: [Block] = []
        for layer in 0..<configuration.layerCount {
            let prefix = "h.\(layer)."
            blocks.append(
                Block(
                    ln1Weight: add(prefix + "ln_1.weight", [c]), ln1Bias: add(prefix + "ln_1.bias", [c]),
                    qkvWeight: add(prefix + "attn.qkv.weight", [3 * c, c]),
                    qkvBias: add(prefix + "attn.qkv.bias", [3 * c]),
                    projWeight: add(prefix + "attn.proj.weight", [c, c]),
                    projBias: add(prefix + "attn.proj.bias", [c]),
                    ln2Weight: add(prefix + "ln_2.weight", [c]), ln2Bias: add(prefix + "ln_2.bias", [c]),
                    fcWeight: add(prefix + "mlp.fc.weight", [4 * c, c]), fcBias: add(prefix + "mlp.fc.bias", [4 * c]),
                    fcProjWeight: add(prefix + "mlp.proj.weight", [c, 4 * c]),
                    fcProjBias: add(prefix + "mlp.proj.bias", [c])))
        }
        self.blocks = blocks
        finalNormWeight = add("ln_f.weight", [c])
        finalNormBias = add("ln_f.bias", [c])
        self.views = views
        parameterCount = next
    }
}
