// The Llama family's body, forward and backward: token embeddings, pre-RMSNorm blocks of grouped-query attention
// with rotary positions (Qwen2: q/k/v biases; Qwen3: per-head q/k RMSNorm) and a SwiGLU MLP, a final RMSNorm.
//
// Legend: N rows, C channels, H query heads, G key/value heads, D head width, W = (H + 2G) D, F MLP width.

import VRTensor

extension Transformer {
    /// Embeddings, blocks and final RMSNorm over `batch`; the output is left in `workspace.finalNormed`.
    func runLlamaBody(_ batch: TokenBatch, _ workspace: ActivationWorkspace, offsets: LlamaOffsets) {
        let (n, c, f) = (batch.rowCount, configuration.width, configuration.hiddenWidth)
        let (w, o, epsilon) = (
            configuration.queryKeyValueWidth, configuration.attentionWidth, configuration.normEpsilon
        )
        let weights = UnsafePointer(parameters.pointer)
        Embedding.forward(
            tokens: batch.tokens.pointer, positions: batch.positions.pointer,
            tokenTable: weights + offsets.tokenEmbedding, positionTable: nil, out: workspace.residuals[0].pointer,
            rowCount: n, channels: c)
        for (index, block) in offsets.blocks.enumerated() {
            let saved = workspace.blocks[index]
            let input = workspace.residuals[index].pointer
            RMSNorm.forward(
                input: input, weight: weights + block.attentionNorm, out: saved.attentionInput.pointer,
                rstd: saved.attentionRstd.pointer, rowCount: n, channels: c, epsilon: epsilon)
            let headNormed = block.queryNorm != nil
            Linear.forward(
                input: saved.attentionInput.pointer, weight: weights + block.queryKeyValueWeight,
                bias: block.queryKeyValueBias.map { weights + $0 },
                out: headNormed ? saved.projectedQKV.pointer : saved.qkv.pointer, rowCount: n, inputCount: c,
                outputCount: w)
            if let queryNorm = block.queryNorm, let keyNorm = block.keyNorm {
                saved.qkv.pointer.update(from: saved.projectedQKV.pointer, count: n * w)
                normalizeHeads(
                    saved.qkv.pointer, rowCount: n, queryNorm: weights + queryNorm, keyNorm: weights + keyNorm,
                    rstd: saved.headRstd.pointer)
            }
            rotateQueriesAndKeys(saved.qkv.pointer, rowCount: n, positions: batch.positions.pointer, inverse: false)
            CausalAttention.forward(
                qkv: saved.qkv.pointer, probabilities: saved.probabilities.pointer, out: saved.attention.pointer,
                shape: attentionShape(batch))
            Linear.forward(
                input: saved.attention.pointer, weight: weights + block.outputProjection, bias: nil,
                out: saved.residualMid.pointer, rowCount: n, inputCount: o, outputCount: c)
            VectorMath.add(saved.residualMid.pointer, input, into: saved.residualMid.pointer, count: n * c)
            RMSNorm.forward(
                input: saved.residualMid.pointer, weight: weights + block.mlpNorm, out: saved.mlpInput.pointer,
                rstd: saved.mlpRstd.pointer, rowCount: n, channels: c, epsilon: epsilon)
            Linear.forward(
                input: saved.mlpInput.pointer, weight: weights + block.gateUpWeight, bias: nil,
                out: saved.hidden.pointer, rowCount: n, inputCount: c, outputCount: 2 * f)
            Self.gatedActivation(gateUp: saved.hidden.pointer, out: saved.activated.pointer, rowCount: n, width: f)
            let output = workspace.residuals[index + 1].pointer
            Linear.forward(
                input: saved.activated.pointer, weight: weights + block.downWeight, bias: nil, out: output,
                rowCount: n, inputCount: f, outputCount: c)
            VectorMath.add(output, saved.residualMid.pointer, into: output, count: n * c)
        }
        RMSNorm.forward(
            input: workspace.residuals[offsets.blocks.count].pointer, weight: weights + offsets.finalNorm,
            out: workspace.finalNormed.pointer, rstd: workspace.finalRstd.pointer, rowCount: n, channels: c,
            epsilon: epsilon)
    }

