// Reading a llama.cpp GGUF file of the Llama family: the architecture from its metadata, every tensor dequantized
// to float32 and renamed as in Hugging Face checkpoints.

import VRGGUF
import VRTensor

/// GGUF model files (`general.architecture` llama, qwen2 or qwen3).
enum GGUFCheckpoint {
    /// Reads the configuration and every weight.
    ///
    /// llama.cpp's converter reorders the rows of Llama's query and key projections, within each head, from
    /// the rotate-half layout to interleaved pairs; they are put back here, as `transformers` does when it loads
    /// a GGUF file. Qwen2 and Qwen3 files are stored unpermuted.
    /// - Parameter path: the `.gguf` file.
    /// - Returns: the checkpoint; its metadata says it came from a GGUF file.
    /// - Throws: `ModelError.invalidCheckpoint` naming the file and the key or tensor at fault.
    static func read(from path: String) throws(ModelError) -> Checkpoint {
        let file: GGUFFile
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw .invalidCheckpoint(path: path, reason: error.description)
        }
        let configuration = try configuration(of: file)
        let layout = ParameterLayout(configuration)
        let parameters = FloatBuffer(count: layout.parameterCount)
        var unused = Set(file.tensors.map(\.name))
        for view in layout.views {
            let name = ggufName(of: view.name)
            guard let tensor = file.tensor(named: name) else {
                throw .invalidCheckpoint(path: path, reason: "no tensor named '\(name)' (for \(view.name))")
            }
            guard tensor.shape == view.shape else {
                throw .invalidCheckpoint(
                    path: path, reason: "tensor '\(name)' has shape \(tensor.shape), expected \(view.shape)")
            }
            unused.remove(name)
            let destination = UnsafeMutableBufferPointer(
                rebasing: parameters.buffer[view.offset..<(view.offset + view.count)])
            do {
                try file.read(tensor, into: destination)
            } catch {
                throw .invalidCheckpoint(path: path, reason: error.description)
            }
            if configuration.family == .llama {
                if name.hasSuffix("attn_q.weight") {
                    unpermuteRows(destination, headCount: configuration.headCount, rowWidth: configuration.width)
                } else if name.hasSuffix("attn_k.weight") {
                    unpermuteRows(
                        destination, headCount: configuration.keyValueHeadCount, rowWidth: configuration.width)
                }
            }
        }
        unused.remove("rope_freqs.weight")
        if let extra = unused.sorted().first {
            throw .invalidCheckpoint(
                path: path, reason: "tensor '\(extra)' is not part of a \(configuration.family) model")
        }
        return Checkpoint(configuration: configuration, parameters: parameters, metadata: ["format": "gguf"])
    }

    /// The architecture in the file's metadata.
    static func configuration(of file: GGUFFile) throws(ModelError) -> TransformerConfiguration {
        func refuse(_ reason: String) -> ModelError { .invalidCheckpoint(path: file.path, reason: reason) }
        let supported = ModelFamily.allCases.compactMap(\.huggingFaceModelType)
        guard let architecture = file.metadata["general.architecture"]?.string else {
            throw refuse("the metadata has no general.architecture")
        }
        guard let family = ModelFamily.allCases.first(where: { $0.huggingFaceModelType == architecture }) else {
            throw refuse(
                "general.architecture \"\(architecture)\" is not supported (supported: \(supported.joined(separator: ", ")))"
            )
        }
        func integer(_ key: String) throws(ModelError) -> Int {
            guard let value = file.metadata[architecture + "." + key]?.int else {
                throw refuse("the metadata has no integer \(architecture).\(key)")
            }
            return value
        }
        func number(_ key: String) -> Double? { file.metadata[architecture + "." + key]?.double }
        if let scaling = file.metadata[architecture + ".rope.scaling.type"]?.string, scaling != "none" {
            throw refuse("\(architecture).rope.scaling.type \"\(scaling)\" is not supported")
        }
        if let experts = file.metadata[architecture + ".expert_count"]?.int, experts > 0 {
            throw refuse("\(architecture).expert_count \(experts): mixture-of-experts models are not supported")
        }
        guard let embedding = file.tensor(named: "token_embd.weight"), embedding.shape.count == 2 else {
            throw refuse("no two-dimensional tensor token_embd.weight")
        }
        let width = try integer("embedding_length")
        let headCount = try integer("attention.head_count")
        let configuration = TransformerConfiguration(
            family: family, layerCount: try integer("block_count"), width: width, headCount: headCount,
            keyValueHeadCount: (try? integer("attention.head_count_kv")) ?? headCount,
            headWidth: (try? integer("attention.key_length")) ?? width / max(headCount, 1),
            hiddenWidth: try integer("feed_forward_length"), contextLength: try integer("context_length"),
            vocabularySize: embedding.shape[0], ropeTheta: number("rope.freq_base") ?? 10_000,
            normEpsilon: Float(number("attention.layer_norm_rms_epsilon") ?? 1e-6),
            tiedEmbeddings: file.tensor(named: "output.weight") == nil)
        do {
            try configuration.validate()
        } catch {
            throw refuse(error.description)
        }
        return configuration
    }

    /// llama.cpp's name for the tensor Hugging Face calls `name`.
    static func ggufName(of name: String) -> String {
        let global = [
            "model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
            "lm_head.weight": "output.weight",
        ]
        if let renamed = global[name] { return renamed }
        let parts = name.split(separator: ".", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[0] == "model", parts[1] == "layers" else { return name }
        let block = [
            "input_layernorm.weight": "attn_norm.weight", "post_attention_layernorm.weight": "ffn_norm.weight",
            "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
            "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight",
            "self_attn.q_proj.bias": "attn_q.bias", "self_attn.k_proj.bias": "attn_k.bias",
            "self_attn.v_proj.bias": "attn_v.bias", "self_attn.q_norm.weight": "attn_q_norm.weight",
            "self_attn.k_norm.weight": "attn_k_norm.weight", "mlp.gate_proj.weight": "ffn_gate.weight",
            "mlp.up_proj.weight": "ffn_up.weight", "mlp.down_proj.weight": "ffn_down.weight",
        ]
        return "blk.\(parts[2])." + (block[parts[3]] ?? parts[3])
    }

    /// Undoes llama.cpp's reordering of a projection's rows: within each head of D rows, stored row `2i + j` is
    /// row `j * D/2 + i` of the rotate-half layout.
    static func unpermuteRows(_ weight: UnsafeMutableBufferPointer<Float>, headCount: Int, rowWidth: Int) {
        let rowsPerHead = weight.count / rowWidth / headCount
        let half = rowsPerHead / 2
        let stored = Array(weight)
        for head in 0..<headCount {
            for i in 0..<half {
                for j in 0..<2 {
                    let source = (head * rowsPerHead + 2 * i + j) * rowWidth
                    let target = (head * rowsPerHead + j * half + i) * rowWidth
                    for column in 0..<rowWidth { weight[target + column] = stored[source + column] }
                }
            }
        }
    }
}
