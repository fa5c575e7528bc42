import Foundation
import Testing
@testable import FreshetSQL

/// Keeps grammar/ (the reference documents) and the Swift sources in step.
@Suite("Grammar files")
struct GrammarFileTests {
    /// The package root, found from this file's path (Tests/FreshetSQLTests/…).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func lines(_ path: String) throws -> [String] {
        try read(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: keywords.txt

    @Test func keywordsFileMatchesKeywordEnum() throws {
        var fromFile: [String: Bool] = [:]
        for line in try Self.lines("grammar/keywords.txt") where !line.hasPrefix("#") && !line.isEmpty {
            let fields = line.split(separator: " ")
            try #require(fields.count == 2, "malformed line: \(line)")
            #expect(fields[1] == "reserved" || fields[1] == "unreserved", "\(line)")
            #expect(fromFile[String(fields[0])] == nil, "duplicate keyword \(fields[0])")
            fromFile[String(fields[0])] = fields[1] == "reserved"
        }
        var fromEnum: [String: Bool] = [:]
        for keyword in Keyword.allCases { fromEnum[keyword.rawValue] = keyword.isReserved }
        #expect(Set(fromFile.keys).subtracting(fromEnum.keys).isEmpty, "in keywords.txt only: \(Set(fromFile.keys).subtracting(fromEnum.keys))")
        #expect(Set(fromEnum.keys).subtracting(fromFile.keys).isEmpty, "in Keyword.swift only: \(Set(fromEnum.keys).subtracting(fromFile.keys))")
        for (word, reserved) in fromFile where fromEnum[word] != nil {
            #expect(fromEnum[word] == reserved, "\(word) is \(reserved ? "reserved" : "unreserved") in keywords.txt")
        }
    }

    @Test func reservedKeywordsNeedQuotesUnreservedDoNot() throws {
        for keyword in Keyword.allCases {
            let word = keyword.rawValue.lowercased()
            if keyword.isReserved {
                #expect(throws: SQLSyntaxError.self, "reserved \(word) accepted as a name") {
                    try Parser.parseStatement("CREATE STREAM \(word) (a INT)")
                }
                // Quoted, any keyword is a name.
                #expect(throws: Never.self) { try Parser.parseStatement("CREATE STREAM \"\(word)\" (\"\(word)\" INT)") }
                #expect(SQLPrinter.quoteIdentifierIfNeeded(word) == "\"\(word)\"")
            } else {
                #expect(throws: Never.self, "unreserved \(word) is not usable as a name") {
                    _ = try Parser.parseStatement("CREATE STREAM \(word) (\(word) INT)")
                    _ = try Parser.parseStatement("SELECT \(word) FROM \(word)")
                }
                #expect(SQLPrinter.quoteIdentifierIfNeeded(word) == word)
            }
        }
    }

    // MARK: precedence.md

    @Test func precedenceTableMatchesEnum() throws {
        var levels: [String] = []
        var inTable = false
        for line in try Self.lines("grammar/precedence.md") {
            if line.hasPrefix("| level |") {
                inTable = true
                continue
            }
            guard inTable else { continue }
            if !line.hasPrefix("|") { break }
            if line.hasPrefix("|---") { continue }
            let cell = line.split(separator: "|", omittingEmptySubsequences: true).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if let cell { levels.append(cell) }
        }
        #expect(levels == Precedence.allCases.map { "\($0)" })
    }

    // MARK: freshet.ebnf

    struct Rule {
        var name: String
        var file: String
        var function: String
        var statements: [String] = []
        var expressions: [String] = []
        var types: [String] = []
    }

    static func rules() throws -> [Rule] {
        var rules: [Rule] = []
        var pending: Rule?
        for line in try lines("grammar/freshet.ebnf") {
            if line.hasPrefix("-- function: ") {
                let fields = line.dropFirst("-- function: ".count).split(separator: " ")
                pending = Rule(name: "", file: fields.first.map(String.init) ?? "", function: fields.count > 1 ? String(fields[1]) : "")
            } else if line.hasPrefix("-- example: ") {
                pending?.statements.append(String(line.dropFirst("-- example: ".count)))
            } else if line.hasPrefix("-- example-expression: ") {
                pending?.expressions.append(String(line.dropFirst("-- example-expression: ".count)))
            } else if line.hasPrefix("-- example-type: ") {
                pending?.types.append(String(line.dropFirst("-- example-type: ".count)))
            } else if let range = line.range(of: " ::= "), var rule = pending {
                rule.name = String(line[..<range.lowerBound])
                rules.append(rule)
                pending = nil
            }
        }
        return rules
    }

    @Test func everyRuleNamesAnExistingFunction() throws {
        let rules = try Self.rules()
        #expect(rules.count >= 60)
        for rule in rules {
            let directory = rule.file.hasPrefix("Lexer") ? "Lexer" : "Parser"
            let source = try? Self.read("Sources/FreshetSQL/\(directory)/\(rule.file)")
            #expect(source != nil, "\(rule.name): no file \(rule.file)")
            #expect(source?.contains("func \(rule.function)(") == true, "\(rule.name): \(rule.function) not in \(rule.file)")
            #expect(!(rule.statements.isEmpty && rule.expressions.isEmpty && rule.types.isEmpty), "\(rule.name) has no example")
        }
    }

    @Test func everyGrammarExampleParsesAndRoundTrips() throws {
        var count = 0
        for rule in try Self.rules() {
            for sql in rule.statements {
                count += 1
                do {
                    let statements = try Parser.parseStatements(sql)
                    #expect(!statements.isEmpty)
                    for statement in statements {
                        #expect(try Parser.parseStatement(SQLPrinter.print(statement)) == statement, "\(rule.name): \(sql)")
                    }
                } catch {
                    Issue.record("\(rule.name): \(sql)\n\(error)")
                }
            }
            for sql in rule.expressions {
                count += 1
                do {
                    let expression = try Parser.parseExpression(sql)
                    #expect(try Parser.parseExpression(SQLPrinter.print(expression)) == expression, "\(rule.name): \(sql)")
                } catch {
                    Issue.record("\(rule.name): \(sql)\n\(error)")
                }
            }
            for sql in rule.types {
                count += 1
                do {
                    let type = try Parser.parseDataType(sql)
                    #expect(try Parser.parseDataType(SQLPrinter.print(type)) == type, "\(rule.name): \(sql)")
                } catch {
                    Issue.record("\(rule.name): \(sql)\n\(error)")
                }
            }
        }
        #expect(count >= 100)
    }
}