    /// Back-propagates `workspace.dNormalized`, the gradient of the final RMSNorm's output, through the body.
    func runLlamaBodyBackward(_ batch: TokenBatch, _ workspace: ActivationWorkspace, offsets: LlamaOffsets) {
        let (n, c, f) = (batch.rowCount, configuration.width, configuration.hiddenWidth)
        let (w, o) = (configuration.queryKeyValueWidth, configuration.attentionWidth)
        let weights = UnsafePointer(parameters.pointer)
        let grads = gradients.pointer
        let dResidual = workspace.dResidual.pointer
        dResidual.update(repeating: 0, count: n * c)
        RMSNorm.backward(
            dOut: workspace.dNormalized.pointer, input: workspace.residuals[offsets.blocks.count].pointer,
            weight: weights + offsets.finalNorm, rstd: workspace.finalRstd.pointer, dInput: dResidual,
            dWeight: grads + offsets.finalNorm, rowCount: n, channels: c)
        for (index, block) in offsets.blocks.enumerated().reversed() {
            let saved = workspace.blocks[index]
            Linear.backward(
                dOut: dResidual, input: saved.activated.pointer, weight: weights + block.downWeight,
                dInput: workspace.dActivated.pointer, dWeight: grads + block.downWeight, dBias: nil, rowCount: n,
                inputCount: f, outputCount: c)
            Self.gatedActivationBackward(
                dOut: workspace.dActivated.pointer, gateUp: saved.hidden.pointer, dGateUp: workspace.dHidden.pointer,
                rowCount: n, width: f)
            Linear.backward(
                dOut: workspace.dHidden.pointer, input: saved.mlpInput.pointer, weight: weights + block.gateUpWeight,
                dInput: workspace.dNormalized.pointer, dWeight: grads + block.gateUpWeight, dBias: nil, rowCount: n,
                inputCount: c, outputCount: 2 * f)
            RMSNorm.backward(
                dOut: workspace.dNormalized.pointer, input: saved.residualMid.pointer, weight: weights + block.mlpNorm,
                rstd: saved.mlpRstd.pointer, dInput: dResidual, dWeight: grads + block.mlpNorm, rowCount: n,
                channels: c)
            Linear.backward(
                dOut: dResidual, input: saved.attention.pointer, weight: weights + block.outputProjection,
                dInput: workspace.dAttention.pointer, dWeight: grads + block.outputProjection, dBias: nil,
                rowCount: n, inputCount: o, outputCount: c)
            CausalAttention.backward(
                dOut: workspace.dAttention.pointer, qkv: saved.qkv.pointer, probabilities: saved.probabilities.pointer,
                dQKV: workspace.dQKV.pointer, shape: attentionShape(batch))
            rotateQueriesAndKeys(workspace.dQKV.pointer, rowCount: n, positions: batch.positions.pointer, inverse: true)
            if let queryNorm = block.queryNorm, let keyNorm = block.keyNorm {
                normalizeHeadsBackward(
                    workspace.dQKV.pointer, inputs: saved.projectedQKV.pointer, rowCount: n,
                    queryNorm: weights + queryNorm, keyNorm: weights + keyNorm, rstd: saved.headRstd.pointer,
                    dQueryNorm: grads + queryNorm, dKeyNorm: grads + keyNorm)
            }
            Linear.backward(
                dOut: workspace.dQKV.pointer, input: saved.attentionInput.pointer,
                weight: weights + block.queryKeyValueWeight, dInput: workspace.dNormalized.pointer,
                dWeight: grads + block.queryKeyValueWeight, dBias: block.queryKeyValueBias.map { grads + $0 },
                rowCount: n, inputCount: c, outputCount: w)
            RMSNorm.backward(
                dOut: workspace.dNormalized.pointer, input: workspace.residuals[index].pointer,
                weight: weights + block.attentionNorm, rstd: saved.attentionRstd.pointer, dInput: dResidual,
                dWeight: grads + block.attentionNorm, rowCount: n, channels: c)
        }
        Embedding.backward(
            dOut: dResidual, tokens: batch.tokens.pointer, positions: batch.positions.pointer,
            dTokenTable: grads + offsets.tokenEmbedding, dPositionTable: nil, rowCount: n, channels: c)
    }
}

extension Transformer {
    /// One decoding step of the Llama body: leaves the final RMSNorm's output in `step.rows.normalized`.
    func decodeLlamaBody(_ step: DecodeStepInput, offsets: LlamaOffsets) {
        let (a, c, f, rows) = (step.rowCount, configuration.width, configuration.hiddenWidth, step.rows)
        let epsilon = configuration.normEpsilon
        let weights = UnsafePointer(parameters.pointer)
        Embedding.forward(
            tokens: step.tokens.pointer, positions: step.positions.pointer,
            tokenTable: weights + offsets.tokenEmbedding, positionTable: nil, out: rows.residual, rowCount: a,
            channels: c)
        for (index, (block, packed)) in zip(offsets.blocks, step.state.weights.blocks).enumerated() {
            RMSNorm.forward(
                input: rows.residual, weight: weights + block.attentionNorm, out: rows.normalized, rstd: rows.rstd,
                rowCount: a, channels: c, epsilon: epsilon)
            Linear.forward(
                input: rows.normalized, packedWeight: packed.qkv, bias: block.queryKeyValueBias.map { weights + $0 },
                out: rows.qkv, rowCount: a)
            if let queryNorm = block.queryNorm, let keyNorm = block.keyNorm {
                normalizeHeads(
                    rows.qkv, rowCount: a, queryNorm: weights + queryNorm, keyNorm: weights + keyNorm,
                    rstd: rows.headRstd)
            }
            rotateQueriesAndKeys(rows.qkv, rowCount: a, positions: step.positions.pointer, inverse: false)
            CachedAttention.decode(
                qkv: rows.qkv, slots: step.slots.pointer, rowCount: a, positions: step.positions.pointer,
                keys: step.state.keys[index].pointer, values: step.state.values[index].pointer,
                geometry: step.state.geometry, out: rows.attention)
            Linear.forward(
                input: rows.attention, packedWeight: packed.projection, bias: nil, out: rows.branch, rowCount: a)
            VectorMath.add(rows.residual, rows.branch, into: rows.residual, count: a * c)
            RMSNorm.forward(
                input: rows.residual, weight: weights + block.mlpNorm, out: rows.normalized, rstd: rows.rstd,
                rowCount: a, channels: c, epsilon: epsilon)
            Linear.forward(
                input: rows.normalized, packedWeight: packed.expansion, bias: nil, out: rows.hidden, rowCount: a)
            Self.gatedActivation(gateUp: rows.hidden, out: rows.activated, rowCount: a, width: f)
            Linear.forward(
                input: rows.activated, packedWeight: packed.contraction, bias: nil, out: rows.branch, rowCount: a)
            VectorMath.add(rows.residual, rows.branch, into: rows.residual, count: a * c)
        }
        RMSNorm.forward(
            input: rows.residual, weight: weights + offsets.finalNorm, out: rows.normalized, rstd: rows.rstd,
            rowCount: a, channels: c, epsilon: epsilon)
    }
}
