import PropertyBased
import Testing

@testable import CofferCore

@Suite("Timestamp and JSON properties")
struct CodecPropertyTests {
    /// 0001-01-01T00:00:00.000Z ... 9999-12-31T23:59:59.999Z, the years RFC 3339 can write.
    static let representable: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    @Test("formatting then parsing gives back the same millisecond")
    func timestampRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int64(in: Self.representable)) { milliseconds in
            let stamp = Timestamp(millisecondsSinceEpoch: milliseconds)
            let text = stamp.rfc3339
            #expect(text.utf8.count == 24)
            #expect(text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            #expect(Timestamp(rfc3339: text) == stamp)
        }
    }

    @Test("timestamps near the epoch round trip and keep their order")
    func timestampsNearEpoch() async {
        await propertyCheck(count: 300, input: Gen.int64(in: -100_000_000_000...100_000_000_000), Gen.int64(in: 0...100_000)) { base, step in
            let earlier = Timestamp(millisecondsSinceEpoch: base)
            let later = Timestamp(millisecondsSinceEpoch: base + step)
            #expect(Timestamp(rfc3339: earlier.rfc3339) == earlier)
            #expect(earlier.rfc3339 <= later.rfc3339)
        }
    }

    @Test("the same instant written with any offset parses to the same millisecond")
    func timestampOffsets() async {
        let inner = (Self.representable.lowerBound + 86_400_000)...(Self.representable.upperBound - 86_400_000)
        await propertyCheck(count: 300, input: Gen.int64(in: inner), Gen.int64(in: -(23 * 60 + 59)...(23 * 60 + 59))) { milliseconds, offset in
            let local = Timestamp(millisecondsSinceEpoch: milliseconds + offset * 60_000).rfc3339
            let magnitude = abs(offset)
            let zone = (offset < 0 ? "-" : "+") + pad2(magnitude / 60) + ":" + pad2(magnitude % 60)
            let text = String(local.dropLast()) + zone
            #expect(Timestamp(rfc3339: text)?.millisecondsSinceEpoch == milliseconds)
        }
    }

    @Test("extra fractional digits are truncated to milliseconds")
    func timestampFractions() async {
        await propertyCheck(input: Gen.int64(in: Self.representable), Gen.int(in: 0...999_999)) { milliseconds, extra in
            let base = Timestamp(millisecondsSinceEpoch: milliseconds).rfc3339
            let text = String(base.dropLast()) + String(extra) + "Z"
            #expect(Timestamp(rfc3339: text)?.millisecondsSinceEpoch == milliseconds)
        }
    }

    @Test("strings of arbitrary Unicode scalars round trip when written with escapes")
    func escapedStringsRoundTrip() async {
        await propertyCheck(count: 500, input: Generators.anyString) { text in
            let parsed = try JSONParser().parse(Array(jsonQuoted(text).utf8))
            guard case .string(let result) = parsed else { throw TestFailure("not a string") }
            #expect(Array(result.unicodeScalars) == Array(text.unicodeScalars))
        }
    }

    @Test("strings of arbitrary Unicode scalars round trip when written as raw UTF-8")
    func rawStringsRoundTrip() async {
        await propertyCheck(count: 500, input: Generators.anyString) { text in
            var json = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": json += "\\\""
                case "\\": json += "\\\\"
                case _ where scalar.value < 0x20: json += controlEscape(scalar.value)
                default: json.unicodeScalars.append(scalar)
                }
            }
            json += "\""
            let parsed = try JSONParser().parse(Array(json.utf8))
            guard case .string(let result) = parsed else { throw TestFailure("not a string") }
            #expect(Array(result.unicodeScalars) == Array(text.unicodeScalars))
        }
    }

    @Test("member names of arbitrary scalars round trip and keep their order")
    func memberNamesRoundTrip() async {
        await propertyCheck(count: 200, input: Generators.anyString, Generators.anyString) { first, second in
            let json = "{\(jsonQuoted(first)): 1, \(jsonQuoted(second + "\u{0}")): [\(jsonQuoted(first))]}"
            let parsed = try JSONParser().parse(Array(json.utf8))
            guard case .object(let members) = parsed else { throw TestFailure("not an object") }
            #expect(members.map { Array($0.0.unicodeScalars) } == [Array(first.unicodeScalars), Array((second + "\u{0}").unicodeScalars)])
        }
    }

    @Test("number literals from the JSON grammar are kept as written")
    func numberLiteralsKept() async {
        let parts = zip(Gen.bool, Gen.int(in: 0...Int.max), Gen.int(in: 0...999).optional, Gen.int(in: -400...400).optional)
        await propertyCheck(count: 300, input: parts, Gen.int(in: 0...2)) { parts, style in
            let (negative, whole, fraction, exponent) = parts
            var literal = (negative ? "-" : "") + String(whole)
            if let fraction { literal += "." + String(fraction) }
            if let exponent { literal += (exponent < 0 ? ["e", "E", "e"] : ["e", "E", "e+"])[style] + String(exponent) }
            let parsed = try JSONParser().parse(Array(literal.utf8))
            #expect(parsed == .number(literal))
        }
    }
}

private func pad2(_ value: Int64) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}

/// `\uXXXX` for a control character.
private func controlEscape(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
}
