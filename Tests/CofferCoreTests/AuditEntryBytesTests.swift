import Foundation
import Testing

@testable import CofferCore

/// The bytes an audit entry's hash covers are a stored format: chains written by any earlier release must verify, so
/// the encoding is pinned here byte for byte (a version string, then each field as a big-endian 32-bit length and its
/// UTF-8, then the previous hash).
@Suite("Audit entry chained bytes")
struct AuditEntryBytesTests {
    @Test("a versioned group change encodes as coffer-audit/v2")
    func versioned() {
        let entry = AuditEntry(
            sequence: 7,
            at: Timestamp(millisecondsSinceEpoch: 1_700_000_000_123),
            teamId: "t1",
            projectId: "p1",
            actor: "tok",
            action: .update,
            resourceType: .secret,
            resourceId: "g",
            changedKeys: ["A", "\u{E9}"],
            changedFields: ["priority"],
            version: 3,
            revision: 12,
            route: "PUT /x",
            requestId: nil,
            previousHash: Data(repeating: 0xAB, count: 32)
        )
        #expect(entry.chainedBytes.lowercaseHex == "636f666665722d61756469742f763200000001370000000d3137303030303030303031323300000002743100000002703100000003746f6b0000000675706461746500000006736563726574000000016700000006505554202f7800000001000000000132000000014100000002c3a90000000131000000087072696f726974790000000133abababababababababababababababababababababababababababababababab")
    }

    @Test("an entry without a version encodes as coffer-audit/v1, absent fields as NUL")
    func unversioned() {
        let entry = AuditEntry(
            sequence: 1,
            at: Timestamp(millisecondsSinceEpoch: -5),
            teamId: "t1",
            projectId: nil,
            actor: "system",
            action: .revoke,
            resourceType: .token,
            resourceId: "k",
            route: nil,
            requestId: "req-1",
            previousHash: Data(repeating: 0, count: 32)
        )
        #expect(entry.chainedBytes.lowercaseHex == "636f666665722d61756469742f76310000000131000000022d3500000002743100000001000000000673797374656d000000067265766f6b6500000005746f6b656e000000016b0000000100000000057265712d31000000013000000001300000000000000000000000000000000000000000000000000000000000000000")
    }
}
