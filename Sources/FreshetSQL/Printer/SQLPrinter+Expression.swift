/// Expressions, parenthesised exactly where the parser's precedence table
/// (`Precedence.swift`) would otherwise read them differently.
extension SQLPrinter {
    mutating func write(_ expression: Expression) {
        write(expression, minimum: .lowest)
    }

    mutating func write(_ expressions: [Expression]) {
        for (i, expression) in expressions.enumerated() {
            if i > 0 { output += ", " }
            write(expression)
        }
    }

    /// Writes `expression` so that it reads back as one operand that binds
    /// more tightly than `minimum` (what `parseSubexpression(minimum)` returns),
    /// adding parentheses otherwise.
    mutating func write(_ expression: Expression, minimum: Precedence) {
        if Precedence.of(expression.kind) <= minimum {
            output += "("
            writeBare(expression.kind)
            output += ")"
        } else {
            writeBare(expression.kind)
        }
    }

    /// The minimum for the left operand of a left-associative (or non-associative) operator at `level`.
    private func leftMinimum(_ level: Precedence) -> Precedence {
        if level.isNonAssociative { return level }
        return Precedence(rawValue: level.rawValue - 1) ?? .lowest
    }

    private mutating func writeBare(_ kind: ExpressionKind) {
        switch kind {
        case .literal(let literal):
            write(literal)
        case .column(let name):
            write(name)
        case .parameter(let number):
            output += "$\(number)"
        case .unary(let op, let operand):
            switch op {
            case .not:
                output += "NOT "
                write(operand, minimum: .not)
            case .minus, .plus, .bitwiseNot:
                output += op.rawValue
                if case .unary(let inner, _) = operand.kind, inner != .not {
                    // Prefix operators nest without parentheses (`- -x`, `~ ~x`),
                    // which would deepen the text; the space keeps `--` from
                    // starting a comment.
                    output += " "
                    writeBare(operand.kind)
                } else if needsParenthesesAfterSign(operand) {
                    output += "("
                    write(operand)
                    output += ")"
                } else {
                    write(operand, minimum: .unary)
                }
            }
        case .binary(let op, let left, let right):
            let level = Precedence.of(op)
            write(left, minimum: leftMinimum(level))
            output += " " + op.rawValue + " "
            write(right, minimum: level)
        case .function(let call):
            write(call)
        case .cast(let operand, let type, let syntax):
            switch syntax {
            case .cast:
                output += "CAST("
                write(operand)
                output += " AS "
                write(type)
                output += ")"
            case .doubleColon:
                write(operand, minimum: .unary)
                output += "::"
                write(type)
            }
        case .isNull(let operand, let negated):
            write(operand, minimum: .is)
            output += negated ? " IS NOT NULL" : " IS NULL"
        case .isBoolean(let operand, let value, let negated):
            write(operand, minimum: .is)
            output += negated ? " IS NOT " : " IS "
            switch value {
            case true?: output += "TRUE"
            case false?: output += "FALSE"
            case nil: output += "UNKNOWN"
            }
        case .between(let operand, let low, let high, let negated):
            write(operand, minimum: .like)
            output += negated ? " NOT BETWEEN " : " BETWEEN "
            write(low, minimum: .like)
            output += " AND "
            write(high, minimum: .like)
        case .inList(let operand, let list, let negated):
            write(operand, minimum: .like)
            output += negated ? " NOT IN (" : " IN ("
            write(list)
            output += ")"
        case .inSubquery(let operand, let query, let negated):
            write(operand, minimum: .like)
            output += negated ? " NOT IN (" : " IN ("
            write(query)
            output += ")"
        case .like(let operand, let pattern, let escape, let likeKind, let negated):
            write(operand, minimum: .like)
            output += negated ? " NOT " : " "
            output += likeKind.rawValue + " "
            write(pattern, minimum: .like)
            if let escape {
                output += " ESCAPE "
                write(escape, minimum: .like)
            }
        case .caseWhen(let operand, let branches, let elseResult):
            output += "CASE"
            if let operand {
                output += " "
                write(operand)
            }
            for branch in branches {
                output += " WHEN "
                write(branch.condition)
                output += " THEN "
                write(branch.result)
            }
            if let elseResult {
                output += " ELSE "
                write(elseResult)
            }
            output += " END"
        case .scalarSubquery(let query):
            output += "("
            write(query)
            output += ")"
        case .exists(let query, let negated):
            output += negated ? "NOT EXISTS (" : "EXISTS ("
            write(query)
            output += ")"
        case .extract(let field, let source):
            output += "EXTRACT("
            if !field.isEmpty && field.unicodeScalars.allSatisfy({ ($0 >= "A" && $0 <= "Z") || $0 == "_" || ($0 >= "0" && $0 <= "9") })
                && !(field.unicodeScalars.first.map { $0 >= "0" && $0 <= "9" } ?? true) {
                output += field
            } else {
                writeString(field)
            }
            output += " FROM "
            write(source)
            output += ")"
        case .floorCeilTo(let operand, let unit, let ceil):
            output += ceil ? "CEIL(" : "FLOOR("
            write(operand)
            output += " TO " + unit.rawValue + ")"
        case .step(let operand, let width):
            output += "STEP("
            write(operand)
            output += " BY "
            write(width)
            output += ")"
        case .row(let elements):
            output += elements.count < 2 ? "ROW(" : "("
            write(elements)
            output += ")"
        case .specialFunction(let name, let arguments, let keywordForm):
            writeSpecialFunction(name: name, arguments: arguments, keywordForm: keywordForm)
        case .collate(let operand, let collation):
            write(operand, minimum: .atTimeZone)
            output += " COLLATE "
            write(collation)
        case .array(let elements):
            output += "ARRAY["
            write(elements)
            output += "]"
        case .subscript(let base, let index):
            // PostgreSQL subscripts only names, calls and parenthesised expressions.
            switch base.kind {
            case .column, .parameter, .subscript, .function:
                write(base, minimum: .cast)
            default:
                output += "("
                write(base)
                output += ")"
            }
            output += "["
            write(index)
            output += "]"
        case .cursor(let query):
            output += "CURSOR("
            write(query)
            output += ")"
        case .quantified(let left, let op, let quantifier, let operand):
            write(left, minimum: leftMinimum(Precedence.of(op)))
            output += " " + op.rawValue + " " + quantifier.rawValue + " ("
            write(operand)
            output += ")"
        case .quantifiedSubquery(let left, let op, let quantifier, let query):
            write(left, minimum: leftMinimum(Precedence.of(op)))
            output += " " + op.rawValue + " " + quantifier.rawValue + " ("
            write(query)
            output += ")"
        case .arraySubquery(let query):
            output += "ARRAY("
            write(query)
            output += ")"
        case .atTimeZone(let operand, let zone):
            write(operand, minimum: leftMinimum(.atTimeZone))
            output += " AT TIME ZONE "
            write(zone, minimum: .atTimeZone)
        case .defaultValue:
            output += "DEFAULT"
        }
    }

