import Foundation
import Testing

@testable import CofferCore

@Suite("Timestamp RFC 3339")
struct TimestampTests {
    static let known: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (999, "1970-01-01T00:00:00.999Z"),
        (1_700_000_000_123, "2023-11-14T22:13:20.123Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_795_885_200_000, "2026-11-28T17:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-1000, "1969-12-31T23:59:59.000Z"),
        (-86_400_000, "1969-12-31T00:00:00.000Z"),
        (-86_400_001, "1969-12-30T23:59:59.999Z"),
        (-2_208_988_800_000, "1900-01-01T00:00:00.000Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ]

    @Test("formats UTC with exactly three fractional digits", arguments: known)
    func formats(_ milliseconds: Int64, _ text: String) {
        #expect(Timestamp(millisecondsSinceEpoch: milliseconds).rfc3339 == text)
        #expect(Timestamp(millisecondsSinceEpoch: milliseconds).description == text)
    }

    @Test("parses what it formats", arguments: known)
    func roundTrips(_ milliseconds: Int64, _ text: String) {
        #expect(Timestamp(rfc3339: text)?.millisecondsSinceEpoch == milliseconds)
    }

    static let parsed: [(String, Int64)] = [
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01t00:00:00z", 0),
        ("1970-01-01T00:00:00.5Z", 500),
        ("1970-01-01T00:00:00.05Z", 50),
        ("1970-01-01T00:00:00.123456789Z", 123),
        ("1970-01-01T00:00:00.1239Z", 123),
        ("1970-01-01T02:00:00+02:00", 0),
        ("1970-01-01T00:00:00.250+00:00", 250),
        ("1970-01-01T00:00:00-00:00", 0),
        ("1969-12-31T19:00:00-05:00", 0),
        ("1970-01-01T05:30:00.001+05:30", 1),
        ("2026-11-28T18:00:00.000+01:00", 1_795_885_200_000),
        ("2026-11-28T12:15:00-04:45", 1_795_885_200_000),
        ("1969-12-31T23:59:59.999Z", -1),
        ("1969-12-31T23:59:59.9999Z", -1),
    ]

    @Test("parses offsets and fractions", arguments: parsed)
    func parses(_ text: String, _ milliseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.millisecondsSinceEpoch == milliseconds)
    }

    @Test(
        "refuses text that is not RFC 3339",
        arguments: [
            "", "1970-01-01", "1970-01-01T00:00:00", "1970-01-01T00:00Z", "1970-01-01 00:00:00Z", "1970-13-01T00:00:00Z",
            "1970-00-01T00:00:00Z", "1970-01-00T00:00:00Z", "1970-01-32T00:00:00Z", "1970-01-01T24:00:00Z", "1970-01-01T00:60:00Z",
            "1970-01-01T00:00:00.Z", "1970-01-01T00:00:00+0200", "1970-01-01T00:00:00+02", "1970-01-01T00:00:00Z ",
            "1970-01-01T00:00:00ZZ", "1970-01-01T00:00:00.000+02:00x", "70-01-01T00:00:00Z", "1970/01/01T00:00:00Z",
            "1970-01-01T00:00:00,5Z", "+1970-01-01T00:00:00Z", "1970-01-01T0a:00:00Z", "1970-01-01T00:00:00.000UTC",
            "2026-02-31T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "1970-01-01T00:00:60Z",
            "1970-01-01T00:00:00+24:00", "1970-01-01T00:00:00+01:60",
        ]
    )
    func refuses(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("Codable writes and reads the RFC 3339 string")
    func codable() throws {
        let stamp = Timestamp(millisecondsSinceEpoch: 1_700_000_000_123)
        let data = try JSONEncoder().encode([stamp])
        #expect(String(decoding: data, as: UTF8.self) == #"["2023-11-14T22:13:20.123Z"]"#)
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == [stamp])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Timestamp].self, from: Data(#"["yesterday"]"#.utf8)) }
    }

    @Test("advanced(pastOrAt:) never goes back or repeats")
    func advanced() {
        let early = Timestamp(millisecondsSinceEpoch: 10)
        let late = Timestamp(millisecondsSinceEpoch: 20)
        #expect(late.advanced(pastOrAt: early) == late)
        #expect(early.advanced(pastOrAt: late).millisecondsSinceEpoch == 21)
        #expect(late.advanced(pastOrAt: late).millisecondsSinceEpoch == 21)
        #expect(early < late)
    }

    @Test("now() formats and parses back to itself")
    func now() {
        let stamp = Timestamp.now()
        #expect(Timestamp(rfc3339: stamp.rfc3339) == stamp)
        #expect(stamp.millisecondsSinceEpoch > 1_700_000_000_000)
    }
}
