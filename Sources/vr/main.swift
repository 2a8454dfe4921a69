import VRBench
import VRTensor

let benchmarks = Benchmarks(repeats: 2, trainingSteps: 3)
print("threads", ComputePool.shared.threadCount, "sgemm", benchmarks.sgemmPeak())
for reference in [ReferenceConfiguration.small(vocabularySize: 268), .medium(vocabularySize: 268)] {
    let training = try benchmarks.training(reference)
    let sampling = try benchmarks.sampling(reference)
    print(reference.name, training, sampling)
}
