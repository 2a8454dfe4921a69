// A Hugging Face `config.json` of the Llama family, read into a `TransformerConfiguration` and written back.

import Foundation

/// The fields of a Hugging Face `config.json` that fix a Llama, Qwen2 or Qwen3 model, and those that would change
/// it in ways this implementation does not support (refused by name).
///
/// Both spellings of the rotary base are read: `rope_theta` (transformers 4) and `rope_parameters.rope_theta`
/// (transformers 5). Fields that only matter for training in PyTorch (dropout, initializer range, cache use) are
/// ignored.
struct HuggingFaceConfiguration: Codable {
    /// `rope_parameters` of transformers 5, or `rope_scaling` of transformers 4.
    struct RopeParameters: Codable {
        var ropeTheta: Double?
        var ropeType: String?
        var type: String?

        enum CodingKeys: String, CodingKey {
            case ropeTheta = "rope_theta"
            case ropeType = "rope_type"
            case type
        }
    }

    var architectures: [String]?
    var modelType: String?
    var hiddenSize: Int?
    var intermediateSize: Int?
    var numHiddenLayers: Int?
    var numAttentionHeads: Int?
    var numKeyValueHeads: Int?
    var headDim: Int?
    var maxPositionEmbeddings: Int?
    var vocabSize: Int?
    var rmsNormEps: Double?
    var ropeTheta: Double?
    var ropeParameters: RopeParameters?
    var ropeScaling: RopeParameters?
    var tieWordEmbeddings: Bool?
    var hiddenAct: String?
    var attentionBias: Bool?
    var mlpBias: Bool?
    var useSlidingWindow: Bool?
    var layerTypes: [String]?
    var numExperts: Int?
    var numLocalExperts: Int?
    var bosTokenId: Int?
    var eosTokenId: TokenIds?
    var torchDtype: String?