    /// `- -1` must not print as the comment `--1`.
    private func needsParenthesesAfterSign(_ operand: Expression) -> Bool {
        switch operand.kind {
        case .literal(.integer(let text)), .literal(.decimal(let text)):
            return text.hasPrefix("-") || text.hasPrefix("+")
        default: return false
        }
    }

    mutating func write(_ literal: Literal) {
        switch literal {
        case .null: output += "NULL"
        case .boolean(let value): output += value ? "TRUE" : "FALSE"
        case .integer(let digits), .decimal(let digits): output += digits
        case .string(let value): writeString(value)
        case .bytes(let bytes):
            output += "X'"
            let hex: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
            for byte in bytes {
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
            output += "'"
        case .typed(let type, let value):
            write(type)
            output += " "
            writeString(value)
        case .interval(let value, let qualifier):
            output += "INTERVAL "
            writeString(value)
            if let qualifier {
                output += " "
                write(qualifier)
            }
        }
    }

    /// Names the parser reads as keyword functions (`CURRENT_TIMESTAMP`).
    private static func keywordFunction(_ name: ObjectName) -> Keyword? {
        guard name.parts.count == 1, !name.parts[0].quoted, let keyword = Keyword(lowercased: name.parts[0].value) else {
            return nil
        }
        switch keyword {
        case .currentDate, .currentTime, .currentTimestamp, .localtime, .localtimestamp, .currentUser,
             .sessionUser, .user, .currentRole, .currentCatalog, .currentSchema, .currentRowTimestamp:
            return keyword
        default:
            return nil
        }
    }

    mutating func write(_ call: FunctionCall) {
        if let keyword = SQLPrinter.keywordFunction(call.name), !call.star, !call.distinct {
            output += keyword.rawValue
            if !call.arguments.isEmpty {
                output += "("
                write(call.arguments)
                output += ")"
            }
        } else {
            write(call.name, mode: .function)
            output += "("
            if call.star {
                output += "*"
            } else {
                if call.distinct { output += "DISTINCT " }
                write(call.arguments)
            }
            output += ")"
        }
        if let filter = call.filter {
            output += " FILTER (WHERE "
            write(filter)
            output += ")"
        }
        if let over = call.over {
            output += " OVER "
            switch over {
            case .named(let name): write(name)
            case .inline(let specification): write(specification)
            }
        }
    }

    private mutating func writeSpecialFunction(name: String, arguments: [Expression], keywordForm: Bool) {
        switch name {
        case "substring":
            output += "SUBSTRING("
            if keywordForm && arguments.count >= 2 {
                write(arguments[0])
                output += " FROM "
                write(arguments[1])
                if arguments.count >= 3 {
                    output += " FOR "
                    write(arguments[2])
                }
            } else {
                write(arguments)
            }
            output += ")"
        case "position" where arguments.count == 2:
            output += "POSITION("
            write(arguments[1], minimum: .like)
            output += " IN "
            write(arguments[0], minimum: .like)
            output += ")"
        case "btrim", "ltrim", "rtrim":
            output += "TRIM("
            let direction = name == "btrim" ? "BOTH" : name == "ltrim" ? "LEADING" : "TRAILING"
            if keywordForm && !arguments.isEmpty {
                output += direction + " "
                if arguments.count >= 2 {
                    write(arguments[1])
                    output += " "
                }
                output += "FROM "
                write(arguments[0])
            } else {
                if name != "btrim" { output += direction + " " }
                write(arguments)
            }
            output += ")"
        case "overlay":
            output += "OVERLAY("
            if keywordForm && arguments.count >= 3 {
                write(arguments[0])
                output += " PLACING "
                write(arguments[1])
                output += " FROM "
                write(arguments[2])
                if arguments.count >= 4 {
                    output += " FOR "
                    write(arguments[3])
                }
            } else {
                write(arguments)
            }
            output += ")"
        default:
            write(Identifier(name), mode: .function)
            output += "("
            write(arguments)
            output += ")"
        }
    }
}
