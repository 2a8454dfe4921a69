import Testing
import VRZMQ

@Suite("libzmq linkage")
struct ZeroMQLibraryTests {
    @Test("links a libzmq of version 4.3 or later")
    func version() {
        let (major, minor, _) = ZeroMQLibrary.version
        #expect(major == 4)
        #expect(minor >= 3)
        #expect(ZeroMQLibrary.versionString.hasPrefix("4."))
    }

    @Test("the library has CURVE security and rejects unknown capabilities")
    func capabilities() {
        #expect(ZeroMQLibrary.has("curve"))
        #expect(!ZeroMQLibrary.has("no-such-capability"))
    }
}
