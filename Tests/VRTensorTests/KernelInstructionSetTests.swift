import Testing
import VRTensor

@Suite("kernel versions")
struct KernelInstructionSetTests {
    @Test("the widest version this machine runs is active from the start, and every build has one")
    func widestIsActive() {
        let supported = KernelInstructionSet.supported
        #expect(!supported.isEmpty)
        #expect(KernelInstructionSet.active == supported.last)
        #if arch(x86_64)
            #expect(supported.first == .baseline)
            #expect(!KernelInstructionSet.neon.isSupported)
        #elseif arch(arm64)
            #expect(supported == [.neon])
        #endif
    }

    @Test("VR_KERNELS: absent or naming the active version changes nothing; other names are refused with what runs")
    func selectsFromEnvironment() throws {
        let active = KernelInstructionSet.active
        let supported = KernelInstructionSet.supported
        try KernelInstructionSet.selectFromEnvironment([:])
        try KernelInstructionSet.selectFromEnvironment(["VR_KERNELS": active.rawValue])
        #expect(KernelInstructionSet.active == active)
        #expect(throws: KernelSelectionError.unknown("avx3", supported: supported)) {
            try KernelInstructionSet.selectFromEnvironment(["VR_KERNELS": "avx3"])
        }
        for missing in KernelInstructionSet.allCases where !missing.isSupported {
            #expect(throws: KernelSelectionError.unsupported(missing, supported: supported)) {
                try KernelInstructionSet.selectFromEnvironment(["VR_KERNELS": missing.rawValue])
            }
        }
        #expect(KernelInstructionSet.active == active)
        #expect(
            KernelSelectionError.unknown("avx3", supported: [.baseline, .avx2]).description
                == "VR_KERNELS=avx3 names no kernel version; this machine runs baseline, avx2")
        #expect(
            KernelSelectionError.unsupported(.neon, supported: [.baseline]).description
                == "the neon kernels cannot run here (this build for this CPU has baseline)")
    }
}
