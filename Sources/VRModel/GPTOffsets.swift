// The tensors of the built-in GPT family and where they sit in the parameter buffer.

/// Offsets of the GPT family's tensors.
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
public struct GPTOffsets: Sendable, Equatable {
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

    /// Offset of the token embedding `[V, C]`, also the output projection.
    public let tokenEmbedding: Int
    /// Offset of the position embedding `[T, C]`.
    public let positionEmbedding: Int
    /// Offsets of each block's tensors.
    public let blocks: [Block]
    /// Offset of the final LayerNorm scale `[C]`.
    public let finalNormWeight: Int
    /// Offset of the final LayerNorm shift `[C]`.
    public let finalNormBias: Int

    init(_ configuration: TransformerConfiguration, builder: inout ParameterLayout.Builder) {
        let c = configuration.width
        tokenEmbedding = builder.add("wte", [configuration.vocabularySize, c])
        positionEmbedding = builder.add("wpe", [configuration.contextLength, c])
        blocks = (0..<configuration.layerCount).map { layer in
            let prefix = "h.\(layer)."
            return Block(
                ln1Weight: builder.add(prefix + "ln_1.weight", [c]), ln1Bias: builder.add(prefix + "ln_1.bias", [c]),
                qkvWeight: builder.add(prefix + "attn.qkv.weight", [3 * c, c]),
                qkvBias: builder.add(prefix + "attn.qkv.bias", [3 * c]),
                projWeight: builder.add(prefix + "attn.proj.weight", [c, c]),
                projBias: builder.add(prefix + "attn.proj.bias", [c]),
                ln2Weight: builder.add(prefix + "ln_2.weight", [c]), ln2Bias: builder.add(prefix + "ln_2.bias", [c]),
                fcWeight: builder.add(prefix + "mlp.fc.weight", [4 * c, c]),
                fcBias: builder.add(prefix + "mlp.fc.bias", [4 * c]),
                fcProjWeight: builder.add(prefix + "mlp.proj.weight", [c, 4 * c]),
                fcProjBias: builder.add(prefix + "mlp.proj.bias", [c]))
        }
        finalNormWeight = builder.add("ln_f.weight", [c])
        finalNormBias = builder.add("ln_f.bias", [c])
    }
}
