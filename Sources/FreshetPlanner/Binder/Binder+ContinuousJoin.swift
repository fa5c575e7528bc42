import FreshetCore
import FreshetSQL

extension Binder {
    /// What SELECT STREAM can read: one stream, or a stream joined with a reference
    /// table (`FROM trades t [INNER | LEFT] JOIN companies c ON …`, `CROSS JOIN`, or a
    /// comma list with the condition in WHERE). The stream comes first. Each stream row
    /// meets the table as it is when the row arrives; a stream–stream join needs a
    /// window (`OVER (RANGE …)`), which is not supported yet.
    func checkContinuousSource(_ source: PlanSource, span: SourceSpan) throws {
        switch source {
        case .relation(let r):
            guard r.kind == .stream || r.kind == .systemTable else {
                throw PlanError.error(.wrongObjectType, "SELECT STREAM needs a stream or a system table in FROM; \"\(r.name)\" is a table", span)
            }
        case .join(let j):
            guard case .relation(let left) = j.left, case .relation(let right) = j.right else {
                throw PlanError.error(.featureNotSupported, "SELECT STREAM joins one stream with one table so far", span)
            }
            if left.kind == .table && right.kind == .stream {
                throw PlanError.error(.featureNotSupported, "in SELECT STREAM put the stream first: FROM \(right.name) JOIN \(left.name) …", span)
            }
            guard left.kind == .stream else {
                throw PlanError.error(.wrongObjectType, "SELECT STREAM needs a stream in FROM", span)
            }
            switch right.kind {
            case .table: break
            case .stream:
                throw PlanError.error(.featureNotSupported, "stream-to-stream joins (with OVER (RANGE …) windows) are not supported yet", span)
            case .systemTable:
                throw PlanError.error(.featureNotSupported, "SELECT STREAM joins a stream with a reference table, not a system table", span)
            }
            guard j.kind == .inner || j.kind == .left || j.kind == .cross else {
                throw PlanError.error(.featureNotSupported,
                    "a continuous stream–table join is INNER or LEFT: a \(j.kind.rawValue.uppercased()) JOIN would wait for the stream to end", span)
            }
        default:
            throw PlanError.error(.featureNotSupported, "SELECT STREAM reads a stream (or a stream joined with a table), not a subquery", span)
        }
    }
}
