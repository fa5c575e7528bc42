import FreshetCore
import FreshetPlanner
import FreshetSQL

/// A bound statement, ready to execute.
enum StatementPlan {
    case query(QueryPlan)
    case insert(InsertPlan)
    case createStream(CreateStream)
    case createTable(CreateTable)
    /// UPDATE / DELETE on a reference table.
    case modify(ModifyPlan)
    /// EXPLAIN: the plan, one line a row.
    case explain([String])
    case drop(Drop)
    case alterStream(AlterStream)
    case createPump(CreatePump)
    case alterPump(AlterPump)
    case copyFrom(CopyFromPlan)
    case copyTo(CopyToPlan)
    case set(name: String, value: String?)
    case show(String?)
    case transaction(TransactionStatement)
    case canned(PsqlCatalogQueries.Answer)
    case declareCursor(name: String, query: QueryPlan, withHold: Bool)
    /// count nil: ALL. timeout: microseconds a FETCH on a continuous query waits for `count` rows.
    case fetch(name: String, count: Int64?, timeoutMicros: Int64?, columns: [ResultColumn])
    case closeCursor(String?)
    /// CREATE [OR REPLACE] FUNCTION, checked: the definition to store.
    case createFunction(FunctionDefinition, orReplace: Bool)
    case empty
}

/// COPY target FROM STDIN.
struct CopyFromPlan {
    var target: RelationDescriptor
    /// Target user column for each field of an input line.
    var fieldColumns: [Int]
    var format: CopyOptions
}

/// COPY source TO STDOUT.
struct CopyToPlan {
    var query: QueryPlan
    var format: CopyOptions
}

/// COPY's format options.
struct CopyOptions {
    enum Format: String { case text, csv }
    var format: Format = .text
    var header = false
    var delimiter: UInt8 = 0x09
    var null = "\\N"
    var quote: UInt8 = 0x22
    var escape: UInt8 = 0x22

    static func from(_ options: [OptionAssignment]) throws -> CopyOptions {
        var o = CopyOptions()
        var explicitNull: String?
        var explicitDelimiter: UInt8?
        for opt in options {
            let name = opt.name.value.lowercased()
            let value: String? = try opt.value.map { try CopyOptions.optionText($0) }
            switch name {
            case "format":
                guard let v = value?.lowercased(), let f = Format(rawValue: v) else {
                    if value?.lowercased() == "binary" { throw FreshetError(.featureNotSupported, "COPY format \"binary\" is not supported yet") }
                    throw FreshetError(.invalidParameterValue, "COPY format \"\(value ?? "")\" not recognized", hint: "Use text or csv.")
                }
                o.format = f
            case "csv": o.format = .csv
            case "text": o.format = .text
            case "binary": throw FreshetError(.featureNotSupported, "COPY format \"binary\" is not supported yet")
            case "header":
                switch value?.lowercased() {
                case nil, "true", "on", "1", "match": o.header = true
                case "false", "off", "0": o.header = false
                default: throw FreshetError(.invalidParameterValue, "header requires a Boolean value or \"match\"")
                }
            case "delimiter":
                guard let v = value, v.utf8.count == 1 else {
                    throw FreshetError(.invalidParameterValue, "COPY delimiter must be a single one-byte character")
                }
                explicitDelimiter = v.utf8.first!
            case "null":
                explicitNull = value ?? ""
            case "quote":
                guard let v = value, v.utf8.count == 1 else { throw FreshetError(.invalidParameterValue, "COPY quote must be a single one-byte character") }
                o.quote = v.utf8.first!
            case "escape":
                guard let v = value, v.utf8.count == 1 else { throw FreshetError(.invalidParameterValue, "COPY escape must be a single one-byte character") }
                o.escape = v.utf8.first!
            case "encoding":
                guard let v = value?.uppercased().replacingOccurrences(of: "-", with: ""), v == "UTF8" else {
                    throw FreshetError(.featureNotSupported, "COPY supports only the UTF8 encoding")
                }
            case "freeze", "force_not_null", "force_null", "force_quote":
                break
            default:
                throw FreshetError(.syntaxError, "option \"\(name)\" not recognized")
            }
        }
        if o.format == .csv {
            o.delimiter = explicitDelimiter ?? 0x2C
            o.null = explicitNull ?? ""
        } else {
            o.delimiter = explicitDelimiter ?? 0x09
            o.null = explicitNull ?? "\\N"
        }
        return o
    }

    static func optionText(_ e: FreshetSQL.Expression) throws -> String {
        switch e.kind {
        case .literal(.string(let s)): return s
        case .literal(.boolean(let b)): return b ? "true" : "false"
        case .literal(.integer(let s)), .literal(.decimal(let s)): return s
        case .column(let n): return n.description
        default: throw FreshetError(.syntaxError, "option values must be literals or words")
        }
    }
}

import Foundation
