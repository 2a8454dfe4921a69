// Optimizer state beside a checkpoint: AdamW's moments and step in optimizer.safetensors.

import VRTensor

extension Checkpoint {
    /// File name of the optimizer state.
    public static let optimizerFileName = "optimizer.safetensors"
    /// Value of the `format` metadata entry of the optimizer file.
    public static let optimizerFormat = "vr-optimizer"

    /// AdamW's state: the number of steps taken and the first and second moment estimates.
    public struct OptimizerState: Sendable {
        /// Number of optimizer steps taken (AdamW's t).
        public let stepCount: Int
        /// First moment estimate (m), one value per parameter.
        public let firstMoment: FloatBuffer
        /// Second moment estimate (v), one value per parameter.
        public let secondMoment: FloatBuffer
    }

    /// Writes `optimizer.safetensors` into `directory` atomically, creating the directory if needed.
    ///
    /// The file holds flat F32 tensors `m` and `v` and metadata `format` = `vr-optimizer`,
    /// `format_version` = `1` and `step`.
    /// - Precondition: `stepCount >= 0`; both moments have the same count.
    /// - Parameters:
    ///   - stepCount: number of optimizer steps taken.
    ///   - firstMoment: first moment estimate.
    ///   - secondMoment: second moment estimate.
    ///   - directory: the checkpoint directory.
    /// - Throws: `ModelError.io` if writing fails.
    public static func writeOptimizerState(
        stepCount: Int, firstMoment: FloatBuffer, secondMoment: FloatBuffer, to directory: String
    ) throws(ModelError) {
        precondition(stepCount >= 0, "stepCount must be non-negative, got \(stepCount)")
        precondition(
            firstMoment.count == secondMoment.count,
            "moments have \(firstMoment.count) and \(secondMoment.count) values")
        try createDirectory(directory)
        var writer = SafetensorsWriter(metadata: [
            "format": optimizerFormat, "format_version": formatVersion, "step": String(stepCount),
        ])
        writer.append("m", shape: [firstMoment.count], from: firstMoment)
        writer.append("v", shape: [secondMoment.count], from: secondMoment)
        try writer.write(to: directory + "/" + optimizerFileName)
    }

    /// Reads `optimizer.safetensors` from `directory`, checking it matches `parameterCount`.
    /// - Parameters:
    ///   - directory: the checkpoint directory.
    ///   - parameterCount: number of parameters of the model the state belongs to.
    /// - Returns: the step count and both moments.
    /// - Throws: `ModelError.invalidCheckpoint` if the file is missing, malformed, of another format,
    ///   or sized for another model; `ModelError.io` if it cannot be read.
    public static func readOptimizerState(
        from directory: String, parameterCount: Int
    ) throws(ModelError)
        -> OptimizerState
    {
        let file = try SafetensorsFile(path: directory + "/" + optimizerFileName)
        func invalid(_ reason: String) -> ModelError { .invalidCheckpoint(path: file.path, reason: reason) }
        guard file.metadata["format"] == optimizerFormat else {
            let found = file.metadata["format"].map { "\"\($0)\"" } ?? "missing"
            throw invalid("not a vr optimizer state: format is \(found), expected \"\(optimizerFormat)\"")
        }
        guard file.metadata["format_version"] == formatVersion else {
            let found = file.metadata["format_version"].map { "\"\($0)\"" } ?? "missing"
            throw invalid("format_version is \(found); this build reads version \(formatVersion)")
        }
        guard let text = file.metadata["step"], let stepCount = Int(text), stepCount >= 0 else {
            let found = file.metadata["step"].map { "\"\($0)\"" } ?? "missing"
            throw invalid("step metadata is \(found), expected a non-negative integer")
        }
        var moments: [FloatBuffer] = []
        for name in ["m", "v"] {
            guard let tensor = file.tensor(named: name) else { throw invalid("missing tensor '\(name)'") }
            guard tensor.dtype == .f32, tensor.shape == [parameterCount] else {
                throw invalid(
                    "tensor '\(name)' is \(tensor.dtype.rawValue) \(tensor.shape), expected F32 [\(parameterCount)]")
            }
            let moment = FloatBuffer(count: parameterCount)
            try file.copyFloats(named: name, into: moment.buffer)
            moments.append(moment)
        }
        if let extra = file.tensors.first(where: { $0.name != "m" && $0.name != "v" }) {
            throw invalid("unexpected tensor '\(extra.name)'")
        }
        return OptimizerState(stepCount: stepCount, firstMoment: moments[0], secondMoment: moments[1])
    }
}
