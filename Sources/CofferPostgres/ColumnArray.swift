import Foundation
import PostgresNIO

/// One column of many rows as a PostgreSQL array bind, NULL elements included, so a statement can take a batch's rows as
/// `unnest($1::text[], $2::bigint[], ...)` and keep one text (and so one prepared plan) however many rows it carries.
/// postgres-nio encodes arrays of non-optional elements only, and has no `bytea[]` for `Data`.
struct ColumnArray: PostgresNonThrowingEncodable, Sendable {
    private enum Elements {
        case text([String?])
        case bigint([Int64?])
        case bytea([Data?])
    }

    private let elements: Elements

    static func text(_ values: [String?]) -> ColumnArray { ColumnArray(elements: .text(values)) }
    static func bigint(_ values: [Int64?]) -> ColumnArray { ColumnArray(elements: .bigint(values)) }
    static func bigint(_ values: [Int?]) -> ColumnArray { ColumnArray(elements: .bigint(values.map { $0.map(Int64.init) })) }
    static func bytea(_ values: [Data?]) -> ColumnArray { ColumnArray(elements: .bytea(values)) }

    // The statements cast every array bind to its type, so the statement text, not this, decides it; the instance's
    // own type is what goes on the wire.
    static var psqlType: PostgresDataType { .textArray }
    static var psqlFormat: PostgresFormat { .binary }

    var psqlType: PostgresDataType {
        switch elements {
        case .text: .textArray
        case .bigint: .int8Array
        case .bytea: .byteaArray
        }
    }

    var psqlFormat: PostgresFormat { .binary }

    /// PostgreSQL's binary array layout: dimensions, a has-nulls flag, the element type, then each element as a length
    /// (-1 for NULL) and its bytes.
    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        switch elements {
        case .text(let values):
            Self.write(values, type: .text, into: &buffer) { buffer, value in buffer.writeString(value) }
        case .bigint(let values):
            Self.write(values, type: .int8, into: &buffer) { buffer, value in buffer.writeInteger(value, as: Int64.self) }
        case .bytea(let values):
            Self.write(values, type: .bytea, into: &buffer) { buffer, value in buffer.writeBytes(value) }
        }
    }

    private static func write<Value>(
        _ values: [Value?],
        type: PostgresDataType,
        into buffer: inout ByteBuffer,
        _ writeValue: (inout ByteBuffer, Value) -> Void
    ) {
        buffer.writeInteger(values.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(values.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(type.rawValue, as: UInt32.self)
        guard !values.isEmpty else { return }
        buffer.writeInteger(Int32(values.count), as: Int32.self)
        // Lower bound of the one dimension.
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            guard let value else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            writeValue(&buffer, value)
            buffer.setInteger(Int32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex, as: Int32.self)
        }
    }
}
