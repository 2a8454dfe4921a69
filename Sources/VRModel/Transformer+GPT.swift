// The GPT family's body, forward and backward: token + position embeddings, pre-LayerNorm blocks of multi-head
// attention and a GELU MLP, a final LayerNorm.
//
// Legend: N rows, C channels, 4C MLP width.

import VRTensor

extension Transformer {
    /// Embeddings, blocks and final LayerNorm over `batch`; the output is left in `workspace.finalNormed`.
    func runGPTBody(_ batch: TokenBatch, _ workspace: ActivationWorkspace, offsets: GPTOffsets) {
        let (n, c) = (batch.rowCount, configuration.width)
        let weights = UnsafePointer(parameters.pointer)
        let attentionShape = attentionShape(batch)
        // 1. embeddings
        Embedding.forward(
            tokens: batch.tokens.pointer, positions: batch.positions.pointer,
            tokenTable: weights + offsets.tokenEmbedding, positionTable: weights + offsets.positionEmbedding,
            out: workspace.residuals[0].pointer, rowCount: n, channels: c)
        // 2. blocks
        for (index, block) in offsets.blocks.enumerated() {
            let saved = workspace.blocks[index]
            let input = workspace.residuals[index].pointer
            LayerNorm.forward(
                input: input, weight: weights + block.ln1Weight, bias: weights + block.ln1Bias,
                out: saved.attentionInput.pointer, mean: saved.attentionMean.pointer,
                rstd: saved.attentionRstd.pointer, rowCount: n, channels: c)
            Linear.forward(
                input: saved.attentionInput.pointer, weight: weights + block.qkvWeight, bias: weights + block.qkvBias,
                out: saved.qkv.pointer, rowCount: n, inputCount: c, outputCount: 3 * c)
            CausalAttention.forward(
                qkv: saved.qkv.pointer, probabilities: saved.probabilities.pointer, out: saved.attention.pointer,
                shape: attentionShape)
            Linear.forward(
                input: saved.attention.pointer, weight: weights + block.projWeight, bias: weights + block.projBias,
                out: saved.residualMid.pointer, rowCount: n, inputCount: c, outputCount: c)
            VectorMath.add(saved.residualMid.pointer, input, into: saved.residualMid.pointer, count: n * c)
            LayerNorm.forward(
                input: saved.residualMid.pointer, weight: weights + block.ln2Weight, bias: weights + block.ln2Bias,
                out: saved.mlpInput.pointer, mean: saved.mlpMean.pointer, rstd: saved.mlpRstd.pointer, rowCount: n,
                channels: c)
            Linear.forward(
                input: saved.mlpInput.pointer, weight: weights + block.fcWeight, bias: weights + block.fcBias,
                out: saved.hidden.pointer, rowCount: n, inputCount: c, outputCount: 4 * c)
            GELU.forward(input: saved.hidden.pointer, out: saved.activated.pointer, count: n * 4 * c)
            let output = workspace.residuals[index + 1].pointer
            Linear.forward(
                input: saved.activated.pointer, weight: weights + block.fcProjWeight,
                bias: weights + block.fcProjBias, out: output, rowCount: n, inputCount: 4 * c, outputCount: c)
            VectorMath.add(output, saved.residualMid.pointer, into: output, count: n * c)
        }
        // 3. final LayerNorm
        LayerNorm.forward(
            input: workspace.residuals[offsets.blocks.count].pointer, weight: weights + offsets.finalNormWeight,
            bias: weights + offsets.finalNormBias, out: workspace.finalNormed.pointer,
            mean: workspace.finalMean.pointer, rstd: workspace.finalRstd.pointer, rowCount: n, channels: c)
    }

