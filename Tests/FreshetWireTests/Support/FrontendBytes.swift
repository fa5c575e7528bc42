import NIOCore
@testable import FreshetWire

/// Builds client messages byte by byte, independently of the server code, for
/// decoder tests and for the loopback test client.
enum FrontendBytes {
    static func typed(_ type: Character, _ body: (inout ByteBuffer) -> Void = { _ in }) -> ByteBuffer {
        var payload = ByteBuffer()
        body(&payload)
        var b = ByteBuffer()
        b.writeInteger(type.asciiValue!)
        b.writeInteger(Int32(payload.readableBytes + 4))
        b.writeBuffer(&payload)
        return b
    }

    static func cstring(_ s: String, _ b: inout ByteBuffer) {
        b.writeString(s)
        b.writeInteger(UInt8(0))
    }

    static func startup(_ params: [(String, String)], version: UInt32 = 196608) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.writeInteger(version)
        for (k, v) in params { cstring(k, &payload); cstring(v, &payload) }
        payload.writeInteger(UInt8(0))
        var b = ByteBuffer()
        b.writeInteger(Int32(payload.readableBytes + 4))
        b.writeBuffer(&payload)
        return b
    }

    static func untyped(code: UInt32, extra: [Int32] = []) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int32(8 + 4 * extra.count))
        b.writeInteger(code)
        for e in extra { b.writeInteger(e) }
        return b
    }

    static func query(_ sql: String) -> ByteBuffer { typed("Q") { cstring(sql, &$0) } }

    static func parse(_ name: String, _ sql: String, _ oids: [UInt32] = []) -> ByteBuffer {
        typed("P") { b in
            cstring(name, &b); cstring(sql, &b)
            b.writeInteger(Int16(oids.count))
            for o in oids { b.writeInteger(o) }
        }
    }

    static func bind(portal: String = "", statement: String = "", formats: [Int16] = [], params: [[UInt8]?] = [],
                     resultFormats: [Int16] = []) -> ByteBuffer {
        typed("B") { b in
            cstring(portal, &b); cstring(statement, &b)
            b.writeInteger(Int16(formats.count)); for f in formats { b.writeInteger(f) }
            b.writeInteger(Int16(params.count))
            for p in params {
                if let p { b.writeInteger(Int32(p.count)); b.writeBytes(p) } else { b.writeInteger(Int32(-1)) }
            }
            b.writeInteger(Int16(resultFormats.count)); for f in resultFormats { b.writeInteger(f) }
        }
    }

    static func describe(_ kind: Character, _ name: String = "") -> ByteBuffer {
        typed("D") { b in b.writeInteger(kind.asciiValue!); cstring(name, &b) }
    }

    static func execute(_ portal: String = "", maxRows: Int32 = 0) -> ByteBuffer {
        typed("E") { b in cstring(portal, &b); b.writeInteger(maxRows) }
    }

    static func close(_ kind: Character, _ name: String = "") -> ByteBuffer {
        typed("C") { b in b.writeInteger(kind.asciiValue!); cstring(name, &b) }
    }

    static var sync: ByteBuffer { typed("S") }
    static var flush: ByteBuffer { typed("H") }
    static var terminate: ByteBuffer { typed("X") }
    static var copyDone: ByteBuffer { typed("c") }
    static func copyData(_ s: String) -> ByteBuffer { typed("d") { $0.writeString(s) } }
    static func copyFail(_ s: String) -> ByteBuffer { typed("f") { cstring(s, &$0) } }
    static func password(_ bytes: [UInt8]) -> ByteBuffer { typed("p") { $0.writeBytes(bytes) } }
    static func saslInitial(_ mechanism: String, _ data: [UInt8]) -> ByteBuffer {
        typed("p") { b in cstring(mechanism, &b); b.writeInteger(Int32(data.count)); b.writeBytes(data) }
    }
}

extension ByteBuffer {
    static func + (lhs: ByteBuffer, rhs: ByteBuffer) -> ByteBuffer {
        var l = lhs
        var r = rhs
        l.writeBuffer(&r)
        return l
    }
}
