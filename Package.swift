// swift-tools-version:6.2
// VariationalReasoning: variational reasoning for language models, as a distributed training service.
import PackageDescription

/// Settings shared by every first-party Swift target.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

/// The kernels use 16-lane SIMD; on x86-64 they are compiled for AVX2 + FMA (x86-64-v3, any x86 CPU since
/// 2013-2015), which roughly doubles their speed over the SSE2 baseline.
#if arch(x86_64)
    let kernelSettings = strict + [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
#else
    let kernelSettings = strict
#endif

let package = Package(
    name: "VariationalReasoning",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vr", targets: ["vr"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Without its default traits, Hummingbird does not pull in swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(
            name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "CKernels"),
        .target(name: "VRCore", swiftSettings: strict),
        .target(name: "VRRecords", dependencies: ["VRCore"], swiftSettings: strict),
        .target(name: "VRTensor", dependencies: ["VRCore", "CBLAS", "CKernels"], swiftSettings: kernelSettings),
        .target(name: "VRText", dependencies: ["VRCore", "VRGGUF"], swiftSettings: strict),
        .target(name: "VRGGUF", swiftSettings: strict),
        .target(name: "VRModel", dependencies: ["VRCore", "VRTensor", "VRGGUF"], swiftSettings: strict),
        .target(
            name: "VRWire", dependencies: ["VRCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strict),
        .target(name: "CWireInterop", linkerSettings: [.linkedLibrary("protobuf-c")]),
        .target(name: "VRTransport", dependencies: ["VRCore"], swiftSettings: strict),
        .target(name: "VRZMQ", dependencies: ["VRCore", "CZeroMQ", "VRTransport"], swiftSettings: strict),
        .target(name: "VRMPI", dependencies: ["CMPI", "VRTransport"], swiftSettings: strict),
        .target(
            name: "VRTraining", dependencies: ["VRCore", "VRModel", "VRTensor", "VRText", "VRObjectives"],
            swiftSettings: strict),
        .target(name: "VRObjectives", swiftSettings: strict),
        .target(name: "VRTasks", dependencies: ["VRCore", "VRText"], swiftSettings: strict),
        .target(
            name: "VRLearner",
            dependencies: [
                "VRRecords", "VRCore", "VRModel", "VRObjectives", "VRTasks", "VRText", "VRTransport", "VRWire",
            ],
            swiftSettings: strict),
        .target(
            name: "VRWorker",
            dependencies: [
                "VRRecords",
                "VRCore", "VRModel", "VRObjectives", "VRTasks", "VRText", "VRTransport", "VRWire",
            ],
            swiftSettings: strict),
        .target(
            name: "VRBench", dependencies: ["VRCore", "VRModel", "VRTensor", "VRTransport", "VRZMQ", "CZeroMQ"],
            swiftSettings: strict),
        .target(name: "VRReport", dependencies: ["VRCore", "VRRecords"], swiftSettings: strict),
        .target(
            name: "VRExperiment",
            dependencies: [
                "VRCore", "VRRecords", "VRLearner", "VRModel", "VRObjectives", "VRTasks", "VRTensor", "VRText",
                "VRTraining", "VRTransport", "VRWire", "VRWorker",
            ],
            swiftSettings: strict),
        .target(
            name: "VRObservability",
            dependencies: [
                "VRRecords",
                "VRCore",
                "VRLearner", "VRWorker",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .target(
            name: "VRTestSupport", dependencies: ["VRCore", "VRModel", "VRTasks", "VRTensor", "VRText", "VRTransport"],
            swiftSettings: strict),
        .executableTarget(
            name: "vr",
            dependencies: [
                "VRRecords",
                "VRCore", "VRBench", "VRTraining", "VRModel", "VRText", "VRTensor", "VRZMQ", "VRObjectives", "VRTasks",
                "VRLearner", "VRWorker", "VRWire", "VRTransport", "VRReport", "VRExperiment", "VRObservability",
                "VRMPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "VRTensorTests", dependencies: ["VRCore", "VRTensor", "VRTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "VRTextTests", dependencies: ["VRText", "VRGGUF"], resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "VRGGUFTests", dependencies: ["VRGGUF"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "VRModelTests", dependencies: ["VRCore", "VRModel", "VRTensor", "VRTestSupport", "VRBench"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "VRZMQTests", dependencies: ["VRZMQ", "VRTransport", "VRTestSupport", "VRBench"],
            swiftSettings: strict),
        .testTarget(
            name: "VRWireTests",
            dependencies: [
                "VRCore", "VRWire", "CWireInterop", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "VRTransportTests", dependencies: ["VRTransport", "VRZMQ", "VRTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "VRLearnerTests",
            dependencies: [
                "VRRecords",
                "VRCore", "VRLearner", "VRModel", "VRObjectives", "VRTensor", "VRTasks", "VRWire", "VRTransport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "VRWorkerTests",
            dependencies: [
                "VRRecords",
                "VRCore",
                "VRWorker", "VRModel", "VRTasks", "VRTensor", "VRText", "VRWire", "VRTransport", "VRTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "VRRecords",
                "VRCore",
                "VRLearner", "VRWorker", "VRModel", "VRTasks", "VRTensor", "VRText", "VRTransport", "VRWire",
                "VRZMQ", "VRTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "VRReportTests", dependencies: ["VRCore", "VRRecords", "VRReport", "VRLearner", "VRWorker"],
            swiftSettings: strict),
        .testTarget(
            name: "VRExperimentTests",
            dependencies: ["VRExperiment", "VRLearner", "VRObjectives", "VRRecords", "VRTasks", "VRWire", "VRWorker"],
            swiftSettings: strict),
        .testTarget(
            name: "VRObservabilityTests", dependencies: ["VRObservability", "VRLearner", "VRRecords", "VRWorker"],
            swiftSettings: strict),
        .testTarget(name: "VRObjectivesTests", dependencies: ["VRCore", "VRObjectives"], swiftSettings: strict),
        .testTarget(name: "VRTasksTests", dependencies: ["VRTasks", "VRText"], swiftSettings: strict),
        .testTarget(
            name: "VRTrainingTests", dependencies: ["VRCore", "VRTraining", "VRModel", "VRObjectives", "VRText"],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
