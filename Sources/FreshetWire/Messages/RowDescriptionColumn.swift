import FreshetCore
import FreshetEngine

/// One field of a RowDescription message ('T', protocol §55.7).
struct RowDescriptionColumn: Hashable, Sendable {
    var name: String
    var tableOID: UInt32
    var columnNumber: Int16
    var typeOID: UInt32
    var typeSize: Int16
    var typeModifier: Int32
    var format: FormatCode

    init(name: String, tableOID: UInt32 = 0, columnNumber: Int16 = 0, typeOID: UInt32,
         typeSize: Int16, typeModifier: Int32 = -1, format: FormatCode = .text) {
        self.name = name
        self.tableOID = tableOID
        self.columnNumber = columnNumber
        self.typeOID = typeOID
        self.typeSize = typeSize
        self.typeModifier = typeModifier
        self.format = format
    }

    /// The description of an Engine result column sent in `format`.
    init(_ column: ResultColumn, format: FormatCode) {
        self.init(name: column.name, tableOID: column.tableOID, columnNumber: column.columnNumber,
                  typeOID: column.type.pgOID, typeSize: column.type.pgTypeLength,
                  typeModifier: column.type.pgTypeModifier, format: format)
    }
}
