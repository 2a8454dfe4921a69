// The architectures a `Transformer` can have: the built-in GPT family and the Llama family of pretrained models.

/// Which architecture a model has; its parameters' names and shapes follow from it (see `ParameterLayout`).
public enum ModelFamily: String, Codable, Sendable, CaseIterable {
    /// The built-in GPT-2 style models: learned positions, pre-LayerNorm blocks of multi-head attention and a GELU
    /// MLP of width 4C, an output tied to the token embedding; trained from scratch on bytes.
    case gpt
    /// Llama (SmolLM2 and Llama 2/3): RMSNorm, rotary positions, grouped-query attention without biases, SwiGLU.
    case llama
    /// Qwen2 and Qwen2.5: Llama's blocks with biases on the query, key and value projections.
    case qwen2
    /// Qwen3: Llama's blocks with an RMSNorm over each query and key head before the rotation.
    case qwen3

    /// Whether the model has learned position embeddings (GPT) rather than rotary ones (the Llama family).
    public var hasLearnedPositions: Bool { self == .gpt }
    /// Whether the query, key and value projections have biases.
    public var hasQueryKeyValueBias: Bool { self == .qwen2 }
    /// Whether each query and key head is RMS-normalised before the rotation.
    public var hasQueryKeyNorm: Bool { self == .qwen3 }

    /// The `model_type` of a Hugging Face `config.json` for this family; nil for the built-in family.
    public var huggingFaceModelType: String? { self == .gpt ? nil : rawValue }

    /// The `transformers` class that loads this family (`architectures` in `config.json`).
    public var huggingFaceClassName: String? {
        switch self {
        case .gpt: nil
        case .llama: "LlamaForCausalLM"
        case .qwen2: "Qwen2ForCausalLM"
        case .qwen3: "Qwen3ForCausalLM"
        }
    }
}
