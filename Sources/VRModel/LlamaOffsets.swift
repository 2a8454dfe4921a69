// The tensors of the Llama family (Llama, Qwen2, Qwen3) and where they sit in the parameter buffer.

/// Offsets of the Llama family's tensors, named as in Hugging Face checkpoints.
///
/// Layout (C width, V vocabulary, H query heads, G key/value heads, D head width, F MLP width), for each block `l`:
/// ```
/// model.embed_tokens.weight [V, C]
/// model.layers.l.input_layernorm.weight [C]
/// model.layers.l.self_attn.q_proj.weight [HD, C]  .k_proj.weight [GD, C]  .v_proj.weight [GD, C]
/// model.layers.l.self_attn.q_proj.bias [HD]  .k_proj.bias [GD]  .v_proj.bias [GD]        (Qwen2)
/// model.layers.l.self_attn.q_norm.weight [D]  .k_norm.weight [D]                            (Qwen3)
/// model.layers.l.self_attn.o_proj.weight [C, HD]
/// model.layers.l.post_attention_layernorm.weight [C]
/// model.layers.l.mlp.gate_proj.weight [F, C]  .up_proj.weight [F, C]  .down_proj.weight [C, F]
/// model.norm.weight [C]
/// lm_head.weight [V, C]                                                                       (untied)
/// ```
/// The query, key and value weights follow each other, so together they are one `[(H + 2G)D, C]` matrix and one
/// product; their biases likewise; the gate and up weights are one `[2F, C]` matrix.
public struct LlamaOffsets: Sendable, Equatable {
    /// Offsets of one block's tensors in the buffer.
    public struct Block: Sendable, Equatable {
        /// The RMSNorm before attention.
        public let attentionNorm: Int
        /// The query, key and value projections, `[(H + 2G)D, C]` together.
        public let queryKeyValueWeight: Int
        /// Their biases, `[(H + 2G)D]` together, or nil.
        public let queryKeyValueBias: Int?
        /// The per-head query and key RMSNorm scales `[D]`, or nil.
        public let queryNorm: Int?, keyNorm: Int?
        /// The attention output projection `[C, HD]`.
        public let outputProjection: Int
        /// The RMSNorm before the MLP.
        public let mlpNorm: Int
        /// The gate and up projections, `[2F, C]` together.
        public let gateUpWeight: Int
        /// The down projection `[C, F]`.
        public let downWeight: Int
    }

    /// Offset of the token embedding `[V, C]`.
    public let tokenEmbedding: Int
    /// Offsets of each block's tensors.
    public let blocks: [Block]
    /// Offset of the final RMSNorm scale `[C]`.
    public let finalNorm: Int
    /// Offset of the output projection `[V, C]`: `lm_head.weight`, or the token embedding when tied.
    public let outputWeight: Int

    init(_ configuration: TransformerConfiguration, builder: inout ParameterLayout.Builder) {
        let (c, d, f) = (configuration.width, configuration.headWidth, configuration.hiddenWidth)
        let (queryWidth, keyValueWidth) = (configuration.headCount * d, configuration.keyValueHeadCount * d)
        tokenEmbedding = builder.add("model.embed_tokens.weight", [configuration.vocabularySize, c])
        blocks = (0..<configuration.layerCount).map { layer in
            let prefix = "model.layers.\(layer)."
            let attentionNorm = builder.add(prefix + "input_layernorm.weight", [c])
            let queryKeyValueWeight = builder.add(prefix + "self_attn.q_proj.weight", [queryWidth, c])
            _ = builder.add(prefix + "self_attn.k_proj.weight", [keyValueWidth, c])
            _ = builder.add(prefix + "self_attn.v_proj.weight", [keyValueWidth, c])
            var queryKeyValueBias: Int?
            if configuration.family.hasQueryKeyValueBias {
                queryKeyValueBias = builder.add(prefix + "self_attn.q_proj.bias", [queryWidth])
                _ = builder.add(prefix + "self_attn.k_proj.bias", [keyValueWidth])
                _ = builder.add(prefix + "self_attn.v_proj.bias", [keyValueWidth])
            }
            var (queryNorm, keyNorm): (Int?, Int?) = (nil, nil)
            if configuration.family.hasQueryKeyNorm {
                queryNorm = builder.add(prefix + "self_attn.q_norm.weight", [d])
                keyNorm = builder.add(prefix + "self_attn.k_norm.weight", [d])
            }
            let outputProjection = builder.add(prefix + "self_attn.o_proj.weight", [c, queryWidth])
            let mlpNorm = builder.add(prefix + "post_attention_layernorm.weight", [c])
            let gateUpWeight = builder.add(prefix + "mlp.gate_proj.weight", [f, c])
            _ = builder.add(prefix + "mlp.up_proj.weight", [f, c])
            let downWeight = builder.add(prefix + "mlp.down_proj.weight", [c, f])
            return Block(
                attentionNorm: attentionNorm, queryKeyValueWeight: queryKeyValueWeight,
                queryKeyValueBias: queryKeyValueBias, queryNorm: queryNorm, keyNorm: keyNorm,
                outputProjection: outputProjection, mlpNorm: mlpNorm, gateUpWeight: gateUpWeight,
                downWeight: downWeight)
        }
        finalNorm = builder.add("model.norm.weight", [c])
        outputWeight =
            configuration.tiedEmbeddings
            ? tokenEmbedding : builder.add("lm_head.weight", [configuration.vocabularySize, c])
    }
}