    /// `eos_token_id` may be one id or a list.
    enum TokenIds: Codable, Equatable {
        case one(Int)
        case many([Int])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let id = try? container.decode(Int.self) {
                self = .one(id)
            } else {
                self = .many(try container.decode([Int].self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .one(let id): try container.encode(id)
            case .many(let ids): try container.encode(ids)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case architectures
        case modelType = "model_type"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case maxPositionEmbeddings = "max_position_embeddings"
        case vocabSize = "vocab_size"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeParameters = "rope_parameters"
        case ropeScaling = "rope_scaling"
        case tieWordEmbeddings = "tie_word_embeddings"
        case hiddenAct = "hidden_act"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case useSlidingWindow = "use_sliding_window"
        case layerTypes = "layer_types"
        case numExperts = "num_experts"
        case numLocalExperts = "num_local_experts"
        case bosTokenId = "bos_token_id"
        case eosTokenId = "eos_token_id"
        case torchDtype = "torch_dtype"
    }

    /// The configuration of `configuration`'s model, as `transformers` writes it for its family (float32 weights).
    /// - Precondition: the family is not `.gpt`.
    init(_ configuration: TransformerConfiguration) {
        precondition(configuration.family != .gpt, "the gpt family has no Hugging Face configuration")
        architectures = configuration.family.huggingFaceClassName.map { [$0] }
        modelType = configuration.family.huggingFaceModelType
        hiddenSize = configuration.width
        intermediateSize = configuration.hiddenWidth
        numHiddenLayers = configuration.layerCount
        numAttentionHeads = configuration.headCount
        numKeyValueHeads = configuration.keyValueHeadCount
        headDim = configuration.headWidth
        maxPositionEmbeddings = configuration.contextLength
        vocabSize = configuration.vocabularySize
        rmsNormEps = Double(String(configuration.normEpsilon))
        // Both spellings: transformers 4 reads rope_theta, transformers 5 rope_parameters (and converts the other).
        ropeTheta = configuration.ropeTheta
        ropeParameters = RopeParameters(ropeTheta: configuration.ropeTheta, ropeType: "default")
        tieWordEmbeddings = configuration.tiedEmbeddings
        hiddenAct = "silu"
        attentionBias = configuration.family == .qwen2 ? nil : false
        mlpBias = configuration.family == .llama ? false : nil
        useSlidingWindow = configuration.family == .llama ? nil : false
        torchDtype = "float32"
    }

    /// Reads the file at `path`.
    /// - Throws: `ModelError.invalidCheckpoint` naming the file if it is missing or not a JSON object of these
    ///   fields.
    static func read(from path: String) throws(ModelError) -> HuggingFaceConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .invalidCheckpoint(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(HuggingFaceConfiguration.self, from: data)
        } catch {
            throw .invalidCheckpoint(path: path, reason: "not a Hugging Face config.json: \(error)")
        }
    }

    /// The model this configuration describes.
    /// - Parameter path: the file it came from, for error messages.
    /// - Returns: the configuration, validated.
    /// - Throws: `ModelError.invalidCheckpoint` naming the first field that is missing, out of range or asks for
    ///   something this implementation does not support.
    func transformerConfiguration(path: String) throws(ModelError) -> TransformerConfiguration {
        func refuse(_ reason: String) -> ModelError { .invalidCheckpoint(path: path, reason: reason) }
        func required(_ value: Int?, _ key: CodingKeys) throws(ModelError) -> Int {
            guard let value else { throw refuse("\"\(key.rawValue)\" is missing") }
            return value
        }
        let supported = ModelFamily.allCases.compactMap(\.huggingFaceModelType)
        guard let modelType else {
            throw refuse("\"model_type\" is missing (supported: \(supported.joined(separator: ", ")))")
        }
        guard let family = ModelFamily.allCases.first(where: { $0.huggingFaceModelType == modelType }) else {
            throw refuse(
                "model_type \"\(modelType)\" is not supported (supported: \(supported.joined(separator: ", ")))")
        }
        for rope in [ropeScaling, ropeParameters].compactMap({ $0 }) {
            let kind = rope.ropeType ?? rope.type ?? "default"
            guard kind == "default" else {
                throw refuse("rope scaling \"\(kind)\" (rope_scaling / rope_parameters.rope_type) is not supported")
            }
        }
        if let hiddenAct, hiddenAct != "silu" {
            throw refuse("hidden_act \"\(hiddenAct)\" is not supported (only silu)")
        }
        if attentionBias == true, family != .qwen2 {
            throw refuse("attention_bias true is not supported for \(modelType) (biases on every projection)")
        }
        if mlpBias == true { throw refuse("mlp_bias true is not supported") }
        if useSlidingWindow == true {
            throw refuse("use_sliding_window true is not supported (sliding-window attention)")
        }
        if let layerType = layerTypes?.first(where: { $0 != "full_attention" }) {
            throw refuse("layer_types holds \"\(layerType)\"; only full_attention is supported")
        }
        if let experts = numExperts ?? numLocalExperts, experts > 0 {
            throw refuse("num_experts \(experts): mixture-of-experts models are not supported")
        }
        let width = try required(hiddenSize, .hiddenSize)
        let headCount = try required(numAttentionHeads, .numAttentionHeads)
        guard let theta = ropeParameters?.ropeTheta ?? ropeTheta else {
            throw refuse("the rotary base is missing (rope_theta or rope_parameters.rope_theta)")
        }
        let configuration = TransformerConfiguration(
            family: family, layerCount: try required(numHiddenLayers, .numHiddenLayers), width: width,
            headCount: headCount, keyValueHeadCount: numKeyValueHeads ?? headCount,
            headWidth: headDim ?? width / max(headCount, 1),
            hiddenWidth: try required(intermediateSize, .intermediateSize),
            contextLength: try required(maxPositionEmbeddings, .maxPositionEmbeddings),
            vocabularySize: try required(vocabSize, .vocabSize), ropeTheta: theta,
            normEpsilon: Float(rmsNormEps ?? 1e-6), tiedEmbeddings: tieWordEmbeddings ?? false)
        do {
            try configuration.validate()
        } catch {
            throw refuse(error.description)
        }
        return configuration
    }
}
