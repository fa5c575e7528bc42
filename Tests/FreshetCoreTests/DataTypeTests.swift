import Testing
@testable import FreshetCore

@Suite struct DataTypeTests {
    @Test func oidsRoundTrip() {
        for t: DataType in [.boolean, .smallint, .integer, .bigint, .real, .double, .bytea, .date, .time, .timestamp, .interval, .text] {
            #expect(DataType(pgOID: t.pgOID) == t)
        }
    }
    @Test func typeModifiers() {
        #expect(DataType.varchar(64).pgTypeModifier == 68)
        #expect(DataType.decimal(precision: 10, scale: 2).pgTypeModifier == (10 << 16 | 2) + 4)
        #expect(DataType.integer.pgTypeModifier == -1)
    }
}
