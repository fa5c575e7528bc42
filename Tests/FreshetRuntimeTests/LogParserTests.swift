import FreshetCore
import FreshetPlanner
@testable import FreshetRuntime
import Testing

/// The log-line parsers behind the row-valued log-parsing functions.
@Suite struct LogParserTests {
    func parser(_ function: String, _ args: [String]) throws -> LogParser {
        // 2026-06-01 00:00:00 UTC: syslog lines are read in 2026.
        try LogParser(spec: try LogParseSpec.make(function: function, arguments: args), statementTime: 1_780_272_000_000_000)
    }

    @Test func commonLogFormat() throws {
        let p = try parser("w3c_log_parse", ["COMMON"])
        let f = try #require(p.parse(#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a\"b HTTP/1.0" 200 2326"#))
        #expect(f == [.string("127.0.0.1"), .string("-"), .string("frank"), .string("10/Oct/2000:13:55:36 -0700"),
                      .string(#"GET /a\"b HTTP/1.0"#), .int(200), .int(2326)])
        #expect(p.parse("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200") == nil)   // a field short
        #expect(p.parse("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1 extra") == nil)
        #expect(p.parse("") == nil)
        // A status that is not a number is NULL alone.
        #expect(p.parse("h - - [t] \"r\" OK 5")?[5] == .null)
    }

    @Test func regexNeedsAWholeMatch() throws {
        let p = try parser("regex_log_parse", [#"(\w+)=(\d+)"#])
        #expect(p.parse("a=12") == [.string("a"), .string("12")])
        #expect(p.parse("a=12 tail") == nil)
    }

    @Test func variableColumnsWithQuotesAndEscapes() throws {
        let p = try parser("variable_column_log_parse", ["3", ",", "\\", "\""])
        #expect(p.parse(#"a\,b,"c,d",e,f"#) == [.string("a,b"), .string("c,d"), .string("e")])
        let multi = try parser("variable_column_log_parse", ["2", "::"])
        #expect(multi.parse("x::y::z") == [.string("x"), .string("y")])
        #expect(multi.parse("x") == [.string("x"), .null])
    }

    @Test func fixedColumns() throws {
        let p = try parser("fixed_column_log_parse", ["a TYPE VARCHAR(3) START 0 FOR 3, n TYPE INTEGER START 3 FOR 4, rest TYPE VARCHAR(20) START 7"])
        #expect(p.parse("abc  42tail") == [.string("abc"), .int(42), .string("tail")])
        #expect(p.parse("ab") == [.string("ab"), .null, .null])
    }

    @Test func syslogInTheStatementYear() throws {
        let p = try parser("sys_log_parse", [])
        let f = try #require(p.parse("Feb  3 01:02:03 host app: hello"))
        let expected = (Int64(LogParser.days(year: 2026, month: 2, day: 3)) * 86_400 + 3723) * 1_000_000
        #expect(f == [.timestamp(expected), .string("host app: hello")])
        #expect(p.parse("Foo  3 01:02:03 host") == nil)
        #expect(p.parse("Feb 31 25:02:03 host") == nil)
        #expect(LogParser.civil(fromDays: LogParser.days(year: 2024, month: 2, day: 29)) == (2024, 2, 29))
    }

    @Test func fieldsOfOneCallShareOneParse() throws {
        let memo = LogParseMemo()
        let a = try memo.parser(function: "w3c_log_parse", arguments: ["COMMON"], statementTime: 0)
        let b = try memo.parser(function: "w3c_log_parse", arguments: ["COMMON"], statementTime: 0)
        #expect(a === b)
        let line = #"h - u [t] "GET / HTTP/1.1" 404 7"#
        #expect(a.field(5, of: line) == .int(404))
        #expect(b.field(6, of: line) == .int(7))
        #expect(a.field(0, of: "junk") == .null)
    }

    @Test func percentileInterpolatesBetweenRanks() {
        #expect(Accumulator.percentile([40, 10, 30, 20], 0.5) == .double(25))
        #expect(Accumulator.percentile([1], 0.99) == .double(1))
        #expect(Accumulator.percentile([], 0.5) == .null)
    }

    @Test func percentileStateSurvivesASnapshotAndMerges() throws {
        var call = AggregateCall(function: .approxPercentile, argument: .column(0, .double), distinct: false, resultType: .double)
        call.fraction = 0.5
        var a = Accumulator(call)
        for v in [3.0, 1.0, 2.0] { try a.add(.double(v)) }
        var w = StateWriter()
        a.snapshot(into: &w)
        var restored = Accumulator(call)
        var r = StateReader(w.bytes)
        try restored.restore(from: &r)
        #expect(r.isAtEnd)
        #expect(try restored.result(inputType: .double) == .double(2))
        var b = Accumulator(call)
        try b.add(.int(10))
        try restored.merge(b)
        #expect(try restored.result(inputType: .double) == .double(2.5))
    }
}
