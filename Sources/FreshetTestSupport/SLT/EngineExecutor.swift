import FreshetCore
import FreshetEngine

/// Runs .slt statements in process through an Engine session, exactly as the
/// wire front end does (parse → prepare → execute → pull rows; any error
/// is reported to the session, which aborts an open transaction block).
public final class EngineExecutor: SLTExecutor {
    public let session: Session
    public init(session: Session) { self.session = session }

    public func run(_ sql: String) async -> SLTOutcome {
        do {
            var last: [[String?]] = []
            for st in try session.parse(sql) {
                let p = try session.prepare(st, parameterTypes: [])
                switch try await session.execute(p, parameters: []) {
                case .rows(let stream):
                    var rows: [[String?]] = []
                    while let batch = try await stream.next(maxRows: 1024) {
                        for r in batch {
                            rows.append(zip(r, stream.columns).map { v, c in v.isNull ? nil : v.pgText(as: c.type) })
                        }
                    }
                    last = rows
                case .command, .empty:
                    last = []
                case .copyIn(let h):
                    h.abort(reason: "COPY FROM STDIN is not available in .slt files")
                    throw FreshetError(.featureNotSupported, "COPY FROM STDIN is not available in .slt files")
                case .copyOut(let c):
                    while try await c.next() != nil {}
                    last = []
                }
            }
            return .rows(last)
        } catch let e as FreshetError {
            session.statementFailed()
            return .error(sqlState: e.state.code, message: e.message)
        } catch {
            session.statementFailed()
            return .error(sqlState: "XX000", message: "\(error)")
        }
    }
}
