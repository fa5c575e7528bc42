// The compact binary encoding of a row, as stored in the shard logs.
// STUB SIGNATURES: bodies to be completed (see the Core values task).

public enum RowCodec {
    /// Append the encoding of `row` (which matches `schema`) to `buffer`.
    public static func encode(_ row: Row, schema: Schema, into buffer: inout [UInt8]) {
        fatalError("RowCodec.encode not implemented")
    }

    /// Decode one row encoded by `encode` for the same schema. Throws FreshetError
    /// (XX001 data corrupted) when the bytes do not form a row of that schema.
    public static func decode(_ bytes: UnsafeRawBufferPointer, schema: Schema) throws -> Row {
        fatalError("RowCodec.decode not implemented")
    }
}