    /// Back-propagates `workspace.dNormalized`, the gradient of the final LayerNorm's output, through the body.
    func runGPTBodyBackward(_ batch: TokenBatch, _ workspace: ActivationWorkspace, offsets: GPTOffsets) {
        let (n, c) = (batch.rowCount, configuration.width)
        let weights = UnsafePointer(parameters.pointer)
        let grads = gradients.pointer
        let attentionShape = attentionShape(batch)
        let dResidual = workspace.dResidual.pointer
        dResidual.update(repeating: 0, count: n * c)
        LayerNorm.backward(
            dOut: workspace.dNormalized.pointer, input: workspace.residuals[offsets.blocks.count].pointer,
            weight: weights + offsets.finalNormWeight, mean: workspace.finalMean.pointer,
            rstd: workspace.finalRstd.pointer, dInput: dResidual, dWeight: grads + offsets.finalNormWeight,
            dBias: grads + offsets.finalNormBias, rowCount: n, channels: c)
        // blocks in reverse; dResidual carries the gradient of the residual stream
        for (index, block) in offsets.blocks.enumerated().reversed() {
            let saved = workspace.blocks[index]
            Linear.backward(
                dOut: dResidual, input: saved.activated.pointer, weight: weights + block.fcProjWeight,
                dInput: workspace.dHidden.pointer, dWeight: grads + block.fcProjWeight,
                dBias: grads + block.fcProjBias, rowCount: n, inputCount: 4 * c, outputCount: c)
            GELU.backward(
                dOut: workspace.dHidden.pointer, input: saved.hidden.pointer, dInput: workspace.dHidden.pointer,
                count: n * 4 * c)
            Linear.backward(
                dOut: workspace.dHidden.pointer, input: saved.mlpInput.pointer, weight: weights + block.fcWeight,
                dInput: workspace.dNormalized.pointer, dWeight: grads + block.fcWeight, dBias: grads + block.fcBias,
                rowCount: n, inputCount: c, outputCount: 4 * c)
            LayerNorm.backward(
                dOut: workspace.dNormalized.pointer, input: saved.residualMid.pointer,
                weight: weights + block.ln2Weight, mean: saved.mlpMean.pointer, rstd: saved.mlpRstd.pointer,
                dInput: dResidual, dWeight: grads + block.ln2Weight, dBias: grads + block.ln2Bias, rowCount: n,
                channels: c)
            Linear.backward(
                dOut: dResidual, input: saved.attention.pointer, weight: weights + block.projWeight,
                dInput: workspace.dAttention.pointer, dWeight: grads + block.projWeight, dBias: grads + block.projBias,
                rowCount: n, inputCount: c, outputCount: c)
            CausalAttention.backward(
                dOut: workspace.dAttention.pointer, qkv: saved.qkv.pointer, probabilities: saved.probabilities.pointer,
                dQKV: workspace.dQKV.pointer, shape: attentionShape)
            Linear.backward(
                dOut: workspace.dQKV.pointer, input: saved.attentionInput.pointer, weight: weights + block.qkvWeight,
                dInput: workspace.dNormalized.pointer, dWeight: grads + block.qkvWeight, dBias: grads + block.qkvBias,
                rowCount: n, inputCount: c, outputCount: 3 * c)
            LayerNorm.backward(
                dOut: workspace.dNormalized.pointer, input: workspace.residuals[index].pointer,
                weight: weights + block.ln1Weight, mean: saved.attentionMean.pointer,
                rstd: saved.attentionRstd.pointer, dInput: dResidual, dWeight: grads + block.ln1Weight,
                dBias: grads + block.ln1Bias, rowCount: n, channels: c)
        }
        // embeddings
        Embedding.backward(
            dOut: dResidual, tokens: batch.tokens.pointer, positions: batch.positions.pointer,
            dTokenTable: grads + offsets.tokenEmbedding, dPositionTable: grads + offsets.positionEmbedding,
            rowCount: n, channels: c)
    }

    /// The attention shape of `batch` under this model's heads.
    func attentionShape(_ batch: TokenBatch) -> CausalAttention.Shape {
        CausalAttention.Shape(
            batch: batch.sequenceCount, time: batch.time, heads: configuration.headCount,
            keyValueHeads: configuration.keyValueHeadCount, headWidth: configuration.headWidth)
    }
}

extension Transformer {
    /// One decoding step of the GPT body: leaves the final LayerNorm's output in `step.rows.normalized`.
    func decodeGPTBody(_ step: DecodeStepInput, offsets: GPTOffsets) {
        let (a, c, rows) = (step.rowCount, configuration.width, step.rows)
        let weights = UnsafePointer(parameters.pointer)
        Embedding.forward(
            tokens: step.tokens.pointer, positions: step.positions.pointer,
            tokenTable: weights + offsets.tokenEmbedding, positionTable: weights + offsets.positionEmbedding,
            out: rows.residual, rowCount: a, channels: c)
        for (index, (block, packed)) in zip(offsets.blocks, step.state.weights.blocks).enumerated() {
            LayerNorm.forward(
                input: rows.residual, weight: weights + block.ln1Weight, bias: weights + block.ln1Bias,
                out: rows.normalized, mean: rows.mean, rstd: rows.rstd, rowCount: a, channels: c)
            Linear.forward(
                input: rows.normalized, packedWeight: packed.qkv, bias: weights + block.qkvBias, out: rows.qkv,
                rowCount: a)
            CachedAttention.decode(
                qkv: rows.qkv, slots: step.slots.pointer, rowCount: a, positions: step.positions.pointer,
                keys: step.state.keys[index].pointer, values: step.state.values[index].pointer,
                geometry: step.state.geometry, out: rows.attention)
            Linear.forward(
                input: rows.attention, packedWeight: packed.projection, bias: weights + block.projBias,
                out: rows.branch, rowCount: a)
            VectorMath.add(rows.residual, rows.branch, into: rows.residual, count: a * c)
            LayerNorm.forward(
                input: rows.residual, weight: weights + block.ln2Weight, bias: weights + block.ln2Bias,
                out: rows.normalized, mean: rows.mean, rstd: rows.rstd, rowCount: a, channels: c)
            Linear.forward(
                input: rows.normalized, packedWeight: packed.expansion, bias: weights + block.fcBias,
                out: rows.hidden, rowCount: a)
            GELU.forward(input: rows.hidden, out: rows.hidden, count: a * 4 * c)
            Linear.forward(
                input: rows.hidden, packedWeight: packed.contraction, bias: weights + block.fcProjBias,
                out: rows.branch, rowCount: a)
            VectorMath.add(rows.residual, rows.branch, into: rows.residual, count: a * c)
        }
        LayerNorm.forward(
            input: rows.residual, weight: weights + offsets.finalNormWeight, bias: weights + offsets.finalNormBias,
            out: rows.normalized, mean: rows.mean, rstd: rows.rstd, rowCount: a, channels: c)
    }
}
